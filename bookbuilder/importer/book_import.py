"""``import_article``: one article, or several in one book, written as a manuscript (book.yaml,
chapters/, front/, back/) with its apparatus drafted.

Several articles make one book with their chapters in sequence, each article's lead becoming a
chapter under the article's own title. Parts would need a level of division the contents,
running heads, EPUB navigation and packets do not have; in sequence every chapter keeps its
number, a packet takes chapters from any article, and the contents still read article by
article. Each article keeps its own attribution and licence (``sources:`` in book.yaml).
"""

from __future__ import annotations

import datetime
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from bookbuilder.errors import ArticleImportError
from bookbuilder.importer import residue
from bookbuilder.importer.draft_references import draft_references
from bookbuilder.importer.apparatus import draft_apparatus
from bookbuilder.importer.article import (MAX_ARTICLE_BYTES, Article, Chapter, Inline, chapter_markdown,
                                          guess_title, key_facts_markdown, parse_article, plan_chapters,
                                          reference_list, slugify)
from bookbuilder.importer.licences import WIKIPEDIA, Licence, stated_licence
from bookbuilder.importer.plain_text import chapter_passages

CREATOR = "Wikipedia contributors"


@dataclass
class Imported:
    """One article read and planned."""
    path: Path
    article: Article
    title: str
    licence: Licence
    inline: Inline
    chapters: list[Chapter]
    bibliography: Chapter | None
    several: bool = False          # one of several articles in the book


def import_article(article_paths, book_dir: Path, *, force: bool = False,
                   infobox_from: Path | None = None, warn=print) -> Path:
    """Write a new manuscript from one article (a path) or several (a list of paths)."""
    paths = [Path(p) for p in (article_paths if isinstance(article_paths, (list, tuple)) else [article_paths])]
    if (book_dir / "book.yaml").exists() and not force:
        raise ArticleImportError("a manuscript already exists here", book_dir / "book.yaml",
                                 hint="use --force to overwrite it (the drafted data files are only extended)")
    several = len(paths) > 1
    articles = [_read(path, warn if not several else _named(warn, path), several) for path in paths]
    if infobox_from:
        articles[0].article.infobox = parse_article(_read_article(infobox_from), infobox_from).infobox
    if force:
        for sub in ("chapters", "front", "back"):
            shutil.rmtree(book_dir / sub, ignore_errors=True)
    for sub in ("chapters", "front", "back"):
        (book_dir / sub).mkdir(parents=True, exist_ok=True)
    meta = _book_yaml(articles)
    _write_front(book_dir, articles, meta)
    _write_chapters(book_dir, articles, meta)
    _write_back(book_dir, articles, meta)
    passages = chapter_passages([c for a in articles for c in a.chapters], _all_citations(articles))
    drafted = draft_apparatus(book_dir, passages, warn)
    works = draft_references(book_dir, _reference_lines(articles), warn)
    if works:
        meta["notes"].append(f"{works} works of the reading and reference lists drafted as references.yaml "
                             "(CSL YAML, marked drafted: review before citing them as [@key]).")
    meta["notes"].append(f"Apparatus drafted from the term base and the text: {drafted.summary()}; "
                         "review russian-terms.yaml, glossary.yaml and index.yaml (their headers say what).")
    with open(book_dir / "book.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(meta, fh, allow_unicode=True, sort_keys=False, width=100)
    return book_dir / "book.yaml"


def _reference_lines(articles: list[Imported]) -> list[str]:
    """The lines of each article's reading list and reference list, where works are named."""
    lines = []
    for a in articles:
        if a.bibliography:
            stack = [a.bibliography]
            while stack:
                section = stack.pop(0)
                lines += [line for block in section.blocks for line in block.lines]
                stack += list(section.children)
        lines += list(a.inline.citations.references.values())
    return lines


def _named(warn, path: Path):
    """Several articles: a warning names its own article."""
    return lambda line, message: warn(line, message, path=path)


def _read(path: Path, warn, several: bool) -> Imported:
    text = _read_article(path)
    article = parse_article(text, path, warn)
    chapters, bibliography = plan_chapters(article, warn)
    if not chapters:
        raise ArticleImportError("no chapters found", path, hint="the article needs text")
    title = guess_title(article)
    if several and chapters[0].title == "Introduction" and article.lead:
        chapters[0].title = title             # the lead opens the article's run of chapters
    return Imported(path, article, title, stated_licence(text) or WIKIPEDIA,
                    Inline(residue.Citations(reference_list(article))), chapters, bibliography, several)


def _all_citations(articles: list[Imported]) -> residue.Citations:
    references = {}
    for a in articles:
        references.update(a.inline.citations.references)
    return residue.Citations(references)


def _write_front(book_dir: Path, articles: list[Imported], meta: dict) -> None:
    with_infobox = next((a for a in articles if a.article.infobox), None)
    if with_infobox:
        (book_dir / "front/key-facts.md").write_text(key_facts_markdown(with_infobox.article.infobox),
                                                     encoding="utf-8")
        meta["front"] = [{"file": "front/key-facts.md", "role": "keyfacts"}]


def _write_chapters(book_dir: Path, articles: list[Imported], meta: dict) -> None:
    meta["chapters"] = []
    stems: set[str] = set()
    n = 0
    for a in articles:
        for chapter in a.chapters:
            n += 1
            name = f"chapters/{n:02d}-{_unique(slugify(chapter.title), stems)}.md"
            (book_dir / name).write_text(chapter_markdown(chapter, inline=a.inline), encoding="utf-8")
            meta["chapters"].append(name)
            if chapter.grouped:
                meta["notes"].append(f"Chapter {n} ('{chapter.title}') also holds the short sections: "
                                     + ", ".join(f"'{t}'" for t in chapter.grouped))
        meta["notes"] += _residue_notes(a)


def _write_back(book_dir: Path, articles: list[Imported], meta: dict) -> None:
    back = []
    for a in articles:
        if a.bibliography:
            if len(articles) > 1:
                a.bibliography.title = f"{a.bibliography.title}: {a.title}"
            name = f"back/{_unique(slugify(a.bibliography.title), {Path(b['file']).stem for b in back})}.md"
            (book_dir / name).write_text(chapter_markdown(a.bibliography, "bibliography", a.inline), encoding="utf-8")
            back.append({"file": name, "role": "bibliography"})
    if back:
        meta["back"] = back


def _read_article(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleImportError(f"the article is {size / 1e6:.1f} MB; the importer takes at most "
                                     f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB", path,
                                     hint="split it into several articles, one book each")
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ArticleImportError("article file not found", path) from None
    except UnicodeDecodeError as exc:
        raise ArticleImportError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path,
                                 hint="save the article as UTF-8") from None
    except OSError as exc:
        raise ArticleImportError(f"cannot read the article ({exc.strerror})", path) from None


def _unique(stem: str, used: set[str]) -> str:
    """Chapter file names must give distinct division ids: 'history', 'history-2'."""
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate


def _residue_notes(a: Imported) -> list[str]:
    """Editorial notes for book.yaml: what the import removed from the text."""
    citations, notes = a.inline.citations, []
    if citations.removed_count:
        shown = ", ".join(f"[{k}]" for k in sorted(citations.removed, key=_marker_order)[:5])
        more = ", …" if len(citations.removed) > 5 else ""
        notes.append(f"Removed {citations.removed_count} citation marker(s) ({shown}{more}): "
                     "the article has no reference list for them.")
    if citations.used:
        notes.append(f"{len(citations.used)} citation(s) became notes from the article's reference list.")
    if a.article.dropped_residue:
        notes.append(f"Dropped {a.article.dropped_residue} line(s) or fragment(s) of template and caption "
                     "residue (see the import warnings).")
    return [f"{a.path.name}: {note}" for note in notes] if a.several else notes


def _marker_order(key: str):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def _book_yaml(articles: list[Imported]) -> dict:
    """Metadata for articles taken from Wikipedia (or stating their licence), for the editor to check."""
    first = articles[0]
    title = first.title if len(articles) == 1 else _joint_title([a.title for a in articles])
    urls = [residue.wikipedia_url(a.title) for a in articles]
    licence = first.licence
    meta = {
        "title": title,
        "subtitle": "",
        "slug": slugify(title),
        "language": "en",
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(urls))}",
        "creator": CREATOR,
        "licence": licence.name,
        "licence_url": licence.url,
        "edition_date": datetime.date.today(),
        "publisher": "",
        "trim": "6x9",
    }
    if len(articles) == 1:
        meta = {**dict(list(meta.items())[:6]), "source_title": first.title, "source_url": urls[0],
                **dict(list(meta.items())[6:])}
    else:
        meta["sources"] = [{"title": a.title, "url": url, "creator": CREATOR, "licence": a.licence.name,
                            "licence_url": a.licence.url} for a, url in zip(articles, urls)]
    meta["notes"] = [f"Imported from {', '.join(a.path.name for a in articles)}; check titles, lists and "
                     "quotations by hand."] + _licence_notes(articles)
    return meta


def _joint_title(titles: list[str]) -> str:
    return f"{titles[0]} and {titles[1]}" if len(titles) == 2 else f"{titles[0]} and Other Articles"


def _licence_notes(articles: list[Imported]) -> list[str]:
    notes = []
    for a in articles:
        if not a.licence.stated:
            notes.append(f"{a.path.name} states no licence: {a.licence.name} is assumed from Wikipedia's terms "
                         "of use, and its address is guessed from its title. Check both in book.yaml.")
    if len({a.licence.name for a in articles}) > 1:
        notes.append("The articles carry different licences: the book's `licence` must allow them all "
                     f"(it is set to {articles[0].licence.name}, the first's).")
    return notes
