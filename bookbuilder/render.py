"""Render the document model through Jinja2 templates.

Python hands the templates data; all markup lives in ``templates/``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .fonts import book_fonts
from .model import Book

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xhtml", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markup"] = Markup
    return env


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
    }


def print_html(book: Book) -> str:
    """One HTML document holding the whole print book."""
    env = environment()
    css = env.get_template("print/book.css.j2").render(
        fonts=book_fonts(), page_size=book.config.page_size, meta=book.config)
    return env.get_template("print/book.html.j2").render(css=Markup(css), **common_context(book))


def epub_documents(book: Book, bodies: dict[str, str]) -> dict[str, str]:
    """File name -> XHTML for every EPUB content document; ``bodies`` maps division id -> body XHTML."""
    env = environment()
    ctx = common_context(book)
    docs = {
        "titlepage.xhtml": env.get_template("epub/titlepage.xhtml.j2").render(**ctx),
        "imprint.xhtml": env.get_template("epub/imprint.xhtml.j2").render(**ctx),
        "nav.xhtml": env.get_template("epub/nav.xhtml.j2").render(**ctx),
    }
    division_template = env.get_template("epub/division.xhtml.j2")
    for division in book.divisions:
        docs[division.file_name] = division_template.render(
            division=division, body=bodies[division.id], **ctx)
    return docs


def epub_stylesheet() -> str:
    return (TEMPLATES / "epub" / "book.css").read_text(encoding="utf-8")
