"""Layout repairs remembered per division.

Three repairs cost layouts to find (note_repairs.py, placement.py): a note WeasyPrint
set apart from its call (the block of its call starts a new page), a figure that opened a
page after a page left with room (it is moved past the blocks that fill that room), and a
paragraph WeasyPrint broke into a stretched line (it is respaced, or sent to a new page).
Every chapter opens on a recto and its pages depend only on its own content, so what a
division needed is remembered by a hash of that division's print body *before* any repair
(its notes inline) and of the print stylesheet: an edit in one chapter keeps the repairs of
all the others, and a rebuild of the same text finds them all and lays out once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lxml import html

from bookbuilder import cache
from bookbuilder.fonts import book_fonts
from bookbuilder.markup.applied_repairs import block_key
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.markup.expand import expand_notes
from bookbuilder.markup.print_html import division_print_html, footnote_capacity, long_notes, unrepaired
from bookbuilder.markup.templates import environment

# the repairs' rules, in every key: decisions found by another version of them (another
# checkout sharing the cache) are never reused
RULES = "repairs-4"
PARAGRAPHS = ("p", "li", "dd", "blockquote")


@dataclass
class Repairs:
    notes: set[str] = field(default_factory=set)              # note ids whose call's block starts a page
    figures: dict[str, int] = field(default_factory=dict)     # figure id -> blocks it is set after
    respaced: dict[str, int | str] = field(default_factory=dict)   # paragraph key -> respacing


@dataclass
class _Place:
    file: Path
    notes: set[str]
    figures: set[str]
    paragraphs: set[str]            # block keys of its paragraphs


def _stylesheet() -> str:
    return (resources.files("bookbuilder") / "templates" / "print" / "book.css.j2").read_text(encoding="utf-8")


def _places(book: Book, edition: Edition | None = None) -> dict[str, _Place]:
    """Division id -> where its repairs are remembered, and what is its to repair (per
    edition: a packet's pages are not the book's)."""
    edition = edition or reader_edition(book.config)
    expand_notes(book, environment())            # a note's length decides how it is printed
    capacity = footnote_capacity(book)
    style = cache.key(_stylesheet(), edition.variant, edition.page_size, [face.path.name for face in book_fonts()])
    places = {}
    with unrepaired(book):
        for division in book.divisions:
            continued = {n.id for n in long_notes(division, capacity)}
            body = division_print_html(book, division, edition, continued)
            paragraphs = {block_key(el) for fragment in html.fragments_fromstring(body)
                          if not isinstance(fragment, str) for el in fragment.iter(*PARAGRAPHS)}
            places[division.id] = _Place(
                cache.path("layout", f"repairs-{cache.key(RULES, division.id, body, style, length=20)}.json"),
                {n.id for n in division.notes}, {f.get("id") for f in division.body.iter("figure")}, paragraphs)
    return places


def recall(book: Book, edition: Edition | None = None) -> Repairs:
    """The repairs of the last layout of each division with this very content."""
    found = Repairs()
    for place in _places(book, edition).values():
        saved = cache.read_json(place.file, {})
        found.notes |= set(saved.get("notes", []))
        found.figures.update(saved.get("figures", {}))
        found.respaced.update(saved.get("respaced", {}))
    return found


def remember(book: Book, repairs: Repairs, edition: Edition | None = None) -> None:
    for place in _places(book, edition).values():
        cache.write_json(place.file, {
            "notes": sorted(repairs.notes & place.notes),
            "figures": {k: v for k, v in repairs.figures.items() if k in place.figures},
            "respaced": {k: v for k, v in repairs.respaced.items() if k in place.paragraphs}})


def last_page_map(book: Book, edition: Edition, layouts: str) -> PageMap | None:
    """The page map of the edition's last layout (``layouts``: "whole", laid out at once by
    reference.py, or "parts", joined by parts.py): the first guess of the next build's page
    numbers, checked before it is kept."""
    saved = cache.read_json(_last_page_map_file(book, edition, layouts))
    return PageMap.from_json(saved) if saved else None


def keep_last_page_map(book: Book, edition: Edition, layouts: str, page_map: PageMap) -> None:
    cache.write_json(_last_page_map_file(book, edition, layouts), page_map.to_json())


def _last_page_map_file(book: Book, edition: Edition, layouts: str) -> Path:
    """By book and edition, not by content: a guess for the next text."""
    key = cache.key(RULES, layouts, str(book.config.root), edition.slug, length=20)
    return cache.path("layout", f"last-{layouts}-{key}.json")
