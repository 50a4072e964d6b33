"""`build.py watch` as an editor uses it: a real process, real saves, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile

from conftest import ROOT
from test_small_books import make_book

DEADLINE = 300          # seconds: generous, the machine may be busy; not a timing assertion


def wait_for(condition, what: str, log) -> None:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}; watcher said:\n{log.read_text()}")


def epub_says(epub, word: str) -> bool:
    try:
        with zipfile.ZipFile(epub) as z:
            return any(word in z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    except (OSError, zipfile.BadZipFile):
        return False


def test_watch_rebuilds_after_an_edit_and_survives_a_broken_book_yaml(tmp_path):
    book = make_book(tmp_path, chapters=2, paragraphs=1)
    out, log = tmp_path / "out", tmp_path / "watch.log"
    epub, pdf = out / "small-book.epub", out / "small-book.pdf"
    chapter, config = book / "chapters" / "02.md", book / "book.yaml"
    with open(log, "w") as sink:
        # Ctrl-C as a terminal sends it, even when this run ignores SIGINT (a CI job started in
        # the background does, and a child inherits it)
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "watch", "--book", str(book),
                                 "--out", str(out)], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)},
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        wait_for(lambda: "watching" in log.read_text(), "the first build", log)
        assert epub.exists() and pdf.exists()
        pdf_before = pdf.stat().st_mtime_ns

        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA line about Zanzibar.\n", encoding="utf-8")
        wait_for(lambda: epub_says(epub, "Zanzibar") and pdf.stat().st_mtime_ns != pdf_before, "the edit", log)
        assert "changed: chapters/02.md" in log.read_text()

        good = config.read_text(encoding="utf-8")
        config.write_text(good.replace("title: Small Book", "title: [Small Book"), encoding="utf-8")
        wait_for(lambda: "book.yaml:2: error: invalid YAML" in log.read_text(), "the error line", log)
        assert proc.poll() is None, "the watcher stopped on a manuscript error"

        config.write_text(good, encoding="utf-8")
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nAnd one about Timbuktu.\n", encoding="utf-8")
        wait_for(lambda: epub_says(epub, "Timbuktu"), "recovery after the fix", log)
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=DEADLINE)
    text = log.read_text()
    assert code == 0, text
    assert "Traceback" not in text and "stopped" in text
