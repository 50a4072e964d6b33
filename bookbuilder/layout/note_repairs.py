"""Notes kept with their calls: WeasyPrint sometimes sets a footnote on another page than its
call. The block holding the call is then sent to a new page (the note comes with it) and the
text laid out again, at most MAX_NOTE_REPAIRS times. One loop for a part (parts.py) and for
a whole book (reference.py); the notes sent are remembered per division (repairs.py).
"""

from __future__ import annotations

from typing import Callable, TypeVar

from bookbuilder import ids
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.process import memory

T = TypeVar("T")
MAX_NOTE_REPAIRS = 3                # layouts after the first, each sending more calls to a new page


def misplaced(book: Book, page_map: PageMap) -> list[tuple[str, str]]:
    """(note id, problem) for notes that did not land at the foot of the page of their call."""
    problems = []
    for division in book.divisions:
        for note in division.notes:
            call = page_map.page_of.get(ids.note_call(note.id))
            body = page_map.page_of.get(note.id)
            if call is None:
                continue
            where = f"{division.source}: note {note.number} of {division.title!r}"
            if body is None:
                problems.append((note.id, f"{where} is missing from the PDF"))
            elif body != call:
                problems.append((note.id, f"{where} is on page {page_map.folios[body]}, "
                                          f"its call on page {page_map.folios[call]}"))
    return problems


def misplaced_notes(book: Book, page_map: PageMap) -> list[str]:
    return [problem for _, problem in misplaced(book, page_map)]


def keep_notes_with_calls(lay_out: Callable[[], T], known_notes: set[str], notes_apart: Callable[[T], set[str]]) -> T:
    """``lay_out()`` again while ``notes_apart(layout)`` finds notes apart from their calls that
    ``known_notes`` (the notes whose call's block starts a page; added to here) does not hold
    yet, at most MAX_NOTE_REPAIRS times more; returns the last layout."""
    laid = lay_out()
    for _ in range(MAX_NOTE_REPAIRS):
        apart = notes_apart(laid) - known_notes
        if not apart:
            break
        known_notes |= apart
        laid = None             # let the layout go before the next
        memory.collect()
        laid = lay_out()
    return laid
