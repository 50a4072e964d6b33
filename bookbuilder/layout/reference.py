"""The reference layout: an edition laid out whole, at once, the way a plain WeasyPrint
render would, with the same repairs. No output takes this path (every PDF is laid out in
parts and joined: parts.py); the tests compare the joined PDF with it, and the benchmark's
floor renders its final HTML.

The back matter prints page numbers only a layout can give. On a first build, drafts
(the body without the generated back matter) tell where every marked word landed
(core/pagemap.PageMap) and which repairs the body needs; a second layout prints the page
numbers. The back matter sits after the body, so the body's pages cannot move between
the two. A rebuild starts from the last layout's page numbers and is usually done in one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

from bookbuilder import cache
from bookbuilder.core import pagelist
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.errors import RenderError
from bookbuilder.layout import engine, page_starts, placement, repairs
from bookbuilder.layout.note_repairs import keep_notes_with_calls, misplaced, misplaced_notes
from bookbuilder.markup.print_html import print_html, unmoved_print_html
from bookbuilder.process import memory

log = logging.getLogger("bookbuilder")

WHOLE = "whole"             # its last page map is kept apart from the joined parts' (repairs.last_page_map)


def layout(book: Book, page_map: PageMap | None = None, new_page_notes: frozenset = frozenset(),
           draft: bool = False, edition: Edition | None = None):
    """Lay the book out; the result's pages carry the anchors of every element id."""
    return engine.render(print_html(book, page_map, new_page_notes, draft, edition), book.config.root)


def body_pages(book: Book, page_map: PageMap) -> dict[str, int]:
    """Page index of every chapter opening: must not change between layouts."""
    return {d.id: page_map.page_of.get(d.id) for d in book.front + book.chapters}


def final_layout(book: Book, edition: Edition | None = None):
    """Lay the book out with its page numbers filled in. Returns the printed document and
    the page maps of the layout that gave the page numbers and of the printed one.

    A rebuild starts from the page numbers of the edition's last layout: when the layout
    made with them needs no repair and prints the page numbers it has itself, it is the
    final one, and the book was laid out once. Otherwise (or on a first build), drafts
    without the generated back matter find the repairs and the pages, and the book is laid
    out again with their page numbers. The back matter sits after the body, so the body's
    pages cannot move between the two: the body check in ``_checked`` proves it.
    """
    edition = edition or reader_edition(book.config)
    known = repairs.recall(book, edition)
    first = None
    last = repairs.last_page_map(book, edition, WHOLE)
    if last:
        document, first = _from_last_pages(book, edition, known, last)
        if document is not None:
            return _checked(book, edition, document, first)
    if first is None:
        first, known = draft_pages(book, edition, known)
    document = layout(book, first, frozenset(known.notes), edition=edition)
    return _checked(book, edition, document, first)




def _from_last_pages(book: Book, edition: Edition, known: repairs.Repairs, guess: PageMap):
    """Lay out with the last layout's page numbers: (document, its page map) when that is the
    final layout, (None, its page map) when only the page numbers were wrong, (None, None)
    when the body needs a repair."""
    moves = placement.Moves(book, known.figures, known.respaced)
    moves.restore()
    source = print_html(book, guess, frozenset(known.notes), edition=edition)
    document = engine.render(source, book.config.root)
    page_map = engine.page_map_of(book, document)
    more, again = moves.needed(_body(book, document, page_map))
    apart = {note_id for note_id, _ in misplaced(book, page_map)} - known.notes
    repair = bool(more or again or apart)
    if repair:
        log.debug("the last page numbers need repairs first: %s", sorted([*more, *again, *apart])[:5])
    if not repair and print_html(book, page_map, frozenset(known.notes), edition=edition) == source:
        return document, page_map
    del document
    memory.collect()            # a long book's layout is hundreds of megabytes: gone before the next
    return None, (None if repair else page_map)


def _body(book: Book, document, page_map: PageMap):
    """The pages before the generated back matter (what the drafts lay out and repair)."""
    generated = [page_map.page_of[d.id] for d in book.back if d.generated and d.id in page_map.page_of]
    return SimpleNamespace(pages=document.pages[:min(generated, default=len(document.pages))])


def _checked(book: Book, edition: Edition, document, first: PageMap):
    second = engine.page_map_of(book, document)
    if body_pages(book, first) != body_pages(book, second):
        raise RenderError("the body moved between the two layouts",
                          hint="generated back matter must come after the chapters")
    for problem in misplaced_notes(book, second):
        log.warning(problem)
    repairs.keep_last_page_map(book, edition, WHOLE, second)
    return document, first, second


def draft_pages(book: Book, edition: Edition | None = None,
                known: repairs.Repairs | None = None) -> tuple[PageMap, repairs.Repairs]:
    """The page map of the body, and the repairs its layout needs (repairs.py).

    When WeasyPrint sets a note on another page than its call, the block holding the
    call is moved to a new page and the body laid out again, before page numbers are read.
    """
    known = known or repairs.recall(book, edition)
    first = keep_notes_with_calls(lambda: draft_map(book, known, edition), known.notes,
                                  lambda page_map: {note_id for note_id, _ in misplaced(book, page_map)})
    repairs.remember(book, known, edition)
    return first, known


def draft_map(book: Book, known: repairs.Repairs, edition: Edition | None = None) -> PageMap:
    """The page map of a draft layout, remembered by a hash of the draft's HTML: the
    same body text (and fonts, figures, styles, all named in it) lands on the same
    pages, so a rebuild whose body did not change lays the book out once, not twice.
    Figures are moved and paragraphs respaced to fill the draft's pages (placement.py);
    ``known`` takes the repairs found."""
    moves = placement.Moves(book, known.figures, known.respaced)
    moves.restore()

    def draft():
        return print_html(book, new_page_notes=frozenset(known.notes), draft=True, edition=edition)

    def remembered() -> Path:
        return cache.path("layout", f"pages-{cache.key(repairs.RULES, draft(), length=20)}.json")

    saved = cache.read_json(remembered())
    if saved:
        return PageMap.from_json(saved)
    document = moves.fill_pages(lambda: engine.render(draft(), book.config.root))
    known.figures, known.respaced = moves.moves, moves.respaced
    page_map = engine.page_map_of(book, document)
    cache.write_json(remembered(), page_map.to_json())
    return page_map


def final_html(book: Book, edition: Edition | None = None) -> str:
    """The print HTML of the printed layout (what the benchmark's floor renders)."""
    first, known = draft_pages(book, edition)
    return print_html(book, first, frozenset(known.notes), edition=edition)


def write_pdf(book: Book, target: Path, edition: Edition | None = None) -> Path:
    """Lay an edition out whole and write it tagged: what its PDF joined from parts
    (parts.py) must be."""
    edition = edition or reader_edition(book.config)
    document, _, printed = final_layout(book, edition)
    # the EPUB's page numbers follow this edition's pages: read them now, for free
    page_starts.remember(book, document, printed.folios, pagelist.edition_name(book, edition),
                      unmoved_print_html(book, edition))
    engine.write_tagged(book, document, target)
    del document
    memory.collect()            # the layout's box trees go before the next output is made
    return target
