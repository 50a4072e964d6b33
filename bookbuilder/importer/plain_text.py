"""The imported chapters as plain passages (no markup, no citation markers), in reading order:
what the apparatus drafting reads. Italic runs are kept apart, as titles of works are italic."""

from __future__ import annotations

from dataclasses import dataclass

from bookbuilder.importer import residue


@dataclass(frozen=True)
class Passage:
    text: str                      # plain text
    chapter: int                   # 0-based, in the book's order
    section: str                   # the title of the (sub)section it is in; the chapter's own title
    italics: tuple[str, ...] = ()  # the runs the article set in italics


def chapter_passages(chapters, citations: residue.Citations) -> list[Passage]:
    """Every paragraph, list item and quotation of ``chapters`` (importer.article.Chapter)."""
    out: list[Passage] = []
    for number, chapter in enumerate(chapters):
        out += _section_passages(chapter.title, chapter.blocks, chapter.children, number, citations)
    return out


def _section_passages(title: str, blocks, children, number: int, citations) -> list[Passage]:
    out = []               # the title itself is no passage: headings hold no index marks
    for block in blocks:
        out += [_passage(line, number, citations, title) for line in block.lines]
    for child in children:
        out += _section_passages(child.title, child.blocks, child.children, number, citations)
    return out


def _passage(line: str, number: int, citations: residue.Citations, section: str) -> Passage:
    text = "".join(piece for kind, piece in _split(citations, line) if kind == "text")
    pieces = residue.split_italics(text)
    return Passage("".join(p for _, p in pieces), number, section,
                   tuple(p.strip() for italic, p in pieces if italic and p.strip()))


def _split(citations: residue.Citations, line: str):
    # a throwaway copy: counting removed markers is the chapter writer's job, not ours
    return residue.Citations(dict(citations.references)).split(line)
