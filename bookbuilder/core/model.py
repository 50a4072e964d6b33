"""The one enriched document both renderers consume.

Each division (front matter, chapter, back matter) holds its content as an lxml
tree. Enrichment passes mark that tree up; the PDF and EPUB renderers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from lxml import etree, html

from bookbuilder import ids
from bookbuilder.core.config import BookConfig

# Roles and the EPUB 3 structural semantics (and landmarks) they map to.
EPUB_TYPES = {
    "chapter": "chapter",
    "keyfacts": "preamble",
    "transliteration": "preface",
    "figures": "loi",
    "bibliography": "bibliography",
    "references": "bibliography",
    "glossary": "glossary",
    "index": "index",
    "register": "appendix",
    "front": "frontmatter",
    "back": "backmatter",
}
# ARIA roles (DPUB-ARIA) for the same parts, where one exists.
ARIA_ROLES = {"chapter": "doc-chapter", "bibliography": "doc-bibliography", "references": "doc-bibliography", "glossary": "doc-glossary",
              "index": "doc-index", "transliteration": "doc-preface", "register": "doc-appendix"}


def inner_html(element) -> str:
    """An element's content (text and children) as HTML."""
    text = escape(element.text, quote=False) if element.text else ""
    return text + "".join(html.tostring(child, encoding="unicode") for child in element)


def inner_xhtml(element) -> str:
    """An element's content as well-formed XHTML, for EPUB content documents."""
    text = escape(element.text, quote=False) if element.text else ""
    return text + "".join(etree.tostring(child, encoding="unicode", method="xml") for child in element)


def drop_keeping_tail(el) -> None:
    """Take ``el`` out of its tree, leaving the text after it where it was (its tail joins
    the text before it); ``el`` keeps no tail, so it may be put back elsewhere."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    el.tail = None
    parent.remove(el)


@dataclass
class Heading:
    level: int       # 1 = chapter title, 2 = section, ...
    id: str
    text: str


@dataclass
class Note:
    """A footnote: from the manuscript (kind "footnote") or generated ("translit")."""

    id: str                      # id of the note; its reference in the text is id + "-ref"
    kind: str
    content: html.HtmlElement | None  # <div> holding the note's paragraphs; None until a renderer
                                      # expands a generated note from its data
    number: int = 0              # per chapter, in reading order
    data: dict | None = None     # what a generated note says (e.g. the term of a transliteration note)

    @property
    def ref_id(self) -> str:
        return ids.note_ref(self.id)

    def content_html(self) -> str:
        return inner_html(self.content)

    def content_xhtml(self) -> str:
        return inner_xhtml(self.content)


@dataclass
class Division:
    id: str                      # unique in the book, prefix of every id inside it
    kind: str                    # "front", "chapter" or "back"
    role: str                    # chapter, keyfacts, bibliography, ...
    number: int | None           # chapter number, None for front and back matter
    title: str                   # plain text
    title_html: str              # inline markup (language spans kept)
    body: html.HtmlElement       # <div> holding everything after the title
    source: Path
    headings: list[Heading] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    generated: bool = False      # made by the builder (glossary, index...), rendered by a template
    figure_moves: dict = field(default_factory=dict)   # print only: figure id -> blocks set after (placement.py)
    respaced: dict = field(default_factory=dict)       # print only: paragraph key -> respacing (linebreaks.py)

    @property
    def epub_type(self) -> str:
        return EPUB_TYPES.get(self.role, "chapter")

    @property
    def epub_role(self) -> str | None:
        return ARIA_ROLES.get(self.role)

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"


@dataclass
class Book:
    config: BookConfig
    divisions: list[Division]
    terms: list = field(default_factory=list)       # RussianTerm, from russian-terms.yaml
    glossary: list = field(default_factory=list)    # GlossaryEntry, from glossary.yaml
    people: list = field(default_factory=list)      # RussianTerm without Cyrillic, from people.yaml (register)
    index: list = field(default_factory=list)       # index.IndexEntry, from index.yaml
    figures: list = field(default_factory=list)     # figures.Figure, from figures/*.yaml
    images: list = field(default_factory=list)      # images.Image: the author's own, in reading order
    index_unused: list = field(default_factory=list)  # entries that matched nothing (for the checker)
    scheme: object = None                            # translit.Scheme named in book.yaml
    transliteration: object = None                   # enrich.TransliterationNote, when there are terms
    selection: object = None                         # editions.Selection the model was read from
    register: list = field(default_factory=list)     # register.RegisterEntry: people named, when not in notes
    references: list = field(default_factory=list)   # citations.Reference: the works References lists
    unknown_citations: list = field(default_factory=list)   # citations.Unknown: keys no reference has
    unknown_crossrefs: list = field(default_factory=list)   # citations.Unknown: ids no target has

    @property
    def chapters(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "chapter"]

    @property
    def front(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "front"]

    @property
    def back(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "back"]

    @property
    def listed_figures(self) -> list:
        """Charts and the author's numbered image figures in reading order (the List of Figures)."""
        numbered = self.figures + [i for i in self.images if i.number]
        return sorted(numbered, key=lambda f: tuple(int(n) for n in f.number.split(".")))

    def division(self, role: str) -> Division | None:
        return next((d for d in self.divisions if d.role == role), None)
