"""The layout engine: WeasyPrint, through its public API (``HTML``, ``CSS``, ``URLFetcher``,
``FontConfiguration``), laying out print HTML and writing a tagged PDF.

Every edition's PDF is laid out in parts (parts.py) with ``render`` and written with
``write_tagged``. WeasyPrint fetches only what source/fetcher.py allows (``BookFetcher``).
Style sheets are parsed once a process with one font set-up; a forked child makes its own
(process/forking.in_each_child). What WeasyPrint's public API cannot do is patched in
patches.py, and what it does not tell is read off its boxes in boxes.py.
"""

from __future__ import annotations

import atexit
import functools
import logging
import re
from pathlib import Path

from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from bookbuilder import cache
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.layout import patches
from bookbuilder.process import forking
from bookbuilder.source.fetcher import allowed_roots, refused

log = logging.getLogger("bookbuilder")


def render(source: str, book_root: Path, shared_styles: bool = True):
    """Lay out print HTML; WeasyPrint fetches only what the restricted fetcher allows.

    Its style sheets (our templates write them as ``<style>`` elements, and nothing else) are
    parsed once a process, with one font set-up for all its layouts, instead of once a
    layout: a third of the time of a short chapter's layout. They are given to WeasyPrint in
    their order as user style sheets, the document holding none of its own: the same
    cascade for our sheets, which use no ``!important``. ``shared_styles=False`` leaves them
    the document's: WeasyPrint takes a ``@color-profile`` (the cover's CMYK output intent)
    from the document's own sheets only."""
    fetcher = BookFetcher(book_root)
    if not shared_styles:
        return HTML(string=source, base_url=_base_url(), url_fetcher=fetcher).render()
    sheets = [_stylesheet(css, book_root, cache.root()) for css in STYLE.findall(source)]
    return HTML(string=STYLE.sub("", source), base_url=_base_url(), url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=_font_config())


STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _base_url() -> str:
    # relative URLs (the figures' figures/<name>.svg) resolve in the drawing cache
    return str(cache.path("print")) + "/"


@functools.lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.lru_cache(maxsize=16)
def _stylesheet(css: str, book_root: Path, cache_root: Path) -> CSS:
    """A parsed style sheet, its @font-face fonts added to the process's font set-up."""
    return CSS(string=css, base_url=_base_url(), url_fetcher=BookFetcher(book_root), font_config=_font_config())


_inherited: list = []          # a forked child's copy of its parent's font set-up, kept (see below)


def _own_font_setup() -> None:
    """In a forked child (process/forking.py): a font set-up and style sheets of its own. WeasyPrint
    writes each @font-face font into a folder of its set-up, named by the rule; a child
    sharing its parent's folder would write a file the parent (or another child) has mapped,
    and FreeType reading a file being rewritten dies of SIGBUS. The parent's set-up is kept
    referenced here, never collected: collecting it would delete the parent's folder."""
    if _font_config.cache_info().currsize:
        _inherited.append(_font_config())
        _font_config.cache_clear()
        _stylesheet.cache_clear()


forking.in_each_child(_own_font_setup)


@atexit.register
def _let_go_of_font_setup() -> None:
    """Free the process's font set-up and style sheets at exit, while WeasyPrint's libraries
    are still loaded: the fork hook above keeps this module's caches alive to the very end of
    the interpreter's shutdown, where freeing Pango's objects crashed (SIGSEGV)."""
    _stylesheet.cache_clear()
    _font_config.cache_clear()


class BookFetcher(URLFetcher):
    """WeasyPrint's fetcher, restricted to the folders source/fetcher.py allows (redirects off, no
    network). It lives here, with WeasyPrint, so that the EPUB and `check` never import it."""

    def __init__(self, book_dir: Path):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = allowed_roots(book_dir)

    def fetch(self, url, headers=None):
        reason = refused(url, self.roots)
        if reason:
            raise ValueError(f"refused: {reason}")
        return super().fetch(url, headers)


def page_map_of(book: Book, document) -> PageMap:
    """Where every element id landed in a layout, and each page's folio (arabic from the first chapter)."""
    first = book.chapters[0].id if book.chapters else None
    return PageMap.from_document(document, first)


def write_tagged(book: Book, document, target: Path) -> Path:
    """Write a layout as a tagged PDF with the book's identifier: PDF/UA-1, a tagged PDF
    (structure for screen readers, the language of every Russian span, figures with their
    alt text) that declares itself and displays its title."""
    patches.apply()
    with cache.atomic_path(target) as tmp:
        document.write_pdf(tmp, pdf_identifier=book.config.identifier.encode(), pdf_tags=True,
                           pdf_variant="pdf/ua-1")
    return target


