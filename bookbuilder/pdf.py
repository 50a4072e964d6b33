"""Lay out the print HTML with WeasyPrint and write the PDF."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from .model import Book
from .output import atomic_output
from .render import TEMPLATES, print_html


def layout(book: Book):
    """Lay the book out once; the result's pages carry the anchors of every element id."""
    return HTML(string=print_html(book), base_url=str(TEMPLATES / "print")).render()


def write_pdf(book: Book, target: Path) -> Path:
    document = layout(book)
    with atomic_output(target) as tmp:
        document.write_pdf(tmp, pdf_identifier=book.config.identifier.encode(), uncompressed_pdf=False)
    return target
