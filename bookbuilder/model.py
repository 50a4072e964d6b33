"""The one enriched document both renderers consume.

Each division (front matter, chapter, back matter) holds its content as an lxml
tree. Enrichment passes mark that tree up; the PDF and EPUB renderers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from lxml import etree, html

from .config import BookConfig

# Roles and the EPUB 3 structural semantics (and landmarks) they map to.
EPUB_TYPES = {
    "chapter": "chapter",
    "keyfacts": "preamble",
    "bibliography": "bibliography",
    "front": "frontmatter",
    "back": "backmatter",
}


@dataclass
class Heading:
    level: int       # 1 = chapter title, 2 = section, ...
    id: str
    text: str


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

    @property
    def epub_type(self) -> str:
        return EPUB_TYPES.get(self.role, "chapter")

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"

    def body_html(self) -> str:
        """The body as HTML (for the print document)."""
        return "".join(html.tostring(child, encoding="unicode") for child in self.body)

    def body_xhtml(self) -> str:
        """The body as well-formed XHTML (for EPUB content documents)."""
        text = escape(self.body.text, quote=False) if self.body.text else ""
        return text + "".join(etree.tostring(child, encoding="unicode", method="xml")
                              for child in self.body)


@dataclass
class Book:
    config: BookConfig
    divisions: list[Division]

    @property
    def chapters(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "chapter"]

    @property
    def front(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "front"]

    @property
    def back(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "back"]

    def division_of(self, element_id: str) -> Division | None:
        for division in self.divisions:
            if element_id == division.id or element_id.startswith(division.id + "-"):
                return division
        return None
