"""Citations: what the chapters cite, each citation linked to its entry in References.

Pandoc's citeproc has already written each citation in the book's style as it read the
chapter (source/citations.py): ``<span class="citation" data-cites="conquest1990">(Conquest
1990, 45)</span>``, in the text or, in a note style, as a footnote. This pass finds them
(in the text and in the notes), links each to the entry of its first known key, warns of an
unknown key with its file and line (the build goes on: citeproc prints the key with a
question mark), and gathers the entries the References division lists: every work cited,
in the whole book also those ``nocite:`` names; in a packet what its chapters cite.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html

from bookbuilder import ids
from bookbuilder.core.model import Book
from bookbuilder.passes.glossary import Use
from bookbuilder.source.citations import bibliography_html, reference_keys
from bookbuilder.source.lines import line_of, source_lines

log = logging.getLogger("bookbuilder")


@dataclass
class Reference:
    """One entry of the References division."""
    key: str
    id: str             # the entry's element id
    html: str           # the entry as the style writes it
    uses: list[Use] = field(default_factory=list)   # the citations of it: back-links, pages in print


@dataclass(frozen=True)
class Unknown:
    """A citation key, or a cross-reference id, that names nothing: for warnings and ``check``."""
    file: Path
    line: int | None
    key: str


def citations_of(root):
    """The citation spans under ``root``, in reading order."""
    return [el for el in root.iter("span") if "citation" in (el.get("class") or "").split() and el.get("data-cites")]


def mark_citations(book: Book) -> None:
    """Link every citation to its entry and its entry back to it, warn of unknown keys, gather
    the entries to list."""
    known = set(reference_keys(book.config))
    cited: dict[str, list[Use]] = {}           # key -> its citations, in reading order
    book.unknown_citations = []
    for division in book.divisions:
        roots = [division.body] + [n.content for n in division.notes if n.content is not None]
        for n, span in enumerate(span for root in roots for span in citations_of(root)):
            keys = span.get("data-cites").split()
            for key in keys:
                if key not in known:
                    _unknown(book, division, key)
                    continue
                if not span.get("id"):
                    span.set("id", f"{division.id}-cite-{n + 1}")     # what References links back to
                here = cited.setdefault(key, [])
                here.append(Use(span.get("id"), division.id,
                                linked=not any(u.division_id == division.id for u in here)))
            first = next((k for k in keys if k in known), None)
            if first is not None and not span.xpath(".//a"):
                _link(span, first)
    whole = book.selection is None or book.selection.whole_book
    listed = list(cited)
    if whole and book.config.nocite:
        wanted = known if "*" in book.config.nocite else set(book.config.nocite)
        listed += [k for k in reference_keys(book.config) if k in wanted and k not in listed]
        for key in book.config.nocite:
            if key != "*" and key not in known:
                log.warning(f"{book.config.path}:{book.config.doc.line('nocite') if book.config.doc else ''}: "
                            f"nocite names an unknown key '{key}'")
    book.references = [Reference(key, ids.reference_entry(key), text, cited.get(key, []))
                       for key, text in bibliography_html(book.config, listed)]


def _unknown(book: Book, division, key: str) -> None:
    """A key the references lack: warned of once, with its file and line (citeproc prints it
    with a question mark)."""
    unknown = Unknown(division.source, _line_of_key(source_lines(division.source), key), key)
    if unknown not in book.unknown_citations:
        book.unknown_citations.append(unknown)
        where = f"{unknown.file}:{unknown.line}" if unknown.line else str(unknown.file)
        log.warning(f"{where}: unknown citation key '{key}': printed as '{key}?' "
                    f"(add it to {_references_name(book)})")


def _link(span, key: str) -> None:
    """The citation's words made a link to the entry of ``key``."""
    link = html.Element("a", {"class": "cite-link", "href": f"#{ids.reference_entry(key)}"})
    link.text, span.text = span.text, None
    for child in list(span):
        link.append(child)
    span.append(link)


def _line_of_key(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"@{re.escape(key)}(?![\w:.#$%&+?<>~/-]*\w)")
    for n, line in enumerate(lines, 1):
        if pattern.search(line):
            return n
    return line_of(lines, f"@{key}")


def _references_name(book: Book) -> str:
    return book.config.references.name if book.config.references else "references.yaml"
