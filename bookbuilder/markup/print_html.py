"""Render the document model through Jinja2 templates.

Python hands the templates data; markup lives in ``bookbuilder/templates/`` (package data). The only tree
rewriting here is format-specific: notes become CSS footnotes in print, and
``epub:type`` attributes in the EPUB.
"""

from __future__ import annotations

import contextlib
import copy
import functools
from importlib import resources
import datetime as dt
from dataclasses import dataclass
import os
import re

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from lxml import etree, html
from markupsafe import Markup

from bookbuilder import ids
from bookbuilder.fonts import book_fonts
from bookbuilder.core.config import TRIM_INCHES
from bookbuilder.core.model import Book, Division, inner_html
from bookbuilder.core.pagemap import PageMap
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.markup.expand import chart_files, expand_figures, expand_notes
from bookbuilder.markup.image_prep import expand_images, image_files
from bookbuilder.passes.notes import note_refs
from bookbuilder.words import words
from bookbuilder.markup.applied_repairs import punctuation_into_marks, respace
from bookbuilder.layout.placement import apply_moves, moved_figure
from bookbuilder.core.pagelist import PageList, PageMarker, insert_markers

EPUB_TYPE_ATTR = re.compile(r' data-epub-type="')
NUMBER_RANGE = re.compile(r"\d+–\d+")


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """One template environment per process: templates are compiled once."""
    env = Environment(
        loader=PackageLoader("bookbuilder", "templates"),
        autoescape=select_autoescape(["html", "xhtml", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markup"] = Markup
    env.filters["keep_ranges"] = keep_ranges
    env.globals["ids"] = ids
    env.filters["chapter_ranges"] = chapter_ranges
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """Text for a CSS string in double quotes, in a stylesheet inlined in HTML: quotes,
    backslashes, line breaks and markup characters as CSS escapes (never HTML entities)."""
    return Markup("".join(f"\\{ord(ch):x} " if ch in '"\\\n\r<>&' else ch for ch in str(text)))


def chapter_ranges(numbers) -> str:
    """[2, 3, 4, 7] -> '2–4, 7'."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def keep_ranges(fragment: str) -> Markup:
    """HTML with every number range (1937–38) kept on one line: a title wrapped after
    its en dash leaves the range's end alone at the head of a line."""
    return Markup(NUMBER_RANGE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', str(fragment)))


def build_date(book: Book) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH if set (reproducible builds), else the edition date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    edition = book.config.edition_date
    return dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.timezone.utc)


def common_context(book: Book) -> dict:
    return {
        "book": book,
        "meta": book.config,
        "modified": build_date(book).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "year": book.config.edition_date.year,
        "words": words(book.config.language),
        # a book laid out whole: every division shown, page numbers by target-counter()
        "part": None, "shown": lambda division: True, "folio_of": lambda element_id: None,
    }


# ------------------------------------------------------------------ print

@dataclass
class Link:
    label: str
    href: str


def print_html(book: Book, page_map: PageMap | None = None, new_page_notes: frozenset = frozenset(),
               draft: bool = False, edition: Edition | None = None, part=None) -> str:
    """One HTML document holding the whole print book.

    ``page_map`` (from a first layout) turns element ids into page references; before
    there is one, the back matter's locators are empty. The block holding the call of a
    note in ``new_page_notes`` starts a new page (a remedy for a note WeasyPrint set apart
    from its call). A ``draft`` leaves the generated back matter (glossary, index) empty:
    it comes after the body, so a layout that only reads the body's pages can skip it.
    ``edition`` sets the variant (reader, print, packet) and page size; by default the reader's.
    ``part`` (a bookparts.Part) lays out only that part's divisions (and the opening pages if
    it holds them), its first folio set; the contents then print the page map's numbers.
    """
    page_map = page_map or PageMap.empty()
    edition = edition or reader_edition(book.config)
    env = environment()
    expand_notes(book, env)
    charts = chart_files(book, "print")
    images = image_files(book, "print")
    text = words(book.config.language)

    def locate(entry) -> list[Link]:
        return [Link(loc.label, f"#{loc.target}") for loc in page_map.locators(u.id for u in entry.uses)]

    def index_locate(item) -> list[Link]:
        body = [o.id for o in item.occurrences if not o.in_note]
        notes = [o.id for o in item.occurrences if o.in_note]
        return [Link(loc.label, f"#{loc.target}") for loc in page_map.locators(body, notes)]

    capacity = footnote_capacity(book)
    too_long = {n.id for d in book.divisions for n in long_notes(d, capacity)}

    def body(division):
        return Markup(division_print_html(book, division, edition, too_long, new_page_notes,
                                          (env, charts, images, text)))

    css = print_stylesheet(book, edition)
    template = "print/packet.html.j2" if edition.variant == "packet" else "print/book.html.j2"
    parted = {} if part is None else {
        "part": part, "shown": lambda division: division.id in part.division_ids,
        "folio_of": page_map.folio}
    return env.get_template(template).render(
        css=Markup(css), part_css=Markup(part_stylesheet(book, part) if part else ""), body=body, edition=edition,
        long_notes=lambda d: long_notes(d, capacity), locate=locate, index_locate=index_locate,
        href=lambda element_id: f"#{element_id}", draft=draft,
        uses_label=lambda where: text["used_on_page"] if len(where) == 1 and "–" not in where[0].label
        else text["used_on_pages"],
        **(common_context(book) | parted))


def unmoved_print_html(book: Book, edition: Edition | None = None) -> str:
    """The edition's print HTML without the layout's repairs (figures where the manuscript
    puts them, no respaced paragraph): the same before and after a layout, so it keys what
    depends on the text alone (the EPUB's page list)."""
    with unrepaired(book):
        return print_html(book, edition=edition)


@contextlib.contextmanager
def unrepaired(book: Book):
    """The book without its layout repairs for the time of a ``with`` (then with them again)."""
    repairs = {d.id: (d.figure_moves, d.respaced) for d in book.divisions}
    for division in book.divisions:
        division.figure_moves, division.respaced = {}, {}
    try:
        yield book
    finally:
        for division in book.divisions:
            division.figure_moves, division.respaced = repairs[division.id]


def print_stylesheet(book: Book, edition: Edition | None = None) -> str:
    """The print stylesheet of an edition: the reader's or a packet's (packet.css.j2). The
    print shop's edition is the reader's pages, set for the press by prepress.py."""
    edition = edition or reader_edition(book.config)
    return environment().get_template("print/book.css.j2").render(
        fonts=book_fonts(), page_size=edition.page_size, meta=book.config, edition=edition,
        variant=edition.variant, words=words(book.config.language))


def part_stylesheet(book: Book, part) -> str:
    """What a part laid out alone (bookparts.Part) adds to its edition's stylesheet."""
    return environment().get_template("print/part.css.j2").render(part=part, meta=book.config)


def division_print_html(book: Book, division: Division, edition: Edition | None = None,
                        continued: set[str] = frozenset(), new_page_notes: frozenset = frozenset(),
                        prepared: tuple | None = None) -> str:
    """One division's body as print HTML: figures and images expanded, notes as footnotes.
    ``prepared`` is (env, charts, images, words) when the caller has them already."""
    edition = edition or reader_edition(book.config)
    if prepared is None:
        env = environment()
        expand_notes(book, env)
        prepared = (env, chart_files(book, "print"), image_files(book, "print"),
                    words(book.config.language))
    env, charts, images, text = prepared
    copied = copy.deepcopy(division.body)
    expand_figures(copied, book, env, charts)
    expand_images(copied, book, env, images)
    return print_body(division, copied, text, continued, new_page_notes)


def print_body(division: Division, body, text: dict, continued: set[str] = frozenset(),
               new_page_notes: frozenset = frozenset()) -> str:
    """The division's body with each note moved to its call site as a CSS footnote.

    WeasyPrint cannot split a footnote across pages: a note in ``continued`` keeps a
    short footnote that sends the reader to its full text at the end of the chapter.
    """
    apply_moves(body, division.figure_moves)
    punctuation_into_marks(body)
    respace(body, division.respaced)
    notes = {note.id: note for note in division.notes}
    for ref, note_id in list(note_refs(body)):
        note = notes.get(note_id)
        if note is None:
            continue
        footnote = html.Element("span", {"class": f"footnote {note.kind}", "id": note.id,
                                         "data-n": str(note.number)})
        if note.id in continued:
            footnote.text = text["long_note"]
            link = etree.SubElement(footnote, "a", {"class": "continued-ref", "href": "#" + ids.note_full(note.id)})
            link.tail = "."
        else:
            for child in copy.deepcopy(note.content):
                footnote.append(_as_inline(child))
        footnote.tail = ref.tail
        # a figure moved to fill a page (placement.py) no longer stands where its note failed
        _mark_block_with_notes(ref, new_page=note.id in new_page_notes and not moved_figure(ref, division.figure_moves))
        # an empty anchor at the call: the layout check compares its page with the note's
        call = html.Element("span", {"class": "fn-call", "id": ids.note_call(note.id)})
        ref.getparent().replace(ref, call)
        call.addnext(footnote)
    return inner_html(body)


def _mark_block_with_notes(el, new_page: bool = False) -> None:
    for ancestor in el.iterancestors("p", "li", "blockquote", "dd", "figcaption"):
        _add_class(ancestor, "has-notes")
        if new_page:
            block = ancestor.getparent() if ancestor.tag == "figcaption" else ancestor
            while block.getprevious() is not None and block.getprevious().tag in ("h2", "h3", "h4", "h5", "h6"):
                block = block.getprevious()         # a heading goes over with its text
            _add_class(block, "new-page")
        return


def _add_class(el, name: str) -> None:
    classes = (el.get("class") or "").split()
    if name not in classes:
        el.set("class", " ".join(classes + [name]))


def long_notes(division: Division, capacity_chars: int) -> list:
    """Notes too long for the footnote area of one page (estimated from their length)."""
    return [n for n in division.notes if len(n.content.text_content()) > capacity_chars]


def footnote_capacity(book: Book) -> int:
    """About how many characters of 8.5 pt footnote text fit in 45% of a page's text block."""
    width_in, height_in = TRIM_INCHES[book.config.trim]
    text_width_pt = (width_in - 1.45) * 72           # inside + outside margins
    text_height_pt = (height_in - 1.55) * 72         # top + bottom margins
    chars_per_line = text_width_pt / (0.45 * 8.5)    # average glyph width of EB Garamond
    lines = 0.45 * text_height_pt / 10.5
    return int(chars_per_line * lines)


def _as_inline(block):
    """A footnote must be an inline element at its call site: blocks become spans styled as blocks."""
    for el in block.iter():
        if el.tag in ("p", "div", "ul", "ol", "li", "blockquote"):
            el.set("class", f"fn-{el.tag} {el.get('class') or ''}".strip())
            el.tag = "span"
    return block


# ------------------------------------------------------------------- EPUB

def epub_documents(book: Book, bodies: dict[str, str], file_of: dict[str, str],
                   cover_image: str | None = None, pages: PageList | None = None) -> dict[str, str]:
    """File name -> XHTML for every EPUB content document.

    ``bodies`` maps division id -> body XHTML, ``file_of`` element id -> file name.
    ``pages``: the print edition's page-break markers, put where each page begins, and
    listed in the nav document's page-list.
    """
    env = environment()
    markers = [m for m in pages.markers if m.division_id in {d.id for d in book.divisions}] if pages else []
    chapter_of = {d.id: d for d in book.divisions}

    def locate(entry) -> list[Link]:
        return [Link(str(chapter_of[u.division_id].number or chapter_of[u.division_id].title),
                     f"{file_of[u.id]}#{u.id}") for u in entry.uses if u.linked]

    section_title = {h.id: h.text for d in book.divisions for h in d.headings}

    def index_locate(item) -> list[Link]:
        """No pages in an EPUB: one link per section the term occurs in, labelled by it."""
        links, seen = [], set()
        for o in item.occurrences:
            if o.section_id not in seen:
                seen.add(o.section_id)
                chapter = chapter_of[o.division_id]
                label = section_title.get(o.section_id, chapter.title)
                if o.section_id != chapter.id:
                    label = f"{chapter.title}: {label}"
                links.append(Link(f"{chapter.number}. {label}" if chapter.number else label,
                                  f"{file_of[o.id]}#{o.id}"))
        return links

    chapter_file = {d.id: d.file_name for d in book.divisions}
    page_links = [Link(m.label, f"{chapter_file[m.division_id]}#{m.id}") for m in markers]
    text = words(book.config.language)
    ctx = dict(common_context(book), locate=locate, index_locate=index_locate,
               uses_label=lambda where: text["used_in_chapters" if len(where) > 1 else "used_in_chapter"],
               href=lambda element_id: f"{file_of.get(element_id, '')}#{element_id}", page_links=page_links)
    docs = {}
    if cover_image:
        docs["cover.xhtml"] = env.get_template("epub/cover.xhtml.j2").render(cover_image=cover_image, **ctx)
    docs |= {
        "titlepage.xhtml": env.get_template("epub/titlepage.xhtml.j2").render(**ctx),
        "imprint.xhtml": env.get_template("epub/imprint.xhtml.j2").render(**ctx),
        "nav.xhtml": env.get_template("epub/nav.xhtml.j2").render(**ctx),
    }
    division_template = env.get_template("epub/division.xhtml.j2")
    for division in book.divisions:
        docs[division.file_name] = division_template.render(
            division=division, body=Markup(bodies[division.id]), **ctx)
    docs = {name: EPUB_TYPE_ATTR.sub(' epub:type="', doc) for name, doc in docs.items()}
    marker_template = env.get_template("epub/pagebreak.xhtml.j2")
    for division in book.divisions:
        here = [m for m in markers if m.division_id == division.id]
        if here:
            docs[division.file_name] = with_page_markers(docs[division.file_name], here, marker_template)
    return docs


def with_page_markers(xhtml: str, markers: list[PageMarker], template) -> str:
    """The content document with a page-break marker (epub/pagebreak.xhtml.j2) where each page begins."""
    root = etree.fromstring(xhtml.encode("utf-8"))
    insert_markers(root, markers, lambda m: etree.fromstring(template.render(marker=m)))
    etree.cleanup_namespaces(root)
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True).decode("utf-8")


def epub_stylesheet() -> str:
    return (resources.files("bookbuilder") / "templates" / "epub" / "book.css").read_text(encoding="utf-8")
