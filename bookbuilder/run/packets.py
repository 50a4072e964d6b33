"""A course packet's outputs: its PDF, impositions, EPUB and web edition (declared in
core/packet_specs.py).

A packet reads its own model of its own chapters, so its notes, glossary, index and page
numbers follow what it holds; its PDF is laid out in parts like the book's, and its EPUB
carries the packet's own print pages. Its web edition (``<id>-web/`` beside the PDF) is the
packet's chapters as the book's web pages are, each linked to the same chapter in the whole
book's web edition: at ``base_url`` when book.yaml gives one, else where the build puts it.
"""

from __future__ import annotations

from pathlib import Path

from bookbuilder.core.editions import Edition
from bookbuilder.markup.web_pages import PacketSite


def write_packet(book_dir: Path, edition: Edition, out_dir: Path) -> list[Path]:
    """The packet's PDF, its impositions, its EPUB and its web edition, in ``out_dir``."""
    from bookbuilder.epub.container import write_epub
    from bookbuilder.layout.parts import write_book_pdf
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.press.imposition import impose
    from bookbuilder.run.epub_pages import epub_pages
    from bookbuilder.run.web_site import write_site
    from bookbuilder.source.manuscript import read_book

    book = enrich(read_book(book_dir, edition.selection))
    # laid out in parts, each kept in the cache: after an edit, its chapter alone is laid out
    pdf = write_book_pdf(book, out_dir / f"{edition.slug}.pdf", edition)
    outputs = [pdf]
    for kind in edition.packet.impose:
        outputs.append(impose(pdf, out_dir / f"{edition.slug}-{kind}.pdf", kind))
    pages = epub_pages(book, edition)
    outputs.append(write_epub(book, out_dir / f"{edition.slug}.epub", edition, pages))
    site = out_dir / f"{edition.slug}-web"
    write_site(book, site, pages, packet_site=PacketSite(edition.packet, book_site(book.config)),
               stem=edition.slug)
    return outputs + [site]


def book_site(config) -> str:
    """Where the whole book's web pages are, seen from a packet's: its ``base_url``, or the
    relative path from ``<out>/packets/<id>-web/`` to ``<out>/<slug>-web/``."""
    if config.base_url:
        return config.base_url
    return f"../../{config.slug}-web/"          # the packets' folder is inside the book's output folder
