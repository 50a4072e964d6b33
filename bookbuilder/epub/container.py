"""Package the content documents into an EPUB 3 with ebooklib."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from ebooklib import epub

from bookbuilder.epub.accessibility import describe
from bookbuilder.markup.cover_art import draw_cover
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.source.fetcher import read_allowed
from bookbuilder.markup.image_prep import expand_images, image_files, media_type
from bookbuilder.core.model import Book, inner_xhtml
from bookbuilder.core import pagelist
from bookbuilder.core.pagelist import PageList, page_list
from bookbuilder.cache import atomic_path
from bookbuilder.markup.expand import chart_files, expand_figures, expand_notes
from bookbuilder.markup.print_html import build_date, environment, epub_documents, epub_stylesheet, unmoved_print_html

XHTML = "application/xhtml+xml"
COVER_IMAGE = "images/cover.png"


def id_files(book: Book) -> dict[str, str]:
    """Element id -> the EPUB file it ends up in."""
    file_of = {}
    for division in book.divisions:
        file_of[division.id] = division.file_name
        for root in [division.body] + [note.content for note in division.notes]:
            for el in root.iter():
                if isinstance(el.tag, str) and el.get("id"):
                    file_of[el.get("id")] = division.file_name
    glossary = book.division("glossary")
    for entry in book.glossary:
        file_of[entry.id] = glossary.file_name if glossary else ""
    return file_of


def epub_bodies(book: Book, file_of: dict[str, str], charts: dict, images: dict | None = None) -> dict[str, str]:
    """Each division's body as XHTML, with links to other divisions pointed at their files."""
    bodies = {}
    env = environment()
    images = image_files(book, "epub") if images is None else images
    for division in book.divisions:
        body = copy.deepcopy(division.body)
        expand_figures(body, book, env, charts)
        expand_images(body, book, env, images)
        for link in body.iter("a"):
            href = link.get("href", "")
            target = href[1:] if href.startswith("#") else None
            if target and file_of.get(target, division.file_name) != division.file_name:
                link.set("href", f"{file_of[target]}#{target}")
            classes = (link.get("class") or "").split()
            # epub:type for reading systems, with its DPUB-ARIA role for assistive technology
            if "noteref" in classes:
                link.set("data-epub-type", "noteref")
                link.set("role", "doc-noteref")
            elif "glossterm" in classes:
                link.set("data-epub-type", "glossref")
                link.set("role", "doc-glossref")
        bodies[division.id] = inner_xhtml(body)     # data-epub-type becomes epub:type later
    return bodies


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
    ebook.add_metadata("DC", "rights",
                       f"Text adapted from “{meta.source_title}” by {meta.creator}, "
                       f"licensed under {meta.licence} ({meta.licence_url}).")
    ebook.add_metadata("DC", "source", meta.source_url)
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


def write_epub(book: Book, target: Path, edition: Edition | None = None, pages: PageList | None = None) -> Path:
    """Write the EPUB; its page numbers are those of ``pages`` or, by default, of the
    edition's own PDF (cached by the text's hash: laid out only when the text changed)."""
    edition = edition or reader_edition(book.config)
    ebook = assemble(book, edition, pages if pages is not None else edition_pages(book, edition))
    when = build_date(book)
    options = {"epub3_pages": False, "mtime": when, "raise_exceptions": True}
    with atomic_path(target) as tmp:
        writer = _Writer(str(tmp), ebook, options)
        writer.process()
        writer.write()
        _pin_timestamps(tmp, when.timetuple()[:6])
    return target


class _Writer(epub.EpubWriter):
    """ebooklib's writer, declaring the book's language on the package element too
    (xml:lang, where DAISY Ace looks for it)."""

    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)


def edition_pages(book: Book, edition: Edition) -> PageList:
    """The page list of the edition's PDF: cached, or from its parts as its PDF is laid out
    (bookparts.py; WeasyPrint imported only then)."""
    source = pagelist.edition_name(book, edition)

    def lay_out() -> PageList:
        from bookbuilder.layout.parts import lay_out_book
        return PageList(source, tuple(lay_out_book(book, edition).markers))

    return page_list(book, source, unmoved_print_html(book, edition), lay_out)


def _pin_timestamps(path: Path, date_time: tuple) -> None:
    """Give every zip entry the build date, so the same book gives the same bytes.
    (ebooklib stamps entries with the clock.) The mimetype entry stays first and stored."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in entries:
            pinned = zipfile.ZipInfo(info.filename, date_time=date_time)
            pinned.compress_type = info.compress_type
            pinned.external_attr = 0o644 << 16
            out.writestr(pinned, data)
