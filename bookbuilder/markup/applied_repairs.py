"""The layout's repairs as the print HTML carries them: figures moved later in the flow,
paragraphs respaced or sent to a new page (found on a layout by layout/placement.py and
remembered by layout/repairs.py), and punctuation taken into marks.

A figure never leaves its section (it stops before the next heading) nor passes the next
figure (numbers stay in order), and never comes between a sentence ending in ':' and the
list or quotation it introduces (passes/figures.introduces).

WeasyPrint (70) treats every inline box as its own unit when it breaks lines (its issues
637, 1614): a marked phrase followed by punctuation ("<span>Old Bolsheviks</span>,") can end
the line after the punctuation, and justification then stretches the two words across the
measure. In print, the punctuation that clings to an id-only mark (index occurrences, later
glossary uses) is taken inside the mark, so the mark ends where a line may break. (Marks
turned into empty anchors are worse: WeasyPrint breaks words at an empty inline box.)
What still stretches a line too far is reported by ``check`` (code l-001, from check/layout_quality.py).
"""

from __future__ import annotations

import re

from bookbuilder.core.model import drop_keeping_tail
from bookbuilder.passes.figures import introduces

ID_ONLY_MARKS = {"ix", "gloss-use", "name-use"}        # classes of spans that only hold an id
CLOSING = re.compile(r"^[,.;:!?)\]’”»…]+")
OPENING = re.compile(r"[(\[‘“«]+$")


def punctuation_into_marks(body) -> None:
    """Move the punctuation touching each id-only mark span inside it."""
    for span in list(body.iter("span")):
        if not set((span.get("class") or "").split()) & ID_ONLY_MARKS:
            continue
        closing = CLOSING.match(span.tail or "")
        if closing:
            span.tail = span.tail[closing.end():]
            _append_text(span, closing.group(0))
        previous, parent = span.getprevious(), span.getparent()
        before = previous.tail if previous is not None else parent.text
        opening = OPENING.search(before or "")
        if opening:
            if previous is not None:
                previous.tail = before[:opening.start()]
            else:
                parent.text = before[:opening.start()]
            span.text = opening.group(0) + (span.text or "")


def _append_text(element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


# ------------------------------------------------------------------ a different break

RESPACINGS = 3                  # .respace-1 … .respace-3 in book.css.j2: imperceptible letter-spacing
NOTE_CLASSES = ("footnote", "noteref")      # a note in print, its call in the model


def block_key(element) -> str:
    """A paragraph's identity across layouts: the start of its own text (notes left out)."""
    parts = []

    def walk(el):
        if any(c in (el.get("class") or "").split() for c in NOTE_CLASSES):
            return                          # the note's tail is the parent's text, kept below
        parts.append(el.text or "")
        for child in el:
            walk(child)
            parts.append(child.tail or "")
    walk(element)
    return " ".join("".join(parts).split())[:120]


HEADINGS = ("h2", "h3", "h4", "h5", "h6")
NEW_PAGE = "page"               # in place of a respacing level: start the paragraph on a new page


def respace(body, levels: dict[str, int | str]) -> None:
    """Give each remembered paragraph its respacing class, or start it on a new page."""
    if not levels:
        return
    for el in body.iter("p", "li", "dd", "blockquote"):
        level = levels.get(block_key(el))
        if level == NEW_PAGE:
            while el.getprevious() is not None and el.getprevious().tag in HEADINGS:
                el = el.getprevious()               # a heading goes over with its text
            el.set("class", " ".join((el.get("class") or "").split() + ["new-page"]))
        elif level:
            el.set("class", " ".join((el.get("class") or "").split() + [f"respace-{level}"]))


SECTION_ENDS = ("h1", "h2", "h3", "h4", "h5", "h6", "section")


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
        drop_keeping_tail(figure)
    for figure, slot in reversed(list(zip(figures, slots))):
        if slot == 0:
            body.insert(0, figure)
        else:
            blocks[slot - 1].addnext(figure)


def moved_figure(element, moves: dict[str, int]) -> bool:
    """Whether ``element`` lies in a figure that placement moved."""
    return any(f.get("id") in moves and moves[f.get("id")] > 0 for f in element.iterancestors("figure"))
