"""Tiny manuscripts made in the test: trim sizes and layout rules on real WeasyPrint output."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from bookbuilder.run.build import build

INCH = 72


def make_book(root: Path, trim: str = "6x9", chapters: int = 2, paragraphs: int = 3) -> Path:
    book = root / "book"
    (book / "chapters").mkdir(parents=True)
    names = []
    for n in range(1, chapters + 1):
        name = f"chapters/{n:02d}.md"
        body = "\n\n".join(f"Paragraph {i} of chapter {n}. " + "Lorem ipsum dolor sit amet. " * 12
                           for i in range(paragraphs))
        (book / name).write_text(f"# Chapter Title {n}\n\n{body}\n\n## A Section\n\nMore text.\n", encoding="utf-8")
        names.append(name)
    (book / "book.yaml").write_text(
        "title: Small Book\nslug: small-book\nlanguage: en\nidentifier: urn:uuid:00000000-0000-4000-8000-000000000001\n"
        "creator: Test Authors\nsource_title: Small\nsource_url: https://example.org/small\n"
        "licence: CC BY-SA 4.0\nlicence_url: https://creativecommons.org/licenses/by-sa/4.0/\n"
        f"edition_date: 2026-01-01\ntrim: {trim}\nchapters:\n" + "".join(f"  - {n}\n" for n in names),
        encoding="utf-8")
    return book


@pytest.mark.parametrize("trim,size", [("a5", (5.83, 8.27)), ("letter", (8.5, 11.0))])
def test_trim_sizes_are_selectable(tmp_path, trim, size):
    (pdf,) = build(make_book(tmp_path, trim), tmp_path / "out", ("pdf",), quiet=True)
    box = PdfReader(pdf).pages[0].trimbox
    assert (round(float(box.width) / INCH, 2), round(float(box.height) / INCH, 2)) == size


def test_chapters_open_on_rectos_with_blank_versos_left_empty(tmp_path):
    (pdf,) = build(make_book(tmp_path, chapters=3, paragraphs=2), tmp_path / "out", ("pdf",), quiet=True)
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    openers = [i for i, t in enumerate(texts) if t.startswith("Chapter ") and "Chapter Title" in t]
    assert len(openers) == 3
    assert all(i % 2 == 0 for i in openers), openers     # page index 0, 2, 4... are rectos
    blanks = [i for i, t in enumerate(texts) if not t.strip()]
    assert blanks, "expected a blank verso before a recto opener"
