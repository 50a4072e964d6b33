"""Page-break markers placed in the EPUB's XHTML where each printed page begins.

A marker (core/pagelist.PageMarker) names an anchor (the nearest element with an id) and an
offset in letters and digits into its text; here it is found again in the XHTML, the text
that only the EPUB shows (note numbers, note lists, data tables) left out of the count, and
the marker is put before the word the page begins with.
"""

from __future__ import annotations

from typing import Callable, Iterable

from bookbuilder.core.pagelist import PageMarker, letters

EPUB_ONLY = frozenset({"noteref", "notes", "figure-data", "pagebreak"})


EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


# inline elements a marker may step out of, when it stands at their very start
INLINE = frozenset({"a", "span", "i", "b", "em", "strong", "dfn", "abbr", "cite", "small", "q",
                    "sup", "sub", "code", "bdi", "bdo", "mark", "s", "u", "var", "time"})


# elements that may not hold a span directly: a marker at their start goes into their first child
# characters a line may break after inside a word (a page may begin right after them)
BREAK_AFTER = frozenset("-\u2010\u2013\u2014/")


NO_PHRASING = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"})


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _kinds(element) -> set[str]:
    """Its classes and, in XHTML, its epub:type tokens."""
    return set((element.get("class") or "").split()) | set((element.get(EPUB_TYPE) or "").split())


def text_slots(anchor, skip=EPUB_ONLY) -> Iterable[tuple[object, str, str]]:
    """(element, "text" or "tail", text) of every text node inside ``anchor``, in reading
    order, leaving out the subtrees whose class is in ``skip``."""
    def walk(el):
        if el.text:
            yield el, "text", el.text
        for child in el:
            if isinstance(child.tag, str) and not (_kinds(child) & skip):
                yield from walk(child)
            if child.tail:
                yield child, "tail", child.tail
    yield from walk(anchor)


def insert_markers(root, markers: Iterable[PageMarker], make_marker: Callable[[PageMarker], object]) -> int:
    """Put a marker element (made by ``make_marker``) in the XHTML tree ``root`` where each
    page begins; returns how many were placed. Markers are placed in order, so markers of
    consecutive blank pages stand in page order."""
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    placed = 0
    for marker in markers:
        anchor = by_id.get(marker.anchor_id)
        if anchor is None:
            continue
        new = make_marker(marker)
        _place(anchor, marker.offset, new)
        _step_out_of_inline(new)
        placed += 1
    return placed


def _place(anchor, offset: int, new) -> None:
    if offset == 0:
        target = anchor
        while _tag(target) in NO_PHRASING and len(target):
            target = target[0]
        # after markers already standing at the start (earlier blank pages)
        at = 0
        while at < len(target) and _is_marker(target[at]) and not (target.text or "").strip():
            at += 1
        if at == 0:
            new.tail, target.text = target.text, None
        else:
            new.tail, target[at - 1].tail = target[at - 1].tail, None
        target.insert(at, new)
        return
    seen, last = 0, None
    for el, where, text in text_slots(anchor):
        n = letters(text)
        if n and seen + n > offset:
            cut = _word_start(text, _index_of_letter(text, offset - seen))
            _split(el, where, cut, new)
            return
        seen += n
        if text.strip():
            last = (el, where, text)
    if last is not None:                 # past the end: after the last text
        el, where, text = last
        _split(el, where, len(text.rstrip()), new)
    else:
        anchor.append(new)


def _is_marker(el) -> bool:
    return isinstance(el.tag, str) and "pagebreak" in _kinds(el)


def _index_of_letter(text: str, k: int) -> int:
    """Index in ``text`` of its (k+1)-th letter or digit."""
    for i, ch in enumerate(text):
        if ch.isalnum():
            if k == 0:
                return i
            k -= 1
    return len(text)


def _word_start(text: str, i: int) -> int:
    """Back from the page's first letter to where its line began: over an opening bracket or
    quotation mark, and to the start of a word hyphenated across the two pages (the marker
    stands before the word), but not past a space or a dash a line may break after."""
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in BREAK_AFTER:
        i -= 1
    return i


def _split(el, where: str, cut: int, new) -> None:
    if where == "text":
        new.tail, el.text = el.text[cut:] or None, el.text[:cut] or None
        el.insert(0, new)
    else:
        new.tail, el.tail = el.tail[cut:] or None, el.tail[:cut] or None
        el.addnext(new)


def _step_out_of_inline(new) -> None:
    """A marker at the very start of a link or span stands before it instead."""
    parent = new.getparent()
    while parent is not None and _tag(parent) in INLINE and parent.index(new) == 0 \
            and not (parent.text or "").strip() and parent.getparent() is not None:
        grand = parent.getparent()
        tail = new.tail
        parent.remove(new)
        parent.text = tail
        new.tail = None
        grand.insert(grand.index(parent), new)
        # the text before the inline element now precedes the marker
        parent = grand
