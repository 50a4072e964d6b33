"""The templates' environment: one Jinja2 environment for every output, its filters, and
what every template is given (the book, its metadata, the build date, the reader's words).

Markup lives in ``bookbuilder/templates/`` (package data); Python hands the templates data.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bookbuilder import ids
from bookbuilder.core.model import Book
from bookbuilder.words import words

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


@dataclass
class Link:
    label: str
    href: str
