"""The print edition's page numbers, for the EPUB: where each printed page begins.

(Filled in by the page-list step.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageMarker:
    division_id: str     # the division the page begins in
    anchor_id: str       # the nearest element with an id, in both editions, holding that point
    offset: int          # letters and digits of the anchor's text before the page's first one
    label: str           # the printed page number: "7", "xii"


@dataclass(frozen=True)
class PageList:
    source: str                          # the edition the pages are those of (pageBreakSource)
    markers: tuple[PageMarker, ...] = ()
