"""The EPUB 3 container: the content documents (markup/epub_xhtml.py), the style sheet, the
charts and images, the cover and the package metadata (accessibility.py), put together with
ebooklib and written through writer.py.

The EPUB lays nothing out: its print page numbers (``pages``) are handed to it by the build
(run/epub_pages.py), read from the layout of the edition it follows.
"""

from __future__ import annotations

from pathlib import Path

from ebooklib import epub

from bookbuilder.cache import atomic_path
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.core.model import Book
from bookbuilder.core.pagelist import PageList
from bookbuilder.epub import writer
from bookbuilder.epub.accessibility import describe
from bookbuilder.markup.cover_art import draw_cover
from bookbuilder.markup.epub_xhtml import epub_bodies, epub_documents, epub_stylesheet, id_files
from bookbuilder.markup.expand import chart_files, expand_notes
from bookbuilder.markup.image_prep import image_files, media_type
from bookbuilder.markup.templates import build_date, environment
from bookbuilder.source.fetcher import read_allowed

XHTML = "application/xhtml+xml"
COVER_IMAGE = "images/cover.png"


def assemble(book: Book, edition: Edition | None = None, pages: PageList | None = None) -> epub.EpubBook:
    """The EPUB of ``book`` in ``edition`` (the whole book, or a packet); ``pages``, the page
    list of that edition's PDF, adds page-break markers, the nav's page-list and the
    pageBreakSource naming that edition."""
    meta = book.config
    edition = edition or reader_edition(meta)
    ebook = epub.EpubBook()
    ebook.set_identifier(edition.identifier)
    ebook.set_title(edition.packet.title if edition.packet else meta.title)
    ebook.set_language(meta.language)
    ebook.add_author(meta.creator)
    ebook.add_metadata("DC", "rights", "; ".join(
        f"Text adapted from “{s.title}” by {s.creator}, licensed under {s.licence} ({s.licence_url})"
        for s in meta.sources) + ("." if len(meta.sources) == 1 else f". This book: {meta.licence} ({meta.licence_url})."))
    for source in meta.sources:                      # each article the book is made from
        ebook.add_metadata("DC", "source", source.url)
    ebook.add_metadata("DC", "date", meta.edition_date.isoformat())
    if meta.publisher:
        ebook.add_metadata("DC", "publisher", meta.publisher)
    if meta.subtitle:
        ebook.add_metadata("DC", "description", meta.subtitle)
    for prop, value in describe(book, pages).properties():
        ebook.add_metadata(None, "meta", value, {"property": prop})
    if pages and pages.markers:
        ebook.add_metadata(None, "meta", pages.source, {"property": "pageBreakSource"})

    ebook.add_item(epub.EpubItem(uid="css", file_name="css/book.css", media_type="text/css",
                                 content=epub_stylesheet().encode()))
    expand_notes(book, environment())
    charts = chart_files(book, "epub")
    for figure in book.figures:
        path, name = charts[figure.id]
        ebook.add_item(epub.EpubItem(uid=figure.element_id, file_name=name,
                                     media_type="image/svg+xml", content=read_allowed(path, meta.root)))
    images = image_files(book, "epub")
    for path, name in sorted(set(images.values())):       # one file may be shown twice
        ebook.add_item(epub.EpubItem(uid="img-" + path.stem, file_name=name, media_type=media_type(path),
                                     content=read_allowed(path, meta.root)))
    cover = draw_cover(meta)
    ebook.set_cover(COVER_IMAGE, read_allowed(cover, meta.root), create_page=False)
    file_of = id_files(book)
    docs = epub_documents(book, epub_bodies(book, file_of, charts, images), file_of, cover_image=COVER_IMAGE, pages=pages)
    items = {}
    for name, xhtml in docs.items():
        item = epub.EpubItem(uid=name.removesuffix(".xhtml"), file_name=name, media_type=XHTML,
                             content=xhtml.encode("utf-8"))
        if name == "nav.xhtml":
            item.properties = ["nav"]
        ebook.add_item(item)
        items[name] = item
    ebook.add_item(epub.EpubNcx())
    ebook.toc = [epub.Link(d.file_name, d.title, d.id) for d in book.divisions]
    ebook.spine = [items["cover.xhtml"], items["titlepage.xhtml"], items["imprint.xhtml"], items["nav.xhtml"]] + [
        items[d.file_name] for d in book.divisions]
    return ebook


def write_epub(book: Book, target: Path, edition: Edition | None, pages: PageList | None) -> Path:
    """Write the EPUB of ``book`` in ``edition`` (None: the reader's); ``pages``: the page
    list of that edition's PDF (None: an EPUB without print page numbers)."""
    edition = edition or reader_edition(book.config)
    ebook = assemble(book, edition, pages)
    with atomic_path(target) as tmp:
        writer.write(ebook, tmp, build_date(book))
    return target
