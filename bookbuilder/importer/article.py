"""Import a plain-text encyclopedia article into a Pandoc Markdown manuscript.

Understands the two plain-text shapes of Wikipedia articles we meet:
``== Heading ==`` or ``==Heading==`` headings (the number of ``=`` is the level),
an optional ``= Title =`` line and ``Infobox`` block of ``- Key: value`` lines,
paragraphs one per line, lists as ``- item`` or ``1.  item`` lines or as bare lines
after a line ending in ':', and block quotations as a lone paragraph after such a line.
What the dump left inside the lines (citation markers, template remnants, emptied
parentheses, ``_italics_``, a title in capitals) is cleaned by :mod:`bookbuilder.importer.residue`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bookbuilder.importer import residue
from bookbuilder.errors import ArticleImportError

HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$")
STRAY_MARKUP = re.compile(r"</?(noinclude|includeonly|onlyinclude|ref|references|nowiki)\b[^>]*>", re.I)
# A run of Russian text: Cyrillic words, optionally led by a number ("37-й"),
# joined by spaces or light punctuation ("Реабилитация. Политические процессы 30–50-х годов").
_CYR_WORD = r"(?:\d+(?:[–-]\d+)*-)?[\u0400-\u04FF]+(?:-[\u0400-\u04FF]+)*"
CYRILLIC_RUN = re.compile(rf"{_CYR_WORD}(?:[ ,.:;]+{_CYR_WORD})*")
# Wikipedia's navigation sections: nothing a book reader can follow.
NAVIGATION_SECTIONS = {"see also", "external links", "references", "citations", "sources", "notes",
                       "footnotes", "notes and references", "references and notes"}
# Navigation sections that may hold the reference list citation markers point into.
REFERENCE_SECTIONS = {"references", "citations", "notes", "footnotes", "notes and references",
                      "references and notes"}
NUMBERED_ITEM = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
BIBLIOGRAPHY_SECTIONS = {"further reading", "bibliography"}
MAX_ARTICLE_BYTES = 5_000_000   # a longest encyclopedia article is ~1 MB; more is not one article
SHORT_SECTION_WORDS = 150   # top-level sections shorter than this join the previous chapter
LIST_ITEM_MAX_CHARS = 300   # a first bare line after ':' longer than this is a quotation, not a list item


@dataclass
class Block:
    kind: str            # "para", "list", "olist" (numbered), "quote"
    lines: list[str]
    line: int = 0        # where it starts in the article, for warnings


@dataclass
class Section:
    level: int
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    def words(self) -> int:
        own = sum(len(line.split()) for b in self.blocks for line in b.lines)
        return own + sum(c.words() for c in self.children)

    def is_empty(self) -> bool:
        return not self.blocks and all(c.is_empty() for c in self.children)


@dataclass
class Article:
    title: str | None
    infobox: list[tuple[str, str]]
    lead: list[Block]
    sections: list[Section]
    dropped_residue: int = 0      # lines or fragments of template/caption residue removed


# --------------------------------------------------------------------- parsing

def parse_article(text: str, source: Path, warn=None) -> Article:
    """The article's title, infobox, lead and sections; ``warn(line, message)`` hears
    about residue dropped and headings without text."""
    warn = warn or (lambda line, message: None)
    text = residue.strip_controls(text)
    lines = [STRAY_MARKUP.sub("", line).rstrip() for line in text.split("\n")]
    cleaner = residue.LineCleaner(warn)
    title = None
    infobox: list[tuple[str, str]] = []
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and (m := HEADING.match(lines[i])) and len(m.group(1)) == 1 and _has_text(m.group(2)):
        title, i = m.group(2), i + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].strip().lower() == "infobox":
        i += 1
        while i < len(lines) and lines[i].startswith("- "):
            key, _, value = lines[i][2:].partition(":")
            infobox.append((key.strip(), value.strip(" ,")))
            i += 1
    root = Section(1, title or "", 1)
    stack = [root]
    body: list[tuple[int, str]] = []
    for n in range(i, len(lines)):
        m = HEADING.match(lines[n])
        if m and len(m.group(1)) >= 2:
            _flush(body, stack[-1])
            heading = cleaner.clean(m.group(2), n + 1)
            if not heading or not _has_text(heading):
                warn(n + 1, "heading with no text dropped")
                continue
            level = len(m.group(1))
            while stack[-1].level >= level:
                stack.pop()
            section = Section(level, heading.strip(), n + 1)
            stack[-1].children.append(section)
            stack.append(section)
        else:
            cleaned = cleaner.clean(lines[n], n + 1)
            if cleaned is not None:
                body.append((n + 1, cleaned))
    _flush(body, stack[-1])
    if not root.blocks and not root.children:
        raise ArticleImportError("no text found", source, hint="is this a plain-text article?")
    article = Article(title, infobox, root.blocks, root.children, cleaner.dropped_templates)
    _restore_title_case(article, text)
    return article


def _has_text(heading: str) -> bool:
    return bool(re.search(r"\w", heading))


def _restore_title_case(article: Article, text: str) -> None:
    """The lead prints the title phrase in capitals (Wikipedia's bold): put it, and a
    title line in capitals, into the case the article itself uses elsewhere."""
    if article.title:
        article.title = residue.normalise_title(article.title, text)
    if article.lead and article.lead[0].kind == "para":
        first = article.lead[0].lines[0]
        evidence = text.replace(first, " ", 1)
        article.lead[0].lines[0] = residue.restore_lead_case(first, evidence)


def _flush(body: list[tuple[int, str]], section: Section) -> None:
    section.blocks.extend(_blocks([line for _, line in body], [n for n, _ in body]))
    body.clear()


def _blocks(lines: list[str], numbers: list[int] | None = None) -> list[Block]:
    """Group one section's lines into paragraphs, lists and quotations."""
    numbers = numbers or list(range(1, len(lines) + 1))
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if line.startswith("- ") or NUMBERED_ITEM.match(line):
            kind = "list" if line.startswith("- ") else "olist"
            start, items = i, []
            while i < len(lines) and (item := _list_item(lines[i].strip(), kind)) is not None:
                items.append(item)
                i += 1
            blocks.append(Block(kind, items, numbers[start]))
            continue
        blocks.append(Block("para", [line], numbers[i]))
        i += 1
        if line.endswith(":"):
            i = _after_colon(lines, i, blocks, numbers)
    return blocks


def _list_item(line: str, kind: str) -> str | None:
    """The item's text if ``line`` continues a list of this kind."""
    if kind == "list":
        return line[2:].strip() if line.startswith("- ") else None
    m = NUMBERED_ITEM.match(line)
    return m.group(2).strip() if m else None


def _after_colon(lines: list[str], i: int, blocks: list[Block], numbers: list[int]) -> int:
    """After a line ending in ':', a run of short bare lines is a list; a lone paragraph is a quotation."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and (lines[j].strip().startswith("- ") or NUMBERED_ITEM.match(lines[j].strip())):
        return j
    start, run = j, []
    while j < len(lines) and lines[j].strip():
        run.append(lines[j].strip())
        j += 1
    if not run:
        return j
    items = 0
    while items < len(run) and _item_like(run[items]):
        items += 1
    if items >= 2:
        blocks.append(Block("list", run[:items], numbers[start]))
        return start + items
    # One quoted paragraph; what follows it is read as ordinary text again.
    blocks.append(Block("quote", run[:1], numbers[start]))
    return start + 1


def _item_like(line: str) -> bool:
    """A bare line that can be a list item: short, and neither introducing nor numbered.
    (A short quotation of two lines reads as a list: `check` flags such lists, m-004.)"""
    return len(line) <= LIST_ITEM_MAX_CHARS and not line.endswith(":") and not NUMBERED_ITEM.match(line)


# ------------------------------------------------------------------- structure

@dataclass
class Chapter:
    title: str
    blocks: list[Block]
    children: list[Section]
    role: str = "chapter"
    grouped: list[str] = field(default_factory=list)


def plan_chapters(article: Article, warn) -> tuple[list[Chapter], Chapter | None]:
    """Top-level sections become chapters; navigation and empty sections are dropped."""
    chapters = [Chapter("Introduction", article.lead, [])] if article.lead else []
    bibliography = None
    for section in article.sections:
        name = section.title.strip().lower()
        if name in BIBLIOGRAPHY_SECTIONS and not section.is_empty():
            bibliography = Chapter(section.title, section.blocks, section.children, role="bibliography")
            continue
        if section.is_empty():
            warn(section.line, f"empty section '{section.title}' dropped")
            continue
        if name in NAVIGATION_SECTIONS:
            warn(section.line, f"navigation section '{section.title}' dropped")
            continue
        _drop_empty(section, warn)
        if chapters and section.words() < SHORT_SECTION_WORDS:
            # A very short section reads better as the last section of the chapter before it.
            chapters[-1].children.append(section)
            chapters[-1].grouped.append(section.title)
            continue
        chapters.append(Chapter(section.title, section.blocks, section.children))
    return chapters, bibliography


def reference_list(article: Article) -> dict[str, str]:
    """The texts citation markers point to, when a References/Notes section kept them."""
    entries: dict[str, str] = {}

    def visit(section: Section, inside: bool) -> None:
        inside = inside or section.title.strip().lower() in REFERENCE_SECTIONS
        if inside:
            for block in section.blocks:
                if block.kind in ("olist", "list"):
                    entries.update(residue.reference_entries(
                        [f"{n}. {item}" for n, item in enumerate(block.lines, 1)] if block.kind == "olist"
                        else block.lines, numbered=True))
                elif block.kind == "para" and block.lines[0].lstrip().startswith("^"):
                    entries.update(residue.reference_entries(block.lines, numbered=False))
        for child in section.children:
            visit(child, inside)

    for section in article.sections:
        visit(section, False)
    return entries


def _drop_empty(section: Section, warn) -> None:
    kept = []
    for child in section.children:
        if child.is_empty():
            warn(child.line, f"empty section '{child.title}' dropped")
        else:
            _drop_empty(child, warn)
            kept.append(child)
    section.children = kept


# --------------------------------------------------------------------- writing

def escape_markdown(text: str) -> str:
    """Escape Pandoc Markdown syntax, keep quotes and dashes for smart typography,
    and tag Cyrillic runs as Russian."""
    text = re.sub(r"([\\`*_\[\]{}<>$~^|@#])", r"\\\1", text)
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)
    text = re.sub(r"^([-+:])(\s)", r"\\\1\2", text)
    return CYRILLIC_RUN.sub(lambda m: f"[{m.group(0)}]{{lang=ru}}", text)


class Inline:
    """Writes the text of a line as Markdown: ``_italic_`` runs as emphasis, citation
    markers as notes (when the reference list survived) or removed and counted."""

    def __init__(self, citations: residue.Citations | None = None):
        self.citations = citations or residue.Citations()
        self.notes: list[str] = []           # keys cited in the file being written

    def __call__(self, text: str) -> str:
        out = []
        for kind, piece in self.citations.split(text):
            if kind == "note":
                out.append(f"[^ref-{piece}]")
                if piece not in self.notes:
                    self.notes.append(piece)
                continue
            for italic, run in residue.split_italics(piece):
                out.append(f"*{escape_markdown(run)}*" if italic else escape_markdown(run))
        return "".join(out)

    def note_definitions(self) -> list[str]:
        """The notes cited since the last call, as Pandoc footnote definitions."""
        defs = [f"[^ref-{key}]: {self(self.citations.references[key])}" for key in self.notes]
        self.notes = []
        return defs


def blocks_markdown(blocks: list[Block], css_class: str | None = None, inline: Inline | None = None) -> list[str]:
    inline = inline or Inline()
    out = []
    for block in blocks:
        if block.kind == "para":
            out.append(inline(block.lines[0]))
        elif block.kind == "quote":
            out.append("> " + inline(block.lines[0]))
        elif block.kind == "olist":
            out.append("\n".join(f"{n}. {inline(item)}" for n, item in enumerate(block.lines, 1)))
        else:
            out.append("\n".join(f"- {inline(item)}" for item in block.lines))
    if css_class and out:
        out = [f"::: {{.{css_class}}}", *out, ":::"]
    return out


def section_markdown(section: Section, depth: int, inline: Inline | None = None) -> list[str]:
    inline = inline or Inline()
    out = [f"{'#' * depth} {inline(section.title)}"]
    out += blocks_markdown(section.blocks, inline=inline)
    for child in section.children:
        out += section_markdown(child, min(depth + 1, 6), inline)
    return out


def chapter_markdown(chapter: Chapter, css_class: str | None = None, inline: Inline | None = None) -> str:
    inline = inline or Inline()
    out = [f"# {inline(chapter.title)}"]
    out += blocks_markdown(chapter.blocks, css_class, inline)
    for child in chapter.children:
        out += section_markdown(child, 2, inline)
    out += inline.note_definitions()
    return "\n\n".join(out) + "\n"


def key_facts_markdown(infobox: list[tuple[str, str]]) -> str:
    labels = {"Partof": "Part of", "Perps": "Perpetrators"}
    out = ["# Key Facts"]
    for key, value in infobox:
        if key.lower() == "title" or not value:
            continue
        value = re.sub(r",?\s*\(\)", "", value).replace(":,", ":")
        # the infobox has no reference list: every marker goes
        value = "".join(piece for _, piece in residue.Citations().split(value))
        value = residue.clean_parentheses(value)
        out.append(f"{escape_markdown(labels.get(key, key))}\n:   {Inline()(value)}")
    return "\n\n".join(out) + "\n"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "untitled"


def guess_title(article: Article) -> str:
    """The article's own title line, its infobox title, or the subject of the lead's first sentence."""
    if article.title:
        return article.title
    for key, value in article.infobox:
        if key.lower() == "title" and value:
            return residue.normalise_title(value, " ".join(b.lines[0] for b in article.lead))
    first = article.lead[0].lines[0][:300] if article.lead else ""
    first = "".join(piece for _, piece in residue.split_italics(residue.CITATION.sub("", first)))
    m = re.match(r"(?:The |An? )?(.+?)(?:,| or | is | was | are | were | \()", first)
    return m.group(1).strip() if m and len(m.group(1)) <= 120 else "Untitled"
