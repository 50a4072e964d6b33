"""Reading a WeasyPrint layout's boxes: the one module that touches its private attributes.

WeasyPrint's public API gives a laid-out page's size and its anchors (element id ->
position); what the repairs and the page list need goes further: the page's box tree
(``page._page_box``), where each line sits (``position_y``, ``height``), how far a justified
line's spaces were stretched (``justification_spacing``), the kind of each box. All of it is
read here and nowhere else, so a WeasyPrint upgrade that changes it breaks one module, and
tests/test_engine_doors.py (test_weasyprint_box_reading_still_reads) notices at once.

Box kinds are compared by exact type, as the rules that use them were written: a line box,
a block box (not one of its subclasses: table or flex containers), a text box, a replaced
box (an image).
"""

from __future__ import annotations

from weasyprint.formatting_structure import boxes as wp

MAX_GAP_EM = 1.5                # as check/layout_quality.py: the widest acceptable space in a justified line
SPACE_EM = 0.22                 # the natural space of EB Garamond, in em


# ------------------------------------------------------------------ pages

def page_root(page):
    """The box of the page's body flow (the root element's box)."""
    return page._page_box.children[0]


def root_element(document):
    """The laid-out document's root element (its <html>)."""
    return page_root(document.pages[0]).element


def room_left(page) -> float:
    """Points of the page's text block left empty under its running text and above its notes."""
    page_box = page._page_box
    body, notes = page_box.children[0], (page_box.children[1:2] or [None])[0]
    limit = page_box.content_box_y() + page_box.height
    if notes is not None and notes.children:
        limit = notes.position_y
    bottom = max((line.position_y + line.height for line in lines(body)), default=page_box.content_box_y())
    return limit - bottom


# ------------------------------------------------------------------ boxes

def language_of(box) -> str | None:
    """The lang attribute of the element a box was made for; None for the root and body,
    whose language is the document's."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    return element.get("lang")


def lines(box, skip=None):
    """Line boxes under ``box``, leaving out ``skip``'s."""
    if box is skip:
        return
    if type(box) is wp.LineBox:
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from lines(child, skip)


def find(box, element_id: str):
    """The first box under ``box`` (itself included) made for the element with that id."""
    element = getattr(box, "element", None)
    if element is not None and element.get("id") == element_id:
        return box
    for child in getattr(box, "children", ()):
        found = find(child, element_id)
        if found is not None:
            return found
    return None


def parent(box, child):
    """The box under ``box`` whose child ``child`` is."""
    for candidate in getattr(box, "children", ()):
        if candidate is child:
            return box
        found = parent(candidate, child)
        if found is not None:
            return found
    return None


def opens_page(page, figure_box) -> bool:
    """No running text above the figure on its page."""
    return not any(line.position_y < figure_box.position_y for line in lines(page_root(page), skip=figure_box))


def blocks_after(box, container):
    """(element or None, outer height) of each block after ``box`` among its container's children."""
    siblings = container.children
    for block in siblings[siblings.index(box) + 1:]:
        yield getattr(block, "element", None), block.margin_height()


def drawn(document, element_id: str, anchored: int | None):
    """(page index, page's root box, the element's box) where an element with lines of its
    own (a figure) is drawn. Its anchor can sit on the page before, where an empty fragment
    of its box was left."""
    if anchored is None:
        return None
    for index in (anchored, anchored + 1):
        if index >= len(document.pages):
            break
        root = page_root(document.pages[index])
        box = find(root, element_id)
        if box is not None and any(True for _ in lines(box)):
            return index, root, box
    return None


# ------------------------------------------------------------------ lines of text

def stretched_blocks(page):
    """Elements of the page's blocks holding a line whose spaces are stretched past MAX_GAP_EM."""
    yield from _stretched_blocks(page_root(page))


def _stretched_blocks(box, block=None):
    if type(box) is wp.LineBox:
        size = box.style["font_size"]
        if _spacing(box) + SPACE_EM * size > MAX_GAP_EM * size and block is not None:
            yield block
        return
    if type(box) is wp.BlockBox and getattr(box, "element", None) is not None:
        block = box.element
    for child in getattr(box, "children", ()):
        yield from _stretched_blocks(child, block)


def _spacing(box) -> float:
    if getattr(box, "justification_spacing", 0):
        return box.justification_spacing
    return max((_spacing(child) for child in getattr(box, "children", ())), default=0.0)


def last_paragraph(page):
    """The element of the last block on a page that holds lines of text."""
    return _last_paragraph(page_root(page))


def _last_paragraph(box):
    last = None
    for child in getattr(box, "children", ()):
        if type(child) is wp.LineBox:
            element = getattr(box, "element", None)
            return element if element is not None else last
        found = _last_paragraph(child)
        if found is not None:
            last = found
    return last


def flow_leaves(page):
    """(element, text, is an image) of the leaves of the page's body flow, in reading order:
    text and images, not generated text (``::before``, ``::marker``...)."""
    yield from _leaves(page_root(page))


def _leaves(box):
    if "::" in (box.element_tag or ""):
        return
    if isinstance(box, wp.TextBox):
        yield box.element, box.text, False
    elif isinstance(box, wp.ReplacedBox):
        yield box.element, "", True
    else:
        for child in getattr(box, "children", None) or ():
            yield from _leaves(child)
