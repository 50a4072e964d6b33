"""A course packet's outputs: its PDF, impositions and EPUB (declared in core/packet_specs.py).

A packet reads its own model of its own chapters, so its notes, glossary, index and page
numbers follow what it holds; its PDF is laid out in parts like the book's, and its EPUB
carries the packet's own print pages.
"""

from __future__ import annotations

from pathlib import Path

from bookbuilder.core.editions import Edition


def write_packet(book_dir: Path, edition: Edition, out_dir: Path) -> list[Path]:
    """The packet's PDF, its impositions and its EPUB, in ``out_dir``."""
    from bookbuilder.epub.container import write_epub
    from bookbuilder.layout.parts import write_book_pdf
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.press.imposition import impose
    from bookbuilder.run.epub_pages import epub_pages
    from bookbuilder.source.manuscript import read_book

    book = enrich(read_book(book_dir, edition.selection))
    # laid out in parts, each kept in the cache: after an edit, its chapter alone is laid out
    pdf = write_book_pdf(book, out_dir / f"{edition.slug}.pdf", edition)
    outputs = [pdf]
    for kind in edition.packet.impose:
        outputs.append(impose(pdf, out_dir / f"{edition.slug}-{kind}.pdf", kind))
    outputs.append(write_epub(book, out_dir / f"{edition.slug}.epub", edition, epub_pages(book, edition)))
    return outputs
