"""The print HTML: the document model through the print templates, one HTML document for
the whole book, or for one part of it (layout/parts.py), with its style sheets.

The only tree rewriting here is print's own: figures and images expanded, the layout's
repairs applied (applied_repairs.py), notes moved to their calls as CSS footnotes (a note
too long for one page's foot keeps a short note and is printed in full at the chapter's end).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses

from lxml import etree, html
from markupsafe import Markup

from bookbuilder import ids
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.core.model import Book, Division, inner_html
from bookbuilder.core.pagemap import PageMap
from bookbuilder.core.paper import BOOK_MARGINS, PACKET_MARGINS, text_block
from bookbuilder.fonts import book_fonts
from bookbuilder.markup.applied_repairs import apply_moves, moved_figure, punctuation_into_marks, respace
from bookbuilder.markup.crossrefs import expand_crossrefs
from bookbuilder.markup.expand import chart_files, expand_figures, expand_notes
from bookbuilder.passes.crossrefs import xrefs_of
from bookbuilder.markup.image_prep import expand_images, image_files
from bookbuilder.markup.templates import Link, common_context, environment
from bookbuilder.passes.notes import note_refs
from bookbuilder.words import words


# ------------------------------------------------------------------ print


def print_html(book: Book, page_map: PageMap | None = None, new_page_notes: frozenset = frozenset(),
               draft: bool = False, edition: Edition | None = None, part=None) -> str:
    """One HTML document holding the whole print book.

    ``page_map`` (from a first layout) turns element ids into page references; before
    there is one, the back matter's locators are empty. The block holding the call of a
    note in ``new_page_notes`` starts a new page (a remedy for a note WeasyPrint set apart
    from its call). A ``draft`` leaves the generated back matter (glossary, index) empty:
    it comes after the body, so a layout that only reads the body's pages can skip it.
    ``edition`` sets the variant (reader, print, packet) and page size; by default the reader's.
    ``part`` (a layout/parts.Part) lays out only that part's divisions (and the opening pages if
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
                                          (env, charts, images, text), page_map))

    css = print_stylesheet(book, edition)
    template = "print/packet.html.j2" if edition.variant == "packet" else "print/book.html.j2"
    parted = {} if part is None else {
        "part": part, "shown": lambda division: division.id in part.division_ids,
        "folio_of": page_map.folio}
    return env.get_template(template).render(
        css=Markup(css), part_css=Markup(part_stylesheet(book, part) if part else ""), body=body, edition=edition,
        long_notes=lambda d: long_notes(d, capacity), locate=locate, index_locate=index_locate,
        href=lambda element_id: f"#{element_id}", draft=draft,
        uses_label=lambda where, verb="used": text[f"{verb}_on_page"] if len(where) == 1 and "–" not in where[0].label
        else text[f"{verb}_on_pages"],
        **(common_context(book) | parted))


def refers_to_pages(division: Division) -> bool:
    """Whether the division's print HTML names pages of the book (a cross-reference's page words)."""
    return any(span.get("data-held") != "0" and not span.get("data-bare") and span.get("data-target")
               for root in [division.body] + [n.content for n in division.notes if n.content is not None]
               for span in xrefs_of(root))


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
    print shop's edition is the reader's pages, set for the press by press/print_pdf.py."""
    edition = edition or reader_edition(book.config)
    return environment().get_template("print/book.css.j2").render(
        fonts=book_fonts(), page_size=edition.page_size, meta=book.config, edition=edition,
        variant=edition.variant, words=words(book.config.language),
        margins=BOOK_MARGINS, packet_margins=PACKET_MARGINS)


def part_stylesheet(book: Book, part) -> str:
    """What a part laid out alone (layout/parts.Part) adds to its edition's stylesheet."""
    return environment().get_template("print/part.css.j2").render(part=part, meta=book.config)


def division_print_html(book: Book, division: Division, edition: Edition | None = None,
                        continued: set[str] = frozenset(), new_page_notes: frozenset = frozenset(),
                        prepared: tuple | None = None, page_map: PageMap | None = None) -> str:
    """One division's body as print HTML: figures and images expanded, cross-references
    written with the pages of ``page_map`` (none known: "p. ??"), notes as footnotes.
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
    page_map = page_map or PageMap.empty()
    expand_crossrefs(copied, book, page_map, href=lambda target: f"#{target}")
    if any(xrefs_of(n.content) for n in division.notes if n.content is not None):
        notes = []
        for note in division.notes:
            content = copy.deepcopy(note.content) if note.content is not None else None
            if content is not None:
                expand_crossrefs(content, book, page_map, href=lambda target: f"#{target}")
            notes.append(dataclasses.replace(note, content=content))
        division = dataclasses.replace(division, notes=notes)
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
        # a figure moved to fill a page (layout/placement.py) no longer stands where its note failed
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
    width_in, height_in = text_block(book.config.trim)
    text_width_pt = width_in * 72
    text_height_pt = height_in * 72
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


