"""Note repairs remembered per division.

A note WeasyPrint set apart from its call is repaired by starting the block of its call
on a new page (pdf.py). Finding one costs a layout, and checking the repair another. Every
chapter opens on a recto and its pages depend only on its own content, so the repairs a
division needed are remembered by a hash of that division's print body (its notes inline)
and of the print stylesheet: an edit in one chapter keeps the repairs of all the others,
and the first draft layout of the edited book usually needs no second.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from . import cache
from .fonts import book_fonts
from .model import Book
from .editions import Edition, reader_edition
from .expand import expand_notes
from .render import division_print_html, environment, footnote_capacity, long_notes


def _stylesheet() -> str:
    return (resources.files("bookbuilder") / "templates" / "print" / "book.css.j2").read_text(encoding="utf-8")


def _places(book: Book, edition: Edition | None = None) -> dict[str, Path]:
    """Division id -> where its repairs are remembered (per edition: a packet's pages are not the book's)."""
    edition = edition or reader_edition(book.config)
    expand_notes(book, environment())            # a note's length decides how it is printed
    capacity = footnote_capacity(book)
    style = cache.key(_stylesheet(), edition.variant, edition.page_size, [face.path.name for face in book_fonts()])
    places = {}
    for division in book.divisions:
        continued = {n.id for n in long_notes(division, capacity)}
        body = division_print_html(book, division, edition, continued)
        places[division.id] = cache.path("layout", f"repairs-{cache.key(division.id, body, style, length=20)}.json")
    return places


def remembered(book: Book, edition: Edition | None = None) -> set[str]:
    """The notes repaired in the last layout of each division with this very content."""
    found: set[str] = set()
    for place in _places(book, edition).values():
        found |= set(cache.read_json(place, []))
    return found


def remember(book: Book, repaired: set[str], edition: Edition | None = None) -> None:
    notes_of = {d.id: {n.id for n in d.notes} for d in book.divisions}
    for division_id, place in _places(book, edition).items():
        cache.write_json(place, sorted(repaired & notes_of[division_id]))

