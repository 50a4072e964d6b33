"""Layout repairs found on a layout: figures moved so that pages stay full, stretched lines
respaced, and the paragraph that keeps a note from its call sent to a new page.

WeasyPrint sets a figure where it stands in the flow: when it does not fit the rest of a
page it goes to the next one and leaves the rest of the page blank. A typesetter floats it
instead: the text goes on filling the page and the figure heads the next one. Here, after a
layout, each figure that opens a page whose previous page has room left is moved later in
the flow, past the following blocks that fill that room, and the book is laid out again.
WeasyPrint (70) breaks lines around inline boxes badly (its issues 637, 1614): a paragraph
holding a line stretched too far is respaced (an imperceptible letter-spacing) and laid out
again. WeasyPrint would rather send the last note of a page overleaf than leave an orphan
line of the page's last paragraph at its foot: that paragraph goes to a new page.

The rules on the tree (a figure never leaves its section nor passes the next figure, never
comes between an introduction and what it introduces) are markup/applied_repairs.py's, which
applies the repairs when the print HTML is made; the decisions for one text are remembered
per division (repairs.py). The layout's boxes are read through boxes.py.
"""

from __future__ import annotations

import logging
from typing import Callable

from bookbuilder import ids
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.layout import boxes
from bookbuilder.markup.applied_repairs import NEW_PAGE, RESPACINGS, SECTION_ENDS, block_key
from bookbuilder.process import memory

log = logging.getLogger("bookbuilder")

MIN_ROOM = 3 * 14.2             # pt: room (three body lines) worth filling
MAX_ROUNDS = 6                  # each round is one layout; a move or a respacing can need another


# ------------------------------------------------------------------ reading a layout

def moves_for(book: Book, document) -> dict[str, int]:
    """Figure id -> further blocks to move it past, for figures that open a page after a
    page of their chapter left with room."""
    page_of = PageMap.from_document(document, None).page_of
    moves = {}
    for division in book.chapters:
        opening = page_of.get(division.id)
        for figure in division.body.iter("figure"):
            found = boxes.drawn(document, figure.get("id"), page_of.get(figure.get("id")))
            if opening is None or found is None or found[0] <= opening:
                continue
            index, root, box = found
            room = boxes.room_left(document.pages[index - 1])
            if room < MIN_ROOM or not boxes.opens_page(document.pages[index], box):
                continue
            count = _blocks_to_fill(box, room, boxes.parent(root, box))
            if count:
                moves[figure.get("id")] = count
    return moves


def _blocks_to_fill(figure_box, room: float, container) -> int:
    """How many of the blocks after the figure on its page it takes to fill ``room``."""
    filled, count = 0.0, 0
    for element, height in boxes.blocks_after(figure_box, container):
        if element is not None and element.tag == "figure":
            continue                                # a figure it meets is taken along
        if element is None or element.tag in SECTION_ENDS:
            break                                   # the section ends here: the figure stays in it
        count += 1
        filled += height
        if filled >= room:
            break
    return count


def stretched(document) -> set[str]:
    """Keys of the paragraphs with a stretched line in a layout (running text, not notes)."""
    return {block_key(element) for page in document.pages for element in boxes.stretched_blocks(page)}


def notes_apart(book, document) -> set[str]:
    """Keys of the paragraphs to start on a new page so that a note WeasyPrint set on
    another page than its call comes back to it: the last paragraph of the call's page (an
    orphan line WeasyPrint would not leave at its foot), not the one holding the call; the
    page loses only a line or two."""
    page_of = PageMap.from_document(document, None).page_of
    keys = set()
    for division in book.divisions:
        for note in division.notes:
            call = ids.note_call(note.id)
            if call in page_of and page_of.get(note.id) != page_of[call]:
                last = boxes.last_paragraph(document.pages[page_of[call]])
                if last is not None:
                    keys.add(block_key(last))
    return keys


# ------------------------------------------------------------------ the loop

def _set(book: Book, moves: dict[str, int], respaced: dict[str, int]) -> None:
    for division in book.divisions:
        ids = {figure.get("id") for figure in division.body.iter("figure")}
        division.figure_moves = {fid: n for fid, n in moves.items() if fid in ids}
        division.respaced = respaced


class Moves:
    """The figure moves and paragraph respacings of one text in one edition, starting from
    those remembered for it (repairs.py): the same text finds its repairs and lays out once."""

    def __init__(self, book: Book, figures: dict[str, int], respaced: dict):
        self.book = book
        self.moves: dict[str, int] = dict(figures)
        self.respaced: dict = dict(respaced)

    def restore(self) -> None:
        _set(self.book, self.moves, self.respaced)

    def needed(self, pages) -> tuple[dict[str, int], dict]:
        """What a layout still asks for: (further figure moves, new respacings). ``pages``:
        a layout, or its body's pages alone (``.pages``), the repairs being the body's."""
        more = moves_for(self.book, pages)
        again = {key: self.respaced.get(key, 0) + 1 for key in stretched(pages)
                 if isinstance(self.respaced.get(key, 0), int) and self.respaced.get(key, 0) < RESPACINGS}
        again |= {key: NEW_PAGE for key in notes_apart(self.book, pages)
                  if self.respaced.get(key) != NEW_PAGE}
        return more, again

    def fill_pages(self, lay_out: Callable[[], object]):
        """Lay the book out with its figures moved to fill pages and its stretched lines
        broken anew; returns the last layout. ``lay_out()`` makes a layout of the book as it
        stands (a WeasyPrint document)."""
        self.restore()
        document = lay_out()
        for round_ in range(MAX_ROUNDS + 1):
            more, again = self.needed(document)
            if not more and not again:
                break
            if round_ == MAX_ROUNDS:
                log.warning("figures or stretched lines still need repair after %d layouts: %s",
                            MAX_ROUNDS, ", ".join(sorted(more) + sorted(again)))
                break
            for fid, count in more.items():
                self.moves[fid] = self.moves.get(fid, 0) + count
            self.respaced.update(again)
            self.restore()
            document = None         # the last layout goes before the next is made
            memory.collect()
            document = lay_out()
        return document
