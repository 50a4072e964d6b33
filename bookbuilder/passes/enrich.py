"""Enrichment passes over the document model.

Each pass takes the Book (or one division), marks up the trees in place and knows
nothing of the output format. ``enrich`` runs them in order; the order matters where
passes mark the same words: transliteration notes go in before glossary links, because
matching never looks inside links; index marks go in first of all, as plain spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html

from bookbuilder import ids
from bookbuilder.passes.figures import place_figures
from bookbuilder.passes.author_images import place_images
from bookbuilder.passes.citations import mark_citations
from bookbuilder.passes.crossrefs import resolve_crossrefs, whole_book_targets
from bookbuilder.passes.glossary import mark_glossary_uses
from bookbuilder.passes.index import mark_index_occurrences, prune_index
from bookbuilder.core.model import Book, Division, Heading
from bookbuilder.passes.notes import collect_footnotes, number_notes
from bookbuilder.passes.register import mark_register_uses
from bookbuilder.passes.translit_notes import Spelling, add_transliteration_notes, kept_spellings
from bookbuilder.core.romanisation import LetterRow, Scheme
from bookbuilder.words import words

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# A run of Russian: Cyrillic words with the spaces, digits and light punctuation between them.
_WORD = r"(?:\d+(?:[–-]\d+)*-)?[\u0400-\u04FF]+(?:-[\u0400-\u04FF]+)*"
CYRILLIC_RUN = re.compile(rf"{_WORD}(?:[ ,.:;]+{_WORD})*")
SKIP_TAGS = {"code", "pre", "script", "style"}
PARAGRAPH_BLOCKS = {"p", "blockquote", "ul", "ol", "dl"}
TEXT_BLOCKS = ("p", "li", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th")


@dataclass
class TransliterationNote:
    """What the front-matter 'Note on Transliteration' shows, computed from iuliia."""

    scheme: Scheme
    reason: str
    letters: list[LetterRow]
    context_rules: list[tuple[str, str, str]]
    spellings: list[Spelling]


def enrich(book: Book) -> Book:
    for division in book.divisions:
        trim_block_whitespace(division.body)
        tag_russian(division.body)
        division.title_html = _tag_russian_fragment(division.title_html)
        collect_footnotes(division)
    mark_citations(book)                  # before the word passes: they never look inside its links
    for reference in book.references:     # a Russian title is tagged as Russian
        reference.html = _tag_russian_fragment(reference.html)
    mark_index_occurrences(book)          # first: its spans never split a longer form of another pass
    book.index_unused = prune_index(book)
    for term in book.terms:               # the notes' words: Russian in them hyphenates as Russian
        term.english_html = _tag_russian_fragment(term.english_html)
        term.gloss_html = _tag_russian_fragment(term.gloss_html)
    add_transliteration_notes(book)
    book.register = mark_register_uses(book)     # the people the notes leave out
    for entry in book.glossary:
        entry.romanised = book.scheme.romanise(entry.cyrillic) if entry.cyrillic else ""
    mark_glossary_uses(book)
    if book.selection is not None and not book.selection.whole_book:
        prune_glossary(book)              # a packet's glossary holds only the terms its chapters use
    place_figures(book)                   # after the word passes: captions are not matched
    place_images(book)                    # after the charts: numbered together in reading order
    for division in book.divisions:
        for note in division.notes:
            if note.content is not None:
                tag_russian(note.content)
        number_notes(division)
        collect_headings(division)
        if division.kind == "chapter":
            number_paragraphs(division)
    resolve_crossrefs(book, lambda: whole_book_targets(book.config.root))
    add_generated_divisions(book)
    return book


def number_paragraphs(division: Division) -> None:
    """Number the chapter's top-level paragraphs (and quotations and lists) 1, 2, 3…: an id
    and a number that are the same in the book, its EPUB and every packet, so a class can
    cite ¶ 12 of a chapter whatever the edition and paper size."""
    n = 0
    for block in division.body:
        if isinstance(block.tag, str) and block.tag in PARAGRAPH_BLOCKS:
            n += 1
            block.set("data-para", str(n))
            if not block.get("id"):
                block.set("id", ids.paragraph(division.id, n))


def prune_glossary(book: Book) -> None:
    used = [entry for entry in book.glossary if entry.uses]
    headwords = {entry.headword for entry in used}
    for entry in used:
        kept = [(h, i) for h, i in zip(entry.see_also, entry.see_also_ids) if h in headwords]
        entry.see_also, entry.see_also_ids = [h for h, _ in kept], [i for _, i in kept]
    book.glossary = used


def add_generated_divisions(book: Book) -> None:
    """Front and back matter the builder writes itself, placed where a reader expects them.
    A selection without front matter (a packet) gets no list of figures or Note on
    Transliteration: its notes carry the transliterations."""
    titles = words(book.config.language)["division_titles"]
    with_front = book.selection is None or book.selection.front
    listed = book.listed_figures
    if listed and with_front:
        book.divisions.insert(0, _generated("figures", "front", titles["figures"], listed[0].file))
    if book.terms and with_front:
        book.transliteration = TransliterationNote(
            book.scheme, book.config.transliteration_reason, book.scheme.letter_table(),
            book.scheme.context_rules(), kept_spellings(book))
        at = len(book.front)
        book.divisions.insert(at, _generated("transliteration", "front", titles["transliteration"],
                                             book.terms[0].file))
    if book.glossary:
        at = len(book.front) + len(book.chapters)
        book.divisions.insert(at, _generated("glossary", "back", titles["glossary"], book.glossary[0].file))
    if book.register:
        # after the glossary: the reader's two look-up lists side by side, before the reading list
        at = len(book.front) + len(book.chapters) + (1 if book.glossary else 0)
        book.divisions.insert(at, _generated("register", "back", titles["register"], book.register[0].term.file))
    if book.references:
        # where a reading list stands: after the glossary and register, before the index
        at = len(book.front) + len(book.chapters) + (1 if book.glossary else 0) + (1 if book.register else 0)
        book.divisions.insert(at, _generated("references", "back", titles["references"], book.config.references))
    if book.index:
        # last of all: the index's own length can then move no other page
        book.divisions.append(_generated("index", "back", titles["index"], book.index[0].file))


def _generated(role: str, kind: str, title: str, source) -> Division:
    division = Division(role, kind, role, None, title, title, html.Element("div"), source, generated=True)
    division.headings = [Heading(1, division.id, title)]
    return division


def trim_block_whitespace(root) -> None:
    """Drop the newlines Pandoc leaves inside blocks (<dd>\\ntext\\n</dd>): WeasyPrint can
    break a line badly after a leading collapsible space."""
    for el in root.iter(*TEXT_BLOCKS):
        if el.text:
            el.text = el.text.lstrip()
        last = el[-1] if len(el) else None
        if last is not None and last.tail:
            last.tail = last.tail.rstrip()
        elif last is None and el.text:
            el.text = el.text.rstrip()


def collect_headings(division) -> None:
    division.headings = [Heading(1, division.id, division.title)]
    for el in division.body.iter("h2", "h3", "h4", "h5", "h6"):
        if not el.get("id"):
            el.set("id", ids.heading(division.id, len(division.headings)))
        division.headings.append(Heading(int(el.tag[1]), el.get("id"), el.text_content().strip()))


def _in_russian(el) -> bool:
    for node in (el, *el.iterancestors()):
        lang = node.get("lang")
        if lang:
            return lang == "ru" or lang.startswith("ru-")
    return False


def tag_russian(root) -> None:
    """Wrap every Cyrillic run not already inside a lang="ru" element in <span lang="ru">."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            continue
        if el.text and CYRILLIC.search(el.text) and not _in_russian(el):
            _wrap_runs(el, "text")
        if el is not root and el.tail and CYRILLIC.search(el.tail) and not _in_russian(el.getparent()):
            _wrap_runs(el, "tail")


def _wrap_runs(el, attr: str) -> None:
    text = getattr(el, attr)
    pieces = CYRILLIC_RUN.split(text)
    runs = CYRILLIC_RUN.findall(text)
    setattr(el, attr, pieces[0])
    spans = []
    for run, after in zip(runs, pieces[1:]):
        span = html.Element("span", lang="ru")
        span.text, span.tail = run, after
        spans.append(span)
    if attr == "text":
        for i, span in enumerate(spans):
            el.insert(i, span)
    else:
        parent, at = el.getparent(), el.getparent().index(el)
        for i, span in enumerate(spans, 1):
            parent.insert(at + i, span)


def _tag_russian_fragment(fragment: str) -> str:
    if not CYRILLIC.search(fragment):
        return fragment
    wrapper = html.fragment_fromstring(fragment or "", create_parent="span")
    tag_russian(wrapper)
    text = html.tostring(wrapper, encoding="unicode")
    return text[len("<span>"):-len("</span>")]
