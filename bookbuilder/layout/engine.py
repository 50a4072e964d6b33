"""Lay out the print HTML with WeasyPrint and write the PDF.

Every edition's PDF is laid out in parts (bookparts.py) with ``render`` and written with
``write_tagged``, both here. The rest of this module lays an edition out whole, at once:
what the tests check the joined parts against, and what the benchmark's floor renders.

The back matter prints page numbers only a layout can give. On a first build, drafts
(the body without the generated back matter) tell where every marked word landed
(pages.PageMap) and which repairs the body needs; a second layout prints the page
numbers. The back matter sits after the body, so the body's pages cannot move between
the two. A rebuild starts from the last layout's page numbers and is usually done in one.
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from bookbuilder.errors import RenderError
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.source.fetcher import allowed_roots, refused
from bookbuilder.core.model import Book
from bookbuilder import cache
from bookbuilder import ids
from bookbuilder.process import memory
from bookbuilder.core import pagelist
from bookbuilder.layout import placement
from bookbuilder.layout import repairs
from bookbuilder.core.pagemap import PageMap
from bookbuilder.markup.print_html import print_html, unmoved_print_html

log = logging.getLogger("bookbuilder")


MAX_NOTE_REPAIRS = 3


def layout(book: Book, page_map: PageMap | None = None, new_page_notes: frozenset = frozenset(),
           draft: bool = False, edition: Edition | None = None):
    """Lay the book out; the result's pages carry the anchors of every element id."""
    return render(print_html(book, page_map, new_page_notes, draft, edition), book.config.root)


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
    """In a forked child (children.py): a font set-up and style sheets of its own. WeasyPrint
    writes each @font-face font into a folder of its set-up, named by the rule; a child
    sharing its parent's folder would write a file the parent (or another child) has mapped,
    and FreeType reading a file being rewritten dies of SIGBUS. The parent's set-up is kept
    referenced here, never collected: collecting it would delete the parent's folder."""
    if _font_config.cache_info().currsize:
        _inherited.append(_font_config())
        _font_config.cache_clear()
        _stylesheet.cache_clear()


os.register_at_fork(after_in_child=_own_font_setup)


@atexit.register
def _let_go_of_font_setup() -> None:
    """Free the process's font set-up and style sheets at exit, while WeasyPrint's libraries
    are still loaded: the fork hook above keeps this module's caches alive to the very end of
    the interpreter's shutdown, where freeing Pango's objects crashed (SIGSEGV)."""
    _stylesheet.cache_clear()
    _font_config.cache_clear()


class BookFetcher(URLFetcher):
    """WeasyPrint's fetcher, restricted to the folders fetcher.py allows (redirects off, no
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
    first = book.chapters[0].id if book.chapters else None
    return PageMap.from_document(document, first)


def body_pages(book: Book, page_map: PageMap) -> dict[str, int]:
    """Page index of every chapter opening: must not change between layouts."""
    return {d.id: page_map.page_of.get(d.id) for d in book.front + book.chapters}


def final_layout(book: Book, edition: Edition | None = None):
    """Lay the book out with its page numbers filled in. Returns the printed document and
    the page maps of the layout that gave the page numbers and of the printed one.

    A rebuild starts from the page numbers of the edition's last layout: when the layout
    made with them needs no repair and prints the page numbers it has itself, it is the
    final one, and the book was laid out once. Otherwise (or on a first build), drafts
    without the generated back matter find the repairs and the pages, and the book is laid
    out again with their page numbers. The back matter sits after the body, so the body's
    pages cannot move between the two: the body check in ``_checked`` proves it.
    """
    edition = edition or reader_edition(book.config)
    known = repairs.recall(book, edition)
    first = None
    last = cache.read_json(_last_pages(book, edition))
    if last:
        document, first = _from_last_pages(book, edition, known, PageMap(last["page_of"], last["folios"]))
        if document is not None:
            return _checked(book, edition, document, first)
    if first is None:
        first, known = draft_pages(book, edition, known)
    document = layout(book, first, frozenset(known.notes), edition=edition)
    return _checked(book, edition, document, first)


def _last_pages(book: Book, edition: Edition) -> Path:
    """Where the page map of the edition's last layout is kept: by book and edition, not by
    content (it is a guess for the next text, checked before it is trusted)."""
    return cache.path("layout", f"last-pages-{cache.key(repairs.RULES, str(book.config.root), edition.slug, length=20)}.json")


def _from_last_pages(book: Book, edition: Edition, known: repairs.Repairs, guess: PageMap):
    """Lay out with the last layout's page numbers: (document, its page map) when that is the
    final layout, (None, its page map) when only the page numbers were wrong, (None, None)
    when the body needs a repair."""
    moves = placement.Moves(book, known.figures, known.respaced)
    moves.restore()
    source = print_html(book, guess, frozenset(known.notes), edition=edition)
    document = render(source, book.config.root)
    page_map = page_map_of(book, document)
    more, again = moves.needed(_body(book, document, page_map))
    apart = {note_id for note_id, _ in misplaced(book, page_map)} - known.notes
    repair = bool(more or again or apart)
    if repair:
        log.debug("the last page numbers need repairs first: %s", sorted([*more, *again, *apart])[:5])
    if not repair and print_html(book, page_map, frozenset(known.notes), edition=edition) == source:
        return document, page_map
    del document
    memory.collect()            # a long book's layout is hundreds of megabytes: gone before the next
    return None, (None if repair else page_map)


def _body(book: Book, document, page_map: PageMap):
    """The pages before the generated back matter (what the drafts lay out and repair)."""
    generated = [page_map.page_of[d.id] for d in book.back if d.generated and d.id in page_map.page_of]
    return SimpleNamespace(pages=document.pages[:min(generated, default=len(document.pages))])


def _checked(book: Book, edition: Edition, document, first: PageMap):
    second = page_map_of(book, document)
    if body_pages(book, first) != body_pages(book, second):
        raise RenderError("the body moved between the two layouts",
                          hint="generated back matter must come after the chapters")
    for problem in misplaced_notes(book, second):
        log.warning(problem)
    cache.write_json(_last_pages(book, edition), {"page_of": second.page_of, "folios": second.folios})
    return document, first, second


def draft_pages(book: Book, edition: Edition | None = None,
                known: repairs.Repairs | None = None) -> tuple[PageMap, repairs.Repairs]:
    """The page map of the body, and the repairs its layout needs (repairs.py).

    When WeasyPrint sets a note on another page than its call, the block holding the
    call is moved to a new page and the body laid out again, before page numbers are read.
    """
    known = known or repairs.recall(book, edition)
    first = draft_map(book, known, edition)
    for _ in range(MAX_NOTE_REPAIRS):
        apart = {note_id for note_id, _ in misplaced(book, first)} - known.notes
        if not apart:
            break
        known.notes |= apart
        first = draft_map(book, known, edition)
    repairs.remember(book, known, edition)
    return first, known


def draft_map(book: Book, known: repairs.Repairs, edition: Edition | None = None) -> PageMap:
    """The page map of a draft layout, remembered by a hash of the draft's HTML: the
    same body text (and fonts, figures, styles, all named in it) lands on the same
    pages, so a rebuild whose body did not change lays the book out once, not twice.
    Figures are moved and paragraphs respaced to fill the draft's pages (placement.py);
    ``known`` takes the repairs found."""
    moves = placement.Moves(book, known.figures, known.respaced)
    moves.restore()

    def draft():
        return print_html(book, new_page_notes=frozenset(known.notes), draft=True, edition=edition)

    def remembered() -> Path:
        return cache.path("layout", f"pages-{cache.key(repairs.RULES, draft(), length=20)}.json")

    saved = cache.read_json(remembered())
    if saved:
        return PageMap(saved["page_of"], saved["folios"])
    document = moves.fill_pages(lambda: render(draft(), book.config.root))
    known.figures, known.respaced = moves.moves, moves.respaced
    page_map = page_map_of(book, document)
    cache.write_json(remembered(), {"page_of": page_map.page_of, "folios": page_map.folios})
    return page_map


def final_html(book: Book, edition: Edition | None = None) -> str:
    """The print HTML of the printed layout (what the benchmark's floor renders)."""
    first, known = draft_pages(book, edition)
    return print_html(book, first, frozenset(known.notes), edition=edition)


def misplaced(book: Book, page_map: PageMap) -> list[tuple[str, str]]:
    """(note id, problem) for notes that did not land at the foot of the page of their call."""
    problems = []
    for division in book.divisions:
        for note in division.notes:
            call = page_map.page_of.get(ids.note_call(note.id))
            body = page_map.page_of.get(note.id)
            if call is None:
                continue
            where = f"{division.source}: note {note.number} of {division.title!r}"
            if body is None:
                problems.append((note.id, f"{where} is missing from the PDF"))
            elif body != call:
                problems.append((note.id, f"{where} is on page {page_map.folios[body]}, "
                                          f"its call on page {page_map.folios[call]}"))
    return problems


def misplaced_notes(book: Book, page_map: PageMap) -> list[str]:
    return [problem for _, problem in misplaced(book, page_map)]


def write_pdf(book: Book, target: Path, edition: Edition | None = None) -> Path:
    """Lay an edition out whole and write it tagged: what its PDF joined from parts
    (bookparts.py) must be."""
    edition = edition or reader_edition(book.config)
    document, _, printed = final_layout(book, edition)
    # the EPUB's page numbers follow this edition's pages: read them now, for free
    pagelist.remember(book, document, printed.folios, pagelist.edition_name(book, edition),
                      unmoved_print_html(book, edition))
    write_tagged(book, document, target)
    del document
    memory.collect()            # the layout's box trees go before the next output is made
    return target


def write_tagged(book: Book, document, target: Path) -> Path:
    """Write a layout as a tagged PDF with the book's identifier: PDF/UA-1, a tagged PDF
    (structure for screen readers, the language of every Russian span, figures with their
    alt text) that declares itself and displays its title."""
    compact_page_streams()
    tag_languages()
    with cache.atomic_path(target) as tmp:
        document.write_pdf(tmp, pdf_identifier=book.config.identifier.encode(), pdf_tags=True,
                           pdf_variant="pdf/ua-1")
    return target


def tag_languages() -> None:
    """Give each structure element the language of its HTML element (/Lang (ru)).

    WeasyPrint 70 tags the structure but writes /Lang only for the document. Its tag
    builder is wrapped, once, to copy an element's lang attribute onto the element it makes;
    if a WeasyPrint release renames that builder, the PDF is still written, untagged by language.
    """
    import pydyf
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "with_languages", False):
        return

    def build_with_languages(box, parent, pdf, *args):
        element = getattr(box, "element", None)
        lang = None
        if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            lang = element.get("lang")
        for struct in build(box, parent, pdf, *args):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    build_with_languages.with_languages = True
    tags._build_box_tree = build_with_languages


def compact_page_streams() -> bool:
    """Join each page's drawing operations into one string once the page is painted.

    WeasyPrint 70 keeps every operation of every page (and of every form drawn on it) as
    its own small object until the whole PDF is written: for a 450-page book, about
    250 MB more than the layout. Its page painter is wrapped, once, to join the
    operations of the streams made while painting a page, in the order and with the
    separator its writer uses, so the bytes written are the same. If a release renames
    what is wrapped, the PDF is written as before, and this returns False;
    tests/test_freshness.py notices.
    """
    import pydyf
    from weasyprint import document
    from weasyprint.pdf import stream

    paint = getattr(document.Page, "paint", None)
    make = getattr(getattr(stream, "Stream", None), "__init__", None)
    as_bytes = getattr(pydyf, "_to_bytes", None)
    if paint is None or make is None or as_bytes is None:
        return False
    if getattr(paint, "compacting", False):
        return True
    made = []

    def make_recorded(self, *args, **kwargs):
        make(self, *args, **kwargs)
        made.append(self)

    def paint_compacting(self, target, *args, **kwargs):
        result = paint(self, target, *args, **kwargs)
        for painted in made:
            if isinstance(painted.stream, list) and len(painted.stream) > 1:
                painted.stream = [b"\n".join(as_bytes(item) for item in painted.stream)]
        made.clear()
        return result

    paint_compacting.compacting = True
    stream.Stream.__init__ = make_recorded
    document.Page.paint = paint_compacting
    return True
