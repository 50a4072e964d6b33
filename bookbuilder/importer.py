"""Import a plain-text encyclopedia article into a Pandoc Markdown manuscript.

Understands the two plain-text shapes of Wikipedia articles we meet:
``== Heading ==`` or ``==Heading==`` headings (the number of ``=`` is the level),
an optional ``= Title =`` line and ``Infobox`` block of ``- Key: value`` lines,
paragraphs one per line, lists either as ``- item`` lines or as bare lines after
a line ending in ':', and block quotations as a lone paragraph after such a line.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ArticleImportError

HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$")
STRAY_MARKUP = re.compile(r"</?(noinclude|includeonly|onlyinclude|ref|references|nowiki)\b[^>]*>", re.I)
# A run of Russian text: Cyrillic words, optionally led by a number ("37-й"),
# joined by spaces or light punctuation ("Реабилитация. Политические процессы 30–50-х годов").
_CYR_WORD = r"(?:\d+(?:[–-]\d+)*-)?[\u0400-\u04FF]+(?:-[\u0400-\u04FF]+)*"
CYRILLIC_RUN = re.compile(rf"{_CYR_WORD}(?:[ ,.:;]+{_CYR_WORD})*")
# Wikipedia's navigation sections: nothing a book reader can follow.
NAVIGATION_SECTIONS = {"see also", "external links", "references", "citations", "sources", "notes"}
BIBLIOGRAPHY_SECTIONS = {"further reading", "bibliography"}
SHORT_SECTION_WORDS = 150   # top-level sections shorter than this join the previous chapter
LIST_ITEM_MAX_CHARS = 300   # a first bare line after ':' longer than this is a quotation, not a list item


@dataclass
class Block:
    kind: str            # "para", "list", "quote"
    lines: list[str]


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


# --------------------------------------------------------------------- parsing

def parse_article(text: str, source: Path) -> Article:
    lines = [STRAY_MARKUP.sub("", line).rstrip() for line in text.splitlines()]
    title = None
    infobox: list[tuple[str, str]] = []
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and (m := HEADING.match(lines[i])) and len(m.group(1)) == 1:
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
            level = len(m.group(1))
            while stack[-1].level >= level:
                stack.pop()
            section = Section(level, m.group(2), n + 1)
            stack[-1].children.append(section)
            stack.append(section)
        else:
            body.append((n + 1, lines[n]))
    _flush(body, stack[-1])
    if not root.blocks and not root.children:
        raise ArticleImportError("no text found", source, hint="is this a plain-text article?")
    return Article(title, infobox, root.blocks, root.children)


def _flush(body: list[tuple[int, str]], section: Section) -> None:
    section.blocks.extend(_blocks([line for _, line in body]))
    body.clear()


def _blocks(lines: list[str]) -> list[Block]:
    """Group one section's lines into paragraphs, lists and quotations."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].strip().startswith("- "):
                items.append(lines[i].strip()[2:].strip())
                i += 1
            blocks.append(Block("list", items))
            continue
        blocks.append(Block("para", [line]))
        i += 1
        if line.endswith(":"):
            i = _after_colon(lines, i, blocks)
    return blocks


def _after_colon(lines: list[str], i: int, blocks: list[Block]) -> int:
    """After a line ending in ':', a run of short bare lines is a list; a lone paragraph is a quotation."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and lines[j].strip().startswith("- "):
        return j
    start, run = j, []
    while j < len(lines) and lines[j].strip():
        run.append(lines[j].strip())
        j += 1
    if not run:
        return j
    if len(run) >= 2 and len(run[0]) <= LIST_ITEM_MAX_CHARS:
        blocks.append(Block("list", run))
        return j
    # One quoted paragraph; what follows it is read as ordinary text again.
    blocks.append(Block("quote", run[:1]))
    return start + 1


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


def blocks_markdown(blocks: list[Block], css_class: str | None = None) -> list[str]:
    out = []
    for block in blocks:
        if block.kind == "para":
            out.append(escape_markdown(block.lines[0]))
        elif block.kind == "quote":
            out.append("> " + escape_markdown(block.lines[0]))
        else:
            out.append("\n".join(f"- {escape_markdown(item)}" for item in block.lines))
    if css_class and out:
        out = [f"::: {{.{css_class}}}", *out, ":::"]
    return out


def section_markdown(section: Section, depth: int) -> list[str]:
    out = [f"{'#' * depth} {escape_markdown(section.title)}"]
    out += blocks_markdown(section.blocks)
    for child in section.children:
        out += section_markdown(child, min(depth + 1, 6))
    return out


def chapter_markdown(chapter: Chapter, css_class: str | None = None) -> str:
    out = [f"# {escape_markdown(chapter.title)}"]
    out += blocks_markdown(chapter.blocks, css_class)
    for child in chapter.children:
        out += section_markdown(child, 2)
    return "\n\n".join(out) + "\n"


def key_facts_markdown(infobox: list[tuple[str, str]]) -> str:
    labels = {"Partof": "Part of", "Perps": "Perpetrators"}
    out = ["# Key Facts"]
    for key, value in infobox:
        if key.lower() == "title" or not value:
            continue
        value = re.sub(r",?\s*\(\)", "", value).replace(":,", ":")
        out.append(f"{escape_markdown(labels.get(key, key))}\n:   {escape_markdown(value)}")
    return "\n\n".join(out) + "\n"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "untitled"


def guess_title(article: Article) -> str:
    """The article's own title line, its infobox title, or the subject of the lead's first sentence."""
    if article.title:
        return article.title
    for key, value in article.infobox:
        if key.lower() == "title" and value:
            return value
    first = article.lead[0].lines[0] if article.lead else ""
    m = re.match(r"(?:The |An? )?(.+?)(?:,| or | is | was | \()", first)
    return m.group(1).strip() if m else "Untitled"


def import_article(article_path: Path, book_dir: Path, *, force: bool = False,
                   infobox_from: Path | None = None, warn=print) -> Path:
    """Write a new manuscript (book.yaml, chapters/, front/, back/) into ``book_dir``."""
    try:
        text = article_path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise ArticleImportError("article file not found", article_path) from None
    except UnicodeDecodeError as exc:
        raise ArticleImportError(f"not UTF-8 text ({exc.reason})", article_path) from None
    if (book_dir / "book.yaml").exists() and not force:
        raise ArticleImportError("a manuscript already exists here", book_dir / "book.yaml",
                                 hint="use --force to overwrite it")
    article = parse_article(text, article_path)
    if infobox_from:
        article.infobox = parse_article(infobox_from.read_text(encoding="utf-8"), infobox_from).infobox
    chapters, bibliography = plan_chapters(article, warn)
    if not chapters:
        raise ArticleImportError("no chapters found", article_path, hint="the article needs text")
    if force:
        for sub in ("chapters", "front", "back"):
            shutil.rmtree(book_dir / sub, ignore_errors=True)
    for sub in ("chapters", "front", "back"):
        (book_dir / sub).mkdir(parents=True, exist_ok=True)
    title = guess_title(article)
    meta = _book_yaml(title, article_path)
    if article.infobox:
        (book_dir / "front/key-facts.md").write_text(key_facts_markdown(article.infobox), encoding="utf-8")
        meta["front"] = [{"file": "front/key-facts.md", "role": "keyfacts"}]
    meta["chapters"] = []
    for n, chapter in enumerate(chapters, 1):
        name = f"chapters/{n:02d}-{slugify(chapter.title)}.md"
        (book_dir / name).write_text(chapter_markdown(chapter), encoding="utf-8")
        meta["chapters"].append(name)
        if chapter.grouped:
            meta["notes"].append(f"Chapter {n} ('{chapter.title}') also holds the short sections: "
                                 + ", ".join(f"'{t}'" for t in chapter.grouped))
    if bibliography:
        name = "back/further-reading.md"
        (book_dir / name).write_text(chapter_markdown(bibliography, "bibliography"), encoding="utf-8")
        meta["back"] = [{"file": name, "role": "bibliography"}]
    with open(book_dir / "book.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(meta, fh, allow_unicode=True, sort_keys=False, width=100)
    return book_dir / "book.yaml"


def _book_yaml(title: str, article_path: Path) -> dict:
    """Metadata for an article taken from Wikipedia, to be checked by the editor."""
    url = "https://en.wikipedia.org/wiki/" + title.replace(" ", "_")
    return {
        "title": title,
        "subtitle": "",
        "slug": slugify(title),
        "language": "en",
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}",
        "creator": "Wikipedia contributors",
        "source_title": title,
        "source_url": url,
        "licence": "CC BY-SA 4.0",
        "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
        "edition_date": __import__("datetime").date.today(),
        "publisher": "",
        "trim": "6x9",
        "notes": [f"Imported from {article_path.name}; check titles, lists and quotations by hand."],
    }
