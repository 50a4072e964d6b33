"""The print edition's page numbers, for the EPUB: where each printed page begins.

A page begins at the first word (or image) its body flow holds. That point is read from a
WeasyPrint layout of whichever edition the EPUB follows (the whole book's PDF, or a
packet's) and stated in terms both editions share, so the EPUB renderer can put a
page-break marker there:

- the division the page begins in;
- the *anchor*: the nearest element around that point that has an id (a paragraph, an
  index mark, a heading, a figure, the division itself...). Ids are the same in both
  editions, so the anchor is found again in the EPUB;
- the *offset*: how many letters and digits of the anchor's text come before the page's
  first one. Counting only letters and digits makes the count blind to whitespace,
  hyphenation and line breaks, which differ between a layout and an XHTML file; text that
  only one edition has (footnotes set at the foot of the page in print, note numbers and
  note lists in the EPUB, the charts' data tables) is left out on both sides.

A page that starts with no text of its own (a blank verso) gets its marker where the next
page begins. Pages outside any division (half-title, title page, imprint, contents) get none.

Laying the book out costs a WeasyPrint layout; the page list is cached under the cache root
by a hash of the print HTML (the whole text with its CSS) and the tool versions, so an EPUB
built after a PDF of the same text, or again, reuses it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from bookbuilder import cache
from bookbuilder import ids

VERSION = "1"       # bump when the way markers are computed changes

# classes of elements whose text only one edition shows (or shows elsewhere): never counted
PRINT_ONLY = frozenset({"footnote", "fn-call", "continued-notes", "figure-data"})
EPUB_ONLY = frozenset({"noteref", "notes", "figure-data", "pagebreak"})
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# ids made only for the print layout: never anchors
PRINT_ONLY_ID_SUFFIXES = ("-call", "-full")
# inline elements a marker may step out of, when it stands at their very start
INLINE = frozenset({"a", "span", "i", "b", "em", "strong", "dfn", "abbr", "cite", "small", "q",
                    "sup", "sub", "code", "bdi", "bdo", "mark", "s", "u", "var", "time"})
# elements that may not hold a span directly: a marker at their start goes into their first child
# characters a line may break after inside a word (a page may begin right after them)
BREAK_AFTER = frozenset("-\u2010\u2013\u2014/")
NO_PHRASING = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"})


@dataclass(frozen=True)
class PageMarker:
    division_id: str     # the division the page begins in
    anchor_id: str       # the nearest element with an id, in both editions, holding that point
    offset: int          # letters and digits of the anchor's text before the page's first one
    label: str           # the printed page number: "7", "xii"

    @property
    def id(self) -> str:
        return ids.page_marker(self.label)


@dataclass(frozen=True)
class PageList:
    source: str                          # the edition the pages are those of (pageBreakSource)
    markers: tuple[PageMarker, ...] = ()

    def for_division(self, division_id: str) -> list[PageMarker]:
        return [m for m in self.markers if m.division_id == division_id]

    def to_json(self) -> dict:
        return {"source": self.source, "markers": [asdict(m) for m in self.markers]}

    @classmethod
    def from_json(cls, data: dict) -> "PageList":
        return cls(data["source"], tuple(PageMarker(**m) for m in data["markers"]))


def letters(text: str) -> int:
    """The letters and digits in ``text``: the unit of every offset."""
    return sum(1 for ch in text if ch.isalnum())


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _kinds(element) -> set[str]:
    """Its classes and, in XHTML, its epub:type tokens."""
    return _classes(element) | set((element.get(EPUB_TYPE) or "").split())


# ------------------------------------------------------------------ reading a layout

def from_layout(book, document, folios: list[str], source: str) -> PageList:
    """The page markers of one laid-out edition: ``document`` is a rendered WeasyPrint
    document of that edition (the book, or a packet), ``folios`` the printed number of each
    of its pages. Only divisions of ``book`` found in the layout get markers."""
    from weasyprint.formatting_structure import boxes

    if not document.pages:
        return PageList(source)
    root = document.pages[0]._page_box.children[0].element
    parent = {child: el for el in root.iter() for child in el}
    division_ids = {d.id for d in book.divisions}

    def context(element):
        """(division id, skipped?, chain of ancestors from the element up to its division)."""
        chain, skipped, el = [], False, element
        while el is not None:
            chain.append(el)
            if _classes(el) & PRINT_ONLY:
                skipped = True
            if el.get("id") in division_ids:
                return el.get("id"), skipped, chain
            el = parent.get(el)
        return None, skipped, chain

    def items(box):
        """Leaves of the body flow, in reading order: text and images (not generated text)."""
        if "::" in (box.element_tag or ""):
            return
        if isinstance(box, boxes.TextBox):
            yield box, box.text
        elif isinstance(box, boxes.ReplacedBox):
            yield box, ""
        else:
            for child in getattr(box, "children", None) or ():
                yield from items(child)

    count = 0
    first_seen: dict = {}           # element -> letters counted before its first text
    starts: list[tuple[int, tuple | None]] = []   # per page: (division, anchor, offset) or None
    blank: list[bool] = []
    for page in document.pages:
        start, anything = None, False
        for box, text in items(page._page_box.children[0]):
            n = letters(text)
            if box.element is None:
                continue
            division_id, skipped, chain = context(box.element)
            if n or not text:
                anything = True
            if division_id is None:
                continue
            for el in chain:
                first_seen.setdefault(el, count)
            if start is None and (n or isinstance(box, boxes.ReplacedBox)):
                anchor = _anchor(chain, skipped)
                start = (division_id, anchor.get("id"), count - first_seen[anchor])
            if not skipped:
                count += n
        starts.append(start)
        blank.append(not anything)

    markers: list[PageMarker] = []
    waiting: list[int] = []         # blank pages: marked where the next page begins
    for index, start in enumerate(starts):
        if start is None:
            if blank[index] and (markers or _later_start(starts, index)):
                waiting.append(index)
            else:
                waiting.clear()
            continue
        for page in waiting + [index]:
            markers.append(PageMarker(start[0], start[1], start[2], folios[page]))
        waiting.clear()
    if waiting and markers:            # blank pages at the very end: after the last text
        last = markers[-1]
        for page in waiting:
            markers.append(PageMarker(last.division_id, last.division_id, 10 ** 9, folios[page]))
    return PageList(source, tuple(markers))


def _later_start(starts, index) -> bool:
    return any(s is not None for s in starts[index + 1:])


def _anchor(chain, skipped: bool):
    """The nearest element of ``chain`` with an id both editions have. Inside print-only
    text (the long notes' section), the page begins after the body: the division itself."""
    if skipped:
        return chain[-1]
    for el in chain:
        element_id = el.get("id")
        if element_id and not element_id.endswith(PRINT_ONLY_ID_SUFFIXES):
            return el
    return chain[-1]


# ------------------------------------------------------------------ the edition and its cache

def edition_name(book, edition) -> str:
    """How the EPUB names the edition its page numbers come from (its pageBreakSource)."""
    from bookbuilder.core.config import TRIM_INCHES
    from bookbuilder.core.editions import PACKET

    meta = book.config
    date = f"{meta.edition_date.day} {meta.edition_date:%B %Y}"
    if edition.variant == PACKET:
        return f"{edition.packet.title}, course packet of {meta.title} (PDF, {edition.packet.paper}), {date}"
    width, height = TRIM_INCHES[meta.trim]
    return f"{meta.title}, print edition (PDF, {width:g} × {height:g} in), {date}"


def _cache_file(book, source: str, text_html: str):
    """Keyed by the edition's name and its print HTML (the whole text with its CSS)."""
    digest = cache.key("page-list", VERSION, source, text_html, length=20)
    return cache.path("pages", f"{book.config.slug}-{digest}.json")


def remember(book, document, folios: list[str], source: str, text_html: str) -> PageList:
    """Read the page list from a layout the build made anyway (the PDF's) and cache it."""
    pages = from_layout(book, document, folios, source)
    cache.write_json(_cache_file(book, source, text_html), pages.to_json())
    return pages


def store(book, pages: PageList, text_html: str) -> PageList:
    """Cache a page list read from the layout of the edition named ``pages.source``."""
    cache.write_json(_cache_file(book, pages.source, text_html), pages.to_json())
    return pages


def page_list(book, source: str, text_html: str, lay_out: Callable[[], PageList]) -> PageList:
    """The page list of the edition the EPUB follows, from the cache when the text is unchanged;
    else ``lay_out()`` reads it from a layout of that edition."""
    cached = cache.read_json(_cache_file(book, source, text_html))
    if cached:
        return PageList.from_json(cached)
    return store(book, lay_out(), text_html)


# ------------------------------------------------------------------ placing markers in XHTML

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
