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
    """Keys of the paragraphs to start on a new page so that a note WeasyPrint set on
    another page than its call comes back to it.

    WeasyPrint (70) would rather send the last note of a page overleaf than leave a lone
    first line (an orphan) of the page's last paragraph at its foot: that paragraph, not
    the one holding the call, is the one to move, and the page loses only a line or two.
    """
    from bookbuilder import ids

    page_of = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, index)
    keys = set()
    for division in book.divisions:
        for note in division.notes:
            call = ids.note_call(note.id)
            if call in page_of and page_of.get(note.id) != page_of[call]:
                last = _last_paragraph(document.pages[page_of[call]]._page_box.children[0])
                if last is not None:
                    keys.add(block_key(last))
    return keys


def _last_paragraph(box):
    """The element of the last block on a page that holds lines of text."""
    last = None
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "LineBox":
            element = getattr(box, "element", None)
            return element if element is not None else last
        found = _last_paragraph(child)
        if found is not None:
            last = found
    return last


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
