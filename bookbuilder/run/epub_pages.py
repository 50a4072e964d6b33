"""The page list an EPUB gets: the print page numbers of the edition it follows.

The EPUB never lays anything out (it does not import the layout): the build hands it the
page list of the edition's PDF, from the cache when the print text is unchanged, else read
from that edition's parts as its PDF is laid out (WeasyPrint imported only then).
"""

from __future__ import annotations

from bookbuilder import cache
from bookbuilder.core import pagelist
from bookbuilder.core.editions import Edition
from bookbuilder.core.model import Book
from bookbuilder.core.pagelist import PageList
from bookbuilder.markup.print_html import unmoved_print_html


def epub_pages(book: Book, edition: Edition) -> PageList:
    """The page list of the edition's PDF: cached, or from its parts as its PDF is laid out."""
    source = pagelist.edition_name(book, edition)

    def lay_out() -> PageList:
        from bookbuilder.layout.parts import lay_out_book
        return PageList(source, tuple(lay_out_book(book, edition).markers))

    return pagelist.page_list(book, source, unmoved_print_html(book, edition), lay_out)


def cached_pages(book: Book, edition: Edition) -> PageList | None:
    """The page list of the edition's PDF if the cache holds it for this text, else None
    (nothing is laid out: the preview shows the last markers it had until the PDF follows)."""
    source = pagelist.edition_name(book, edition)
    cached = cache.read_json(pagelist.cache_file(book, source, unmoved_print_html(book, edition)))
    return PageList.from_json(cached) if cached else None
