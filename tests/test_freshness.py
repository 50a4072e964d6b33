"""Incremental builds: a no-op rebuild writes nothing; an edit reaches every output."""

from __future__ import annotations

import zipfile

import pdfplumber

from bookbuilder.run.build import build
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from conftest import run_cli
from test_small_books import make_book


def signature(path):
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_ino, stat.st_size


def test_noop_rebuild_writes_nothing_and_an_edit_reaches_both_outputs(tmp_path):
    book = make_book(tmp_path, chapters=2, paragraphs=2)
    out = tmp_path / "out"
    outputs = build(book, out, quiet=True)            # everything the CLI's default makes
    pdf, epub = (next(p for p in outputs if p.name == f"small-book.{ext}") for ext in ("pdf", "epub"))
    before = {p: signature(p) for p in outputs}
    listing = sorted(p.name for p in out.iterdir())

    again = run_cli("--book", str(book), "--out", str(out), "--quiet")
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stderr
    assert {p: signature(p) for p in outputs} == before
    assert sorted(p.name for p in out.iterdir()) == listing       # no temporary file either

    chapter = book / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Paragraph 1 of chapter 2.", "Paragraph 1 of chapter 2 mentions Zanzibar."), encoding="utf-8")
    rebuilt = build(book, out, ("pdf", "epub"), quiet=True)
    assert not rebuilt.unchanged
    assert all(signature(p) != before[p] for p in (pdf, epub))
    with pdfplumber.open(pdf) as doc:
        assert any("Zanzibar" in (page.extract_text() or "") for page in doc.pages)
    with zipfile.ZipFile(epub) as z:
        assert any("Zanzibar" in z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))


def test_a_touched_or_deleted_output_is_made_again(tmp_path):
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    out = tmp_path / "out"
    (epub,) = build(book, out, ("epub",), quiet=True)
    epub.unlink()
    rebuilt = build(book, out, ("epub",), quiet=True)
    assert epub.exists() and not rebuilt.unchanged
    assert build(book, out, ("epub",), quiet=True).unchanged == {epub.resolve()}


def test_a_rebuild_of_the_same_text_lays_out_nothing_and_gives_the_same_bytes(tmp_path, monkeypatch):
    """The reader's PDF is joined from its parts, each kept in the cache (layout/parts.py)."""
    from bookbuilder.layout import engine

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book = make_book(tmp_path, chapters=2, paragraphs=2)
    (first,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    before = first.read_bytes()
    first.unlink()                          # stale: made again, from the parts in the cache
    layouts = []
    real_render = engine.render
    monkeypatch.setattr(engine, "render", lambda *args: layouts.append(1) or real_render(*args))
    (again,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    assert layouts == []
    assert again.read_bytes() == before


def _indexed_book(tmp_path):
    """A small book whose index gives page numbers: a word in chapters 1 and 3."""
    book = make_book(tmp_path, chapters=3, paragraphs=4)
    for n in (1, 3):
        chapter = book / "chapters" / f"0{n}.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace(
            f"Paragraph 1 of chapter {n}.", f"Paragraph 1 of chapter {n} mentions Zanzibar."), encoding="utf-8")
    (book / "index.yaml").write_text('- headword: "Zanzibar"\n  match: ["Zanzibar"]\n', encoding="utf-8")
    return book


def _cold_build(book, out, cache_dir, monkeypatch) -> bytes:
    """The PDF of ``book`` laid out whole (the reference layout: reference.write_pdf) with the cache in
    ``cache_dir``."""
    from bookbuilder import cache
    from bookbuilder.layout.reference import write_pdf
    monkeypatch.setattr(cache, "_override", cache_dir.resolve())
    return write_pdf(enrich(read_book(book)), out / "small-book.pdf").read_bytes()


def test_a_rebuild_starts_from_the_last_page_numbers_and_gives_what_a_cold_build_gives(tmp_path, monkeypatch):
    """A book laid out whole (the reference layout): an edit that moves no page lays it out once; one that
    moves pages twice (no drafts: the repairs are remembered); either way the bytes of a
    build from nothing."""
    from bookbuilder.layout import engine

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book = _indexed_book(tmp_path)
    warm = tmp_path / "warm-cache"
    _cold_build(book, tmp_path / "out", warm, monkeypatch)
    layouts = []
    real_render = engine.render
    monkeypatch.setattr(engine, "render", lambda *args: layouts.append(1) or real_render(*args))

    def edit(n: int, old: str, new: str):
        chapter = book / "chapters" / f"0{n}.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    def rebuilt(label: str) -> tuple[bytes, int]:
        layouts.clear()
        data = _cold_build(book, tmp_path / "out", warm, monkeypatch)
        count = len(layouts)
        assert data == _cold_build(book, tmp_path / f"cold-{label}", tmp_path / f"cache-{label}", monkeypatch)
        return data, count

    def index_line() -> str:
        with pdfplumber.open(tmp_path / "out" / "small-book.pdf") as doc:
            return next(line for line in doc.pages[-1].extract_text().splitlines() if "Zanzibar" in line)

    edit(2, "Paragraph 2 of chapter 2.", "Paragraph 2 of chapter 2, edited.")
    before = index_line()
    _, count = rebuilt("same-pages")
    assert count == 1                           # its own page numbers: the final layout at once
    assert index_line() == before
    edit(1, "More text.", "More text.\n\n" + "\n\n".join(["A new paragraph of lorem ipsum dolor sit amet. " * 12] * 8))
    _, count = rebuilt("moved-pages")
    assert count == 2                           # the body was final; the index's numbers were not
    assert index_line() != before, before
