"""Incremental builds: a no-op rebuild writes nothing; an edit reaches every output."""

from __future__ import annotations

import zipfile

import pdfplumber

from bookbuilder.build import build
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


def test_a_rebuild_with_the_same_body_lays_out_once_and_gives_the_same_bytes(tmp_path, monkeypatch):
    from bookbuilder import pdf as pdf_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book = make_book(tmp_path, chapters=2, paragraphs=2)
    (first,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    before = first.read_bytes()
    first.unlink()                          # stale: made again, but from the remembered page map
    layouts = []
    real_render = pdf_module.render
    monkeypatch.setattr(pdf_module, "render", lambda *args: layouts.append(1) or real_render(*args))
    (again,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    assert len(layouts) == 1
    assert again.read_bytes() == before
