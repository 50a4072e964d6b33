"""Figures placed so that pages stay full (print only).

WeasyPrint sets a figure where it stands in the flow: when it does not fit the rest of a
page it goes to the next one and leaves the rest of the page blank. A typesetter floats it
instead: the text goes on filling the page and the figure heads the next one. Here, after a
layout, each figure that opens a page whose previous page has room left is moved later in
the flow, past the following blocks that fill that room, and the book is laid out again.

Rules: a figure never leaves its section (it stops before the next heading) nor passes the
next figure (numbers stay in order), and never comes between a sentence ending in ':' and
the list or quotation it introduces. A move is stored on the division (``figure_moves``:
figure id -> number of following blocks it is set after) and applied when the print HTML
is made; the decisions for one text are remembered per division (repairs.py).
"""

from __future__ import annotations

import logging
from typing import Callable

from bookbuilder.process import memory
from bookbuilder.markup.applied_repairs import NEW_PAGE, RESPACINGS, notes_apart, stretched
from bookbuilder.core.model import Book

log = logging.getLogger("bookbuilder")

MIN_ROOM = 3 * 14.2             # pt: room (three body lines) worth filling
MAX_ROUNDS = 6                  # each round is one layout; a move or a respacing can need another
SECTION_ENDS = ("h1", "h2", "h3", "h4", "h5", "h6", "section")
INTRODUCED = ("ul", "ol", "blockquote", "dl")


# ------------------------------------------------------------------ rules on the tree

def introduces(block) -> bool:
    """A block ending in ':' followed by the list or quotation it introduces."""
    following = block.getnext()
    while following is not None and following.tag == "figure":
        following = following.getnext()
    return (following is not None and following.tag in INTRODUCED
            and block.text_content().rstrip().endswith(":"))


def apply_moves(body, moves: dict[str, int]) -> None:
    """Move each figure of ``body`` past the given number of following blocks.

    A figure stops at the end of its section; one that would pass the next figure takes it
    along (the numbers stay in reading order); a figure left after an introduction goes
    after what it introduces.
    """
    figures = [el for el in body if el.tag == "figure"]
    if not figures:
        return
    blocks = [el for el in body if el.tag != "figure"]
    slots = []                                      # how many blocks come before each figure
    for figure in figures:
        slot = sum(1 for el in figure.itersiblings(preceding=True) if el.tag != "figure")
        end = next((i for i in range(slot, len(blocks)) if blocks[i].tag in SECTION_ENDS), len(blocks))
        slot = min(slot + moves.get(figure.get("id"), 0), end)
        if slots:
            slot = max(slot, slots[-1])             # never before the figure it follows
        while 0 < slot < end and introduces(blocks[slot - 1]):
            slot += 1
        slots.append(min(slot, end))
    for figure, slot in zip(figures, slots):
        _detach(figure)
    for figure, slot in reversed(list(zip(figures, slots))):
        if slot == 0:
            body.insert(0, figure)
        else:
            blocks[slot - 1].addnext(figure)


def moved_figure(element, moves: dict[str, int]) -> bool:
    """Whether ``element`` lies in a figure that placement moved."""
    return any(f.get("id") in moves and moves[f.get("id")] > 0 for f in element.iterancestors("figure"))


def _detach(figure) -> None:
    """Take a figure out of the tree, leaving the text around it where it was."""
    previous, parent = figure.getprevious(), figure.getparent()
    if figure.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + figure.tail
        else:
            parent.text = (parent.text or "") + figure.tail
    figure.tail = None
    parent.remove(figure)


# ------------------------------------------------------------------ reading a layout

def _lines(box, skip=None):
    """Line boxes under ``box`` (a laid-out WeasyPrint box), leaving out ``skip``'s."""
    if box is skip:
        return
    if type(box).__name__ == "LineBox":
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, skip)


def _find(box, element_id: str):
    element = getattr(box, "element", None)
    if element is not None and element.get("id") == element_id:
        return box
    for child in getattr(box, "children", ()):
        found = _find(child, element_id)
        if found is not None:
            return found
    return None


def room_left(page) -> float:
    """Points of the page's text block left empty under its running text and above its notes."""
    page_box = page._page_box
    body, notes = page_box.children[0], (page_box.children[1:2] or [None])[0]
    limit = page_box.content_box_y() + page_box.height
    if notes is not None and notes.children:
        limit = notes.position_y
    bottom = max((line.position_y + line.height for line in _lines(body)), default=page_box.content_box_y())
    return limit - bottom


def _opens_page(page, figure_box) -> bool:
    """No running text above the figure on its page."""
    body = page._page_box.children[0]
    return not any(line.position_y < figure_box.position_y for line in _lines(body, skip=figure_box))


def _blocks_to_fill(figure_box, room: float, parent) -> int:
    """How many of the blocks after the figure on its page it takes to fill ``room``."""
    siblings = parent.children
    filled, count = 0.0, 0
    for block in siblings[siblings.index(figure_box) + 1:]:
        element = getattr(block, "element", None)
        if element is not None and element.tag == "figure":
            continue                                # a figure it meets is taken along
        if element is None or element.tag in SECTION_ENDS:
            break                                   # the section ends here: the figure stays in it
        count += 1
        filled += block.margin_height()
        if filled >= room:
            break
    return count


def _parent(box, child):
    for candidate in getattr(box, "children", ()):
        if candidate is child:
            return box
        found = _parent(candidate, child)
        if found is not None:
            return found
    return None


def moves_for(book: Book, document) -> dict[str, int]:
    """Figure id -> further blocks to move it past, for figures that open a page after a
    page of their chapter left with room."""
    page_of = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, index)
    moves = {}
    for division in book.chapters:
        opening = page_of.get(division.id)
        for figure in division.body.iter("figure"):
            found = _drawn(document, figure.get("id"), page_of.get(figure.get("id")))
            if opening is None or found is None or found[0] <= opening:
                continue
            index, root, box = found
            room = room_left(document.pages[index - 1])
            if room < MIN_ROOM or not _opens_page(document.pages[index], box):
                continue
            count = _blocks_to_fill(box, room, _parent(root, box))
            if count:
                moves[figure.get("id")] = count
    return moves


def _drawn(document, figure_id: str, anchored: int | None):
    """(page index, page's root box, figure box) where the figure is drawn. Its anchor can
    sit on the page before, where an empty fragment of the figure's box was left."""
    if anchored is None:
        return None
    for index in (anchored, anchored + 1):
        if index >= len(document.pages):
            break
        root = document.pages[index]._page_box.children[0]
        box = _find(root, figure_id)
        if box is not None and any(True for _ in _lines(box)):
            return index, root, box
    return None


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

