"""Note density: `transliteration: {notes: all | terms | none}` and the Register of Names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book

from conftest import squash

TERMS = """- id: troika
  kind: term
  cyrillic: тройка
  english: troika
  gloss: "three-member sentencing panel"
- id: yezhov
  kind: name
  cyrillic: Николай Ежов
  english: Nikolai Yezhov
  match: [Yezhov]
  gloss: "head of the NKVD 1936–38"
  dates: "1895–1940"
"""


def _book(tmp_path: Path, notes: str | None) -> Path:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "chapters" / "01.md").write_text("# One\n\nYezhov chaired a troika. Yezhov again.\n", encoding="utf-8")
    (book / "chapters" / "02.md").write_text("# Two\n\nLater, Yezhov fell.\n", encoding="utf-8")
    (book / "russian-terms.yaml").write_text(TERMS, encoding="utf-8")
    choice = f"transliteration:\n  notes: {notes}\n" if notes else ""
    (book / "book.yaml").write_text(
        "title: Small Book\nslug: small-book\nlanguage: en\nidentifier: urn:uuid:00000000-0000-4000-8000-000000000001\n"
        "creator: T\nsource_title: S\nsource_url: https://example.org/s\nlicence: CC BY-SA 4.0\n"
        "licence_url: https://creativecommons.org/licenses/by-sa/4.0/\nedition_date: 2026-01-01\n"
        f"{choice}chapters:\n  - chapters/01.md\n  - chapters/02.md\n", encoding="utf-8")
    return book


def _noted(book) -> set[str]:
    return {n.id.split("-tn-")[1] for c in book.chapters for n in c.notes if n.kind == "translit"}


@pytest.mark.parametrize("notes,noted,registered", [
    (None, {"troika"}, ["yezhov"]),             # the default: terms in notes, people in the register
    ("terms", {"troika"}, ["yezhov"]),
    ("all", {"troika", "yezhov"}, []),
    ("none", set(), ["yezhov"]),
])
def test_the_notes_choice_sends_names_to_notes_or_to_the_register(tmp_path, notes, noted, registered):
    book = enrich(read_book(_book(tmp_path, notes)))
    assert _noted(book) == noted
    assert [e.term.id for e in book.register] == registered
    assert (book.division("register") is not None) == bool(registered)
    if registered:
        entry = book.register[0]
        assert entry.inverted == "Yezhov, Nikolai" and entry.romanised == "Nikolaĭ Ezhov"
        # every occurrence marked, the first of each chapter linked from the EPUB
        assert [(u.division_id, u.linked) for u in entry.uses] == [
            (book.chapters[0].id, True), (book.chapters[0].id, False), (book.chapters[1].id, True)]


def test_a_wrong_notes_choice_is_a_one_line_error(tmp_path):
    from bookbuilder.errors import BookError

    with pytest.raises(BookError, match="transliteration notes 'some'"):
        read_book(_book(tmp_path, "some"))


def test_the_real_book_has_a_register_of_names_with_pages_in_the_contents(real_book):
    pages = real_book.pages
    contents = squash(next(p for p in pages if p.startswith("Contents")))
    assert re.search(r"Register of Names[ .]+\d+", contents), contents
    start = next(i for i, p in enumerate(pages) if p.startswith("Register of Names"))
    end = next(i for i in range(start + 1, len(pages)) if pages[i].startswith("References"))
    register = squash(" ".join(pages[start:end]))
    # surname first, Cyrillic, ALA-LC romanisation, dates, who, pages
    assert re.search(r"Yezhov, Nikolai Николай Ежов, Nikolaĭ Ezhov \(1895–1940\) Head of the NKVD[^.]*\. [\d, –]+", register)
    assert "Stalin, Joseph Иосиф Сталин" in register
    first_chapter_notes = {n.id for n in real_book.model.chapters[0].notes if n.kind == "translit"}
    assert not any(n.endswith(("-tn-stalin", "-tn-kirov", "-tn-yagoda")) for n in first_chapter_notes)
