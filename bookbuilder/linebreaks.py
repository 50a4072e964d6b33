"""Line breaking in print: fewer lines stretched by WeasyPrint's breaker around inline boxes.

WeasyPrint (70) treats every inline box as its own unit when it breaks lines (its issues
637, 1614): a marked phrase followed by punctuation ("<span>Old Bolsheviks</span>,") can end
the line after the punctuation, and justification then stretches the two words across the
measure. In print, the punctuation that clings to an id-only mark (index occurrences, later
glossary uses) is taken inside the mark, so the mark ends where a line may break. (Marks
turned into empty anchors are worse: WeasyPrint breaks words at an empty inline box.)
What still stretches a line too far is reported by ``check`` (code l-001, from layout_check).
"""

from __future__ import annotations

import re

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

MAX_GAP_EM = 1.5                # as layout_check: the widest acceptable space in a justified line
SPACE_EM = 0.22                 # the natural space of EB Garamond, in em
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


def _stretched_blocks(box, block=None):
    """Elements of the blocks holding a line whose spaces are stretched past MAX_GAP_EM."""
    kind = type(box).__name__
    if kind == "LineBox":
        size = box.style["font_size"]
        if _spacing(box) + SPACE_EM * size > MAX_GAP_EM * size and block is not None:
            yield block
        return
    if kind in ("BlockBox",) and getattr(box, "element", None) is not None:
        block = box.element
    for child in getattr(box, "children", ()):
        yield from _stretched_blocks(child, block)


def _spacing(box) -> float:
    if getattr(box, "justification_spacing", 0):
        return box.justification_spacing
    return max((_spacing(child) for child in getattr(box, "children", ())), default=0.0)


def stretched(document) -> set[str]:
    """Keys of the paragraphs with a stretched line in a layout (running text, not notes)."""
    keys = set()
    for page in document.pages:
        for element in _stretched_blocks(page._page_box.children[0]):
            keys.add(block_key(element))
    return keys


def notes_apart(book, document) -> set[str]:
    """Keys of the paragraphs whose note WeasyPrint set on another page than its call.
    A different spacing of the paragraph moves its lines and often brings the two together,
    before the cruder remedy of starting the paragraph on a new page (pdf.py)."""
    from . import ids

    page_of = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, index)
    keys = set()
    for division in book.divisions:
        for note in division.notes:
            call = ids.note_call(note.id)
            if call in page_of and page_of.get(note.id) != page_of[call]:
                # the paragraph and the one before it: either moves the call's line
                for block in _blocks_holding(document.pages[page_of[call]]._page_box.children[0], call) or ():
                    keys.add(block_key(block))
    return keys


def _blocks_holding(box, element_id: str, blocks=None):
    """The element of the block holding ``element_id`` and that of the block before it."""
    element = getattr(box, "element", None)
    if element is not None and element.get("id") == element_id:
        return blocks
    children = getattr(box, "children", ())
    for i, child in enumerate(children):
        inner = blocks
        if type(child).__name__ == "BlockBox" and getattr(child, "element", None) is not None:
            before = children[i - 1] if i and getattr(children[i - 1], "element", None) is not None else None
            inner = [child.element] + ([before.element] if before is not None and before.element.tag == "p" else [])
        found = _blocks_holding(child, element_id, inner)
        if found is not None:
            return found
    return None


def respace(body, levels: dict[str, int]) -> None:
    """Give each paragraph with a remembered stretched line its respacing class."""
    if not levels:
        return
    for el in body.iter("p", "li", "dd", "blockquote"):
        level = levels.get(block_key(el))
        if level:
            el.set("class", " ".join((el.get("class") or "").split() + [f"respace-{level}"]))
