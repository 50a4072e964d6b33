"""The print edition's page numbers, for the EPUB: where each printed page begins, and the
cache that keeps them.

A page begins at the first word (or image) its body flow holds. That point is read from a
WeasyPrint layout of whichever edition the EPUB follows (the whole book's PDF, or a
packet's: layout/page_starts.py) and stated in terms both editions share, so the EPUB's
markup can put a page-break marker there (markup/page_markers.py):

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
from typing import Callable

from bookbuilder import cache, ids

VERSION = "1"       # bump when the way markers are computed changes


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


# ------------------------------------------------------------------ the edition and its cache

def edition_name(book, edition) -> str:
    """How the EPUB names the edition its page numbers come from (its pageBreakSource)."""
    from bookbuilder.core.paper import TRIM_INCHES
    from bookbuilder.core.editions import PACKET

    meta = book.config
    date = f"{meta.edition_date.day} {meta.edition_date:%B %Y}"
    if edition.variant == PACKET:
        return f"{edition.packet.title}, course packet of {meta.title} (PDF, {edition.packet.paper}), {date}"
    width, height = TRIM_INCHES[meta.trim]
    return f"{meta.title}, print edition (PDF, {width:g} × {height:g} in), {date}"


def cache_file(book, source: str, text_html: str):
    """Keyed by the edition's name and its print HTML (the whole text with its CSS)."""
    digest = cache.key("page-list", VERSION, source, text_html, length=20)
    return cache.path("pages", f"{book.config.slug}-{digest}.json")


def store(book, pages: PageList, text_html: str) -> PageList:
    """Cache a page list read from the layout of the edition named ``pages.source``."""
    cache.write_json(cache_file(book, pages.source, text_html), pages.to_json())
    return pages


def page_list(book, source: str, text_html: str, lay_out: Callable[[], PageList]) -> PageList:
    """The page list of the edition the EPUB follows, from the cache when the text is unchanged;
    else ``lay_out()`` reads it from a layout of that edition."""
    cached = cache.read_json(cache_file(book, source, text_html))
    if cached:
        return PageList.from_json(cached)
    return store(book, lay_out(), text_html)


