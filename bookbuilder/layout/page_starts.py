"""Where each printed page begins, read from a WeasyPrint layout, for the EPUB's page list.

A page begins at the first word (or image) its body flow holds, stated as the division it
begins in, the nearest element with an id (the same in both editions) and the count of
letters and digits of that element's text before it (core/pagelist.py says why). Text only
print shows (footnotes at the foot of the page, note calls, data tables) is not counted. A
blank page gets the marker of where the next page begins. The layout's boxes are read
through boxes.py.
"""

from __future__ import annotations

from bookbuilder import cache
from bookbuilder.core.pagelist import PageList, PageMarker, cache_file, letters
from bookbuilder.layout import boxes

# classes of elements whose text only one edition shows (or shows elsewhere): never counted
PRINT_ONLY = frozenset({"footnote", "fn-call", "continued-notes", "figure-data"})
# ids made only for the print layout: never anchors
PRINT_ONLY_ID_SUFFIXES = ("-call", "-full")


def from_layout(book, document, folios: list[str], source: str) -> PageList:
    """The page markers of one laid-out edition: ``document`` is a rendered WeasyPrint
    document of that edition (the book, or a packet), ``folios`` the printed number of each
    of its pages. Only divisions of ``book`` found in the layout get markers."""
    if not document.pages:
        return PageList(source)
    root = boxes.root_element(document)
    parent = {child: el for el in root.iter() for child in el}
    division_ids = {d.id for d in book.divisions}

    def context(element):
        """(division id, skipped?, chain of ancestors from the element up to its division)."""
        chain, skipped, el = [], False, element
        while el is not None:
            chain.append(el)
            if set((el.get("class") or "").split()) & PRINT_ONLY:
                skipped = True
            if el.get("id") in division_ids:
                return el.get("id"), skipped, chain
            el = parent.get(el)
        return None, skipped, chain

    count = 0
    first_seen: dict = {}           # element -> letters counted before its first text
    starts: list[tuple[int, tuple | None]] = []   # per page: (division, anchor, offset) or None
    blank: list[bool] = []
    for page in document.pages:
        start, anything = None, False
        for element, text, image in boxes.flow_leaves(page):
            n = letters(text)
            if element is None:
                continue
            division_id, skipped, chain = context(element)
            if n or not text:
                anything = True
            if division_id is None:
                continue
            for el in chain:
                first_seen.setdefault(el, count)
            if start is None and (n or image):
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


def remember(book, document, folios: list[str], source: str, text_html: str) -> PageList:
    """Read the page list from a layout the build made anyway (the PDF's) and cache it."""
    pages = from_layout(book, document, folios, source)
    cache.write_json(cache_file(book, source, text_html), pages.to_json())
    return pages
