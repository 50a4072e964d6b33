"""Layout repairs are remembered per chapter: an edit forgets only the edited chapter's."""

from __future__ import annotations

from bookbuilder.layout import repairs
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from test_small_books import make_book


def test_an_edit_keeps_the_other_chapters_repairs(tmp_path, monkeypatch):
    monkeypatch.setenv("BOOKBUILDER_CACHE", str(tmp_path / "cache"))
    book_dir = make_book(tmp_path, chapters=2, paragraphs=1)
    for n in (1, 2):
        chapter = book_dir / "chapters" / f"0{n}.md"
        chapter.write_text(chapter.read_text(encoding="utf-8") + f"\nA noted line.[^a]\n\n[^a]: Note of {n}.\n",
                           encoding="utf-8")
    book = enrich(read_book(book_dir))
    first, second = (chapter.notes[0].id for chapter in book.chapters)
    repairs.remember(book, repairs.Repairs(notes={first, second}))
    assert repairs.recall(enrich(read_book(book_dir))).notes == {first, second}

    chapter = book_dir / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("More text.", "More text, edited."),
                       encoding="utf-8")
    assert repairs.recall(enrich(read_book(book_dir))).notes == {first}
