"""Read the manuscript: every file named in book.yaml goes through Pandoc once,
and comes back as one :class:`Division` of the document model."""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

import pypandoc
from lxml import html

from bookbuilder import cache
from bookbuilder.core.config import load_config
from bookbuilder.core.editions import WHOLE_BOOK, Selection
from bookbuilder.errors import ManuscriptError
from bookbuilder.core.model import Book, Division, inner_html
from bookbuilder.source import citations
from bookbuilder.source.figure_data import load_figures
from bookbuilder.source.image_refs import police_images
from bookbuilder.words import words
from bookbuilder.source.sanitize import check_source, clean_body
from bookbuilder.source.index_data import load_index
from bookbuilder.source.term_data import load_glossary, load_people, load_russian_terms
from bookbuilder.core.romanisation import Scheme

# Pandoc Markdown with typographic quotes and dashes; raw HTML and TeX are not manuscript syntax.
# Raw attributes (`<b>`{=html}) would let HTML through: off too (README, "Raw HTML").
PANDOC_FROM = "markdown+smart-raw_html-raw_tex-raw_attribute-tex_math_dollars"
PANDOC_ARGS = ("--wrap=none", "--section-divs=false")
PANDOC_RUNS = 2


def read_book(book_dir: Path, selection: Selection = WHOLE_BOOK) -> Book:
    """The document model of the divisions ``selection`` holds (by default the whole book).
    Chapters keep the book's numbers whatever is left out."""
    config = load_config(book_dir)
    numbers = {e.id: n for n, e in enumerate(config.chapters, 1)}
    entries = [e for e in config.divisions if selection.includes(e)]
    for entry in entries:
        check_source(entry.file)
    # Pandoc runs as a process of its own: two at a time use both cores on a first read
    with ThreadPoolExecutor(max_workers=PANDOC_RUNS) as pool:
        cite = (citations.pandoc_args(config), citations.inputs_digest(config))
        converted = list(pool.map(lambda e: markdown_to_html(e.file, e.id, *cite), entries))
    divisions = []
    for entry, body in zip(entries, converted):
        divisions.append(read_division(entry.file, entry.id, entry.kind, entry.role, numbers.get(entry.id), body))
        police_images(divisions[-1].body, entry.file, config.root, words(config.language)["image_missing"])
    left_out = {e.file.resolve() for e in config.divisions if not selection.includes(e)}
    figures = [f for f in load_figures(book_dir) if f.chapter.resolve() not in left_out]
    book = Book(config, divisions, terms=load_russian_terms(book_dir), glossary=load_glossary(book_dir),
                people=load_people(book_dir),
                index=load_index(book_dir), figures=figures,
                scheme=Scheme(config.transliteration), selection=selection)
    _format_data_text(book)
    return book


def _format_data_text(book: Book) -> None:
    """Glossary definitions and term glosses are Markdown too: typographic quotes, emphasis."""
    fields = [(entry, "definition") for entry in book.glossary] + [
        (term, name) for term in book.terms + book.people for name in ("english", "gloss", "who")] + [
        (figure, name) for figure in book.figures for name in ("title", "caption", "source")]
    converted = markdown_snippets([getattr(obj, name) for obj, name in fields])
    for (obj, name), text in zip(fields, converted):
        setattr(obj, f"{name}_html", text)


def markdown_snippets(texts: list[str]) -> list[str]:
    """Many short Markdown strings to inline HTML, each remembered by its text as a manuscript
    file's HTML is: a rebuild, or a packet (whose glossary is a part of the book's), need not
    wait for Pandoc; those not remembered are converted with a single Pandoc run."""
    remembered = [cache.path("pandoc", "snippets", f"{cache.key(text, PANDOC_FROM, length=24)}.html") for text in texts]
    missing = sorted({i for i, path in enumerate(remembered) if not path.exists()})
    for i, converted in zip(missing, _convert_snippets([texts[i] for i in missing])):
        cache.write_text(remembered[i], converted)
    return [path.read_text(encoding="utf-8") for path in remembered]


def _convert_snippets(texts: list[str]) -> list[str]:
    if not texts:
        return []
    source = "\n\n".join(f"::: {{#snippet-{i}}}\n{text}\n:::" for i, text in enumerate(texts))
    converted = pypandoc.convert_text(source, "html5", format=PANDOC_FROM, extra_args=["--wrap=none"])
    tree = html.fragment_fromstring(converted, create_parent="div")
    result = []
    for i in range(len(texts)):
        div = tree.get_element_by_id(f"snippet-{i}", None)
        para = div.find("p") if div is not None else None
        if para is None:
            result.append(escape(texts[i], quote=False))
            continue
        result.append(inner_html(para))
    return result


def markdown_to_html(path: Path, id_prefix: str, extra_args: tuple[str, ...] = (), inputs: str = "") -> str:
    """Pandoc's HTML of one manuscript file, remembered by the file's content (a rebuild
    after an edit runs Pandoc on the edited file alone); ``extra_args``: the cross-reference
    filter and citeproc (source/citations.py), ``inputs`` the digest of what they read."""
    data = path.read_bytes()
    remembered = cache.path("pandoc", f"{cache.key(hashlib.sha256(data).hexdigest(), id_prefix, PANDOC_FROM, PANDOC_ARGS, inputs, length=24)}.html")
    if remembered.exists():
        return remembered.read_text(encoding="utf-8")
    try:
        converted = pypandoc.convert_text(data.decode("utf-8"), "html5", format=PANDOC_FROM,
                                          extra_args=[f"--id-prefix={id_prefix}-", *PANDOC_ARGS,
                                                      *citations.args_for_text(extra_args, data)])
    except RuntimeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ManuscriptError(f"pandoc could not read this file: {str(exc).strip().splitlines()[-1]}",
                              path, int(line.group(1)) if line else None) from None
    cache.write_text(remembered, converted)
    return converted


def read_division(path: Path, div_id: str, kind: str, role: str, number: int | None,
                  converted: str | None = None) -> Division:
    """One manuscript file as a Division; ``converted``: its Pandoc HTML, when made already."""
    if converted is None:
        check_source(path)
        converted = markdown_to_html(path, div_id)
    body = html.fragment_fromstring(converted or "<p></p>", create_parent="div")
    clean_body(body, path)
    h1 = body.find("h1")
    if h1 is None:
        raise ManuscriptError("the file has no title heading", path, 1,
                              hint="start it with a line '# Title'")
    if body.index(h1) != 0 or (body.text or "").strip():
        raise ManuscriptError("text before the title heading", path, 1,
                              hint="the '# Title' line must come first")
    if len(body.findall("h1")) > 1:
        raise ManuscriptError("more than one '# ' title heading", path,
                              _line_of_second_title(path),
                              hint="one file per chapter; use '## ' for sections")
    title_html = inner_html(h1)
    title = h1.text_content().strip()
    body.remove(h1)
    if h1.tail and h1.tail.strip():
        body.text = (body.text or "") + h1.tail
    return Division(div_id, kind, role, number, title, title_html, body, path)


def _line_of_second_title(path: Path) -> int | None:
    seen = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"#\s", line):
            seen += 1
            if seen == 2:
                return n
    return None

