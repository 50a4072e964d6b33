"""Imposition: a laid-out PDF's pages placed two to a sheet side, with pikepdf.

- ``booklet``: saddle stitch. The pages are padded with blanks to a multiple of 4 and
  ordered for folding: the first sheet's front carries the last page and page 1, its back
  page 2 and the second-to-last, and so on inwards. Printed duplex (flip on the short
  edge), stacked and folded, the sheets read in order.
- ``2up``: pages side by side in reading order (1–2, 3–4, …), for reading or proofing.

Each side is twice the page's width (two letter pages make a tabloid side, two A4 an A3
side): pages are placed, never scaled or re-rendered, so text stays text. Each page is
placed whole as a form XObject (qpdf's overlay, through pikepdf): its drawing is never
parsed, which pypdf's page merge did, at a quarter of a second a page.
"""

from __future__ import annotations

import math
from pathlib import Path

from bookbuilder import cache


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
    import pikepdf

    with pikepdf.open(source) as reader, pikepdf.new() as writer:
        pages = reader.pages
        box = pages[0].mediabox
        width, height = float(box[2] - box[0]), float(box[3] - box[1])
        for left, right in ORDERS[kind](len(pages)):
            side = writer.add_blank_page(page_size=(2 * width, height))
            for slot, (index, offset) in enumerate(((left, 0.0), (right, width))):
                if index < len(pages):
                    _place(side, pages[index], f"/Page{slot}", pikepdf.Rectangle(offset, 0, offset + width, height))
        for key in ("/Title", "/Author"):
            if key in reader.docinfo:
                writer.docinfo[key] = reader.docinfo[key]
        with cache.atomic_path(target) as tmp:
            # deterministic_id: the same packet gives the same bytes
            writer.save(tmp, deterministic_id=True, compress_streams=True)
    return target


def _place(side, page, name: str, rect) -> None:
    """``page`` drawn in ``rect`` of ``side``, as a form XObject: what pikepdf's
    Page.add_overlay does, under a name of ours (it names the form at random, and the same
    packet must give the same bytes)."""
    import pikepdf

    form = page.as_form_xobject()
    placed = side.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    drawn = side.calc_form_xobject_placement(form, placed, rect, allow_shrink=True, allow_expand=True)
    side.contents_add(b"q\n" + drawn + b"\nQ\n", prepend=False)
