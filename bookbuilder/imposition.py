"""Imposition: a laid-out PDF's pages placed two to a sheet side, with pypdf.

- ``booklet``: saddle stitch. The pages are padded with blanks to a multiple of 4 and
  ordered for folding: the first sheet's front carries the last page and page 1, its back
  page 2 and the second-to-last, and so on inwards. Printed duplex (flip on the short
  edge), stacked and folded, the sheets read in order.
- ``2up``: pages side by side in reading order (1–2, 3–4, …), for reading or proofing.

Each side is twice the page's width (two letter pages make a tabloid side, two A4 an A3
side): pages are placed, never scaled or re-rendered, so text stays text.
"""

from __future__ import annotations

import math
from pathlib import Path

from . import cache


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indexes of each sheet side, for ``pages`` pages padded to a
    multiple of 4; an index >= ``pages`` is a blank."""
    padded = max(4, math.ceil(pages / 4) * 4)
    sides = []
    for sheet in range(padded // 4):
        outer, inner = 2 * sheet, padded - 1 - 2 * sheet
        sides.append((inner, outer))             # front: last page left, first page right
        sides.append((outer + 1, inner - 1))     # back
    return sides


def two_up_order(pages: int) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in range(0, pages, 2)]


ORDERS = {"booklet": booklet_order, "2up": two_up_order}


def impose(source: Path, target: Path, kind: str) -> Path:
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    reader = PdfReader(source)
    pages = list(reader.pages)
    box = pages[0].mediabox
    width, height = float(box.width), float(box.height)
    writer = PdfWriter()
    for left, right in ORDERS[kind](len(pages)):
        side = PageObject.create_blank_page(width=2 * width, height=height)
        for index, offset in ((left, 0.0), (right, width)):
            if index < len(pages):
                side.merge_transformed_page(pages[index], Transformation().translate(offset, 0))
        writer.add_page(side)
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if k in ("/Title", "/Author")})
    # a stable file identifier: the same packet gives the same bytes
    writer._ID = reader.trailer.get("/ID") if hasattr(writer, "_ID") else None
    with cache.atomic_path(target) as tmp:
        with open(tmp, "wb") as out:
            writer.write(out)
    return target
