"""Lay out the print HTML with WeasyPrint and write the PDF.

Two layouts: the first tells where every marked word landed (pages.PageMap); the
second prints the back matter's page numbers. The back matter sits after the body,
so the body's pages cannot move between the two.
"""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import HTML

from .errors import RenderError
from .model import Book
from .output import atomic_output
from .pages import PageMap
from .figures import cache_dir
from .render import print_html

log = logging.getLogger("bookbuilder")


def layout(book: Book, page_map: PageMap | None = None):
    """Lay the book out; the result's pages carry the anchors of every element id."""
    # relative URLs (the figures' figures/<name>.svg) resolve in the drawing cache
    return HTML(string=print_html(book, page_map), base_url=str(cache_dir()) + "/").render()


def page_map_of(book: Book, document) -> PageMap:
    first = book.chapters[0].id if book.chapters else None
    return PageMap.from_document(document, first)


def body_pages(book: Book, page_map: PageMap) -> dict[str, int]:
    """Page index of every chapter opening: must not change between layouts."""
    return {d.id: page_map.page_of.get(d.id) for d in book.front + book.chapters}


def final_layout(book: Book):
    """Lay out, read the pages, lay out again with the page numbers filled in."""
    first = page_map_of(book, layout(book))
    document = layout(book, first)
    second = page_map_of(book, document)
    if body_pages(book, first) != body_pages(book, second):
        raise RenderError("the body moved between the two layouts",
                          hint="generated back matter must come after the chapters")
    for problem in misplaced_notes(book, second):
        log.warning(problem)
    return document, second


def misplaced_notes(book: Book, page_map: PageMap) -> list[str]:
    """Notes that did not land at the foot of the page of their call."""
    problems = []
    for division in book.divisions:
        for note in division.notes:
            call = page_map.page_of.get(f"{note.id}-call")
            body = page_map.page_of.get(note.id)
            if call is None:
                continue
            where = f"{division.source}: note {note.number} of {division.title!r}"
            if body is None:
                problems.append(f"{where} is missing from the PDF")
            elif body != call:
                problems.append(f"{where} is on page {page_map.folios[body]}, "
                                f"its call on page {page_map.folios[call]}")
    return problems


def write_pdf(book: Book, target: Path) -> Path:
    document, _ = final_layout(book)
    with atomic_output(target) as tmp:
        document.write_pdf(tmp, pdf_identifier=book.config.identifier.encode(), uncompressed_pdf=False)
    return target
