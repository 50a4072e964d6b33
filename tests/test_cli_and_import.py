"""The command line on real and broken manuscripts, and the importer on both seeds."""

from __future__ import annotations

import hashlib

import pytest

from conftest import SEED_INFOBOX, SEED_RICH, build_into, copy_book, epubcheck, run_cli


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_book_yaml_gives_one_line_error_and_keeps_outputs(tmp_path):
    book = copy_book(tmp_path)
    out = tmp_path / "out"
    ok = run_cli("epub", "--book", str(book), "--out", str(out), "--quiet")     # the cheap output
    assert ok.returncode == 0, ok.stderr
    before = {p.name: digest(p) for p in out.iterdir()}
    assert set(before) == {"great-purge.epub"}

    lines = (book / "book.yaml").read_text(encoding="utf-8").splitlines()
    broken_line = next(i for i, line in enumerate(lines) if line.startswith("trim:")) + 1
    lines[broken_line - 1] = "trim: [6x9"          # unclosed flow sequence
    (book / "book.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    bad = run_cli("--book", str(book), "--out", str(out), "--quiet")
    assert bad.returncode != 0
    message = bad.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert "Traceback" not in message
    assert f"book.yaml:{broken_line + 1}:" in message or f"book.yaml:{broken_line}:" in message, message
    assert {p.name: digest(p) for p in out.iterdir()} == before


def test_wrong_value_names_its_line(tmp_path):
    book = copy_book(tmp_path)
    text = (book / "book.yaml").read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("trim:"))
    (book / "book.yaml").write_text(text.replace("trim: 6x9", "trim: B5"), encoding="utf-8")
    result = run_cli("pdf", "--book", str(book), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 2
    assert f"book.yaml:{line}: error: trim 'B5'" in result.stderr
    assert not (tmp_path / "out" / "great-purge.pdf").exists()


def test_missing_chapter_file_names_book_yaml_line(tmp_path):
    book = copy_book(tmp_path)
    victim = sorted((book / "chapters").iterdir())[2]
    victim.unlink()
    result = run_cli("epub", "--book", str(book), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode != 0
    line = next(n for n, l in enumerate((book / "book.yaml").read_text().splitlines(), 1) if victim.name in l)
    assert f"book.yaml:{line}:" in result.stderr and victim.name in result.stderr


def test_import_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "new"
    first = run_cli("import", str(SEED_INFOBOX), "--book", str(target))
    assert first.returncode == 0, first.stderr
    again = run_cli("import", str(SEED_INFOBOX), "--book", str(target))
    assert again.returncode != 0 and "--force" in again.stderr
    forced = run_cli("import", str(SEED_RICH), "--book", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "warning: empty section 'References' dropped" in forced.stderr


@pytest.mark.parametrize("seed", [SEED_RICH, SEED_INFOBOX], ids=["000-rich", "001-infobox"])
def test_each_seed_imports_and_builds(tmp_path, seed):
    book_dir = tmp_path / "book"
    result = run_cli("import", str(seed), "--book", str(book_dir))
    assert result.returncode == 0, result.stderr
    built = build_into(book_dir, tmp_path / "out")
    code, report = epubcheck(built.epub)
    assert code == 0, report
    titles = [c.title for c in built.model.chapters]
    assert titles[0] == "Introduction" and "Background" in titles
    assert any("Большой террор" in page for page in built.pages)
    if seed == SEED_INFOBOX:
        assert built.model.front and built.model.front[0].role == "keyfacts"
    else:
        assert "bibliography" in [d.role for d in built.model.back]
