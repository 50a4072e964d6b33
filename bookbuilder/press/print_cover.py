"""The print cover: one full wrap (back, spine, front) with bleed, as PDF/X-4.

Laid out by WeasyPrint from templates/cover/ (text stays text, fonts embedded and subset)
in the typographic style of the EPUB cover (markup/cover_art.py): dark paper, cream ink, a red rule,
EB Garamond. The spine is as wide as the print PDF is thick: its page count times the
paper's thickness from book.yaml (``paper: {thickness_in: 0.0025}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from bookbuilder import ids
from bookbuilder.core import paper
from bookbuilder.core.model import Book
from bookbuilder.errors import RenderError
from bookbuilder.layout import patches
from bookbuilder.layout.engine import render
from bookbuilder.markup.templates import common_context, environment
from bookbuilder.press.print_pdf import write_pdf_x4

EDITION = "cover"
MIN_SPINE_TEXT_IN = 0.25            # a narrower spine carries no text: it could land off the spine
BLURB_CHARS = 420                   # about what the back cover holds in 11.5 pt beside the licence
# the EPUB cover's colours (markup/cover_art.py), as CMYK ink for the press
INK = {
    "paper": "device-cmyk(0.55 0.62 0.6 0.72)",     # #2b2422, a warm near-black
    "cream": "device-cmyk(0.03 0.04 0.1 0)",        # #f4efe4
    "red": "device-cmyk(0.15 0.9 0.85 0.25)",       # #a8322d
}


@dataclass(frozen=True)
class Geometry:
    """The wrap's measures, in inches (trim; the bleed lies outside)."""

    panel: float            # width of the front and of the back
    height: float
    spine: float
    bleed: float = paper.BLEED_IN
    slug: float = paper.SLUG_IN   # beyond the bleed: crop marks, and fold marks at the spine

    @property
    def width(self) -> float:
        return round(2 * self.panel + self.spine, 4)

    @property
    def spine_text(self) -> bool:
        return self.spine >= MIN_SPINE_TEXT_IN

    @property
    def spine_font_pt(self) -> float:
        """Spine type fills about half the spine's width, never more than 14 pt."""
        return round(min(14.0, self.spine * 72 * 0.5), 1)


def geometry(book: Book, page_count: int) -> Geometry:
    width, height = paper.TRIM_INCHES[book.config.trim]
    return Geometry(panel=width, height=height, spine=round(page_count * book.config.paper_thickness_in, 4))


def write_cover(book: Book, target: Path, print_pdf: Path) -> Path:
    """Write the cover for the print PDF ``print_pdf`` (its page count sets the spine)."""
    g = geometry(book, page_count(print_pdf))
    css = environment().get_template("cover/wrap.css.j2").render(
        g=g, ink=INK, prepress=paper.stylesheet_context(), fonts=_fonts())
    source = environment().get_template("cover/wrap.html.j2").render(
        g=g, css=Markup(css), blurb=blurb(book), **common_context(book))
    # the restricted fetcher, as for the book; its own style sheet, for its colour profile
    document = render(source, book.config.root, shared_styles=False)
    meta = book.config
    patches.pin_xmp_ids(document.metadata, ids.xmp_document_id(meta.identifier, EDITION),
                         ids.xmp_instance_id(meta.identifier, EDITION, document.metadata.modified or ""))
    write_pdf_x4(document, target, f"{meta.identifier}#{EDITION}")
    return target


def page_count(print_pdf: Path) -> int:
    import pikepdf

    if not print_pdf.is_file():
        raise RenderError(f"no print PDF at {print_pdf} to measure the spine from",
                          hint="build the print edition first: python build.py print")
    with pikepdf.open(print_pdf) as pdf:
        return len(pdf.pages)


def blurb(book: Book) -> str:
    """``blurb:`` from book.yaml, else the first sentences of the book's first chapter."""
    if book.config.blurb:
        return book.config.blurb
    if not book.chapters:
        return ""
    first = book.chapters[0].body.find(".//p")
    text = " ".join((first.text_content() if first is not None else "").split())
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“])", text)
    chosen = sentences[:1]
    for sentence in sentences[1:]:
        if len(" ".join(chosen + [sentence])) > BLURB_CHARS:
            break
        chosen.append(sentence)
    return " ".join(chosen)


def _fonts():
    from bookbuilder.fonts import book_fonts
    return book_fonts()
