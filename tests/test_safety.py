"""Nothing in a manuscript can break or abuse the build: a corpus of bad inputs, files
outside the book folder never read, no request to the network, a killed build."""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from bookbuilder.cli import main
from conftest import ROOT, run_cli
from test_small_books import make_book

BAD = ROOT / "tests" / "corpus" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def digests(folder: Path) -> dict[str, str]:
    """Each output's digest; an output folder (the web edition) by every file in it."""
    return {p.name: _digest(p) for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def _digest(path: Path) -> str:
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(path.rglob("*")):
            if f.is_file():
                h.update(f.relative_to(path).as_posix().encode() + b"\0" + f.read_bytes())
        return h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A small book and the outputs of its last good build."""
    root = tmp_path_factory.mktemp("good")
    book = make_book(root, chapters=2, paragraphs=2)
    assert main(["--book", str(book), "--out", str(root / "out"), "--quiet"]) == 0
    return book, root / "out"


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_line_and_keeps_the_last_good_outputs(case, good_build, tmp_path, capsys):
    book_src, out_src = good_build
    book, out = tmp_path / "book", tmp_path / "out"
    shutil.copytree(book_src, book)
    shutil.copytree(out_src, out)
    before = digests(out)
    for overlay in (BAD / case).rglob("*"):
        if overlay.is_file():
            target = book / overlay.relative_to(BAD / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(overlay, target)
    capsys.readouterr()
    code = main(["--book", str(book), "--out", str(out), "--quiet"])
    stderr = capsys.readouterr().err
    expected = CASES[case]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert code == expected["exit"], stderr
    if code:
        assert len(stderr.strip().splitlines()) == 1, stderr
        assert re.search(expected["message"], stderr), stderr
        assert digests(out) == before, "a failed build changed the outputs of the last good build"
    else:
        warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
        assert any(re.search(expected["message"], w) for w in warnings), stderr
        assert {"small-book.pdf", "small-book.epub"} <= set(digests(out))
        _assert_no_active_content(out / "small-book.epub")


def _assert_no_active_content(epub: Path) -> None:
    """No element that runs code or loads a resource, no event or style attribute, no URL
    outside the book: in the parsed XHTML, where text that merely shows a tag does not count."""
    from lxml import etree

    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if not name.endswith(".xhtml"):
                continue
            for el in etree.fromstring(z.read(name)).iter():
                if not isinstance(el.tag, str):
                    continue
                tag = etree.QName(el).localname
                assert tag not in ("script", "iframe", "style", "object", "embed"), (name, tag)
                assert not (tag == "link" and el.get("rel") != "stylesheet"), (name, tag)
                for attr, value in el.attrib.items():
                    attr = etree.QName(attr).localname
                    assert not attr.startswith("on"), (name, tag, attr)
                    assert not (attr == "style" and ("url(" in value or "background" in value)), (name, value)
                    if attr in ("src", "href"):
                        assert not value.startswith(("file:", "data:", "javascript:")), (name, value)
                        assert tag == "a" or not value.startswith("http"), (name, value)


@pytest.mark.parametrize("make", ["empty", "huge"])
def test_bad_articles_are_refused_in_one_line(tmp_path, make):
    article = tmp_path / "article.txt"
    if make == "empty":
        article.write_text("\n\n  \n", encoding="utf-8")
    else:
        article.write_text(("Lorem ipsum dolor sit amet. " * 40 + "\n") * 9000, encoding="utf-8")
        assert article.stat().st_size > 10_000_000
    result = run_cli("import", str(article), "--book", str(tmp_path / "book"))
    assert result.returncode == 4
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{article}: error: ")
    assert not (tmp_path / "book" / "book.yaml").exists()


# ------------------------------------------------------------------ files outside the book

def test_files_outside_the_book_folder_are_never_opened(tmp_path, capsys):
    """`<img src="file:///etc/passwd">`, `![x](/etc/passwd)` and `../` paths: never opened."""
    secret_dir = tmp_path / "outside"
    secret_dir.mkdir()
    secret = secret_dir / "secret.png"
    secret.write_bytes(b"not for the book")
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    (book / "chapters" / "01.md").write_text(
        "# Chapter\n\nText <img src=\"file:///etc/passwd\"> and <img src=\"" + secret.as_uri() + "\">.\n\n"
        "![x](/etc/passwd)\n\n![y](" + str(secret) + ")\n\n![z](../outside/secret.png)\n\n"
        "Inline ![w](/etc/passwd) too.\n", encoding="utf-8")
    opened = []
    watched = {"/etc/passwd", str(secret)}

    def audit(event, args):
        if event == "open" and args and str(args[0]) in watched:
            opened.append(str(args[0]))

    sys.addaudithook(audit)       # cannot be removed: it only records the two watched paths
    code = main(["--book", str(book), "--out", str(tmp_path / "out"), "--quiet"])
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    assert opened == []
    assert "outside the book folder" in stderr and "internal error" not in stderr


# ------------------------------------------------------------------ the network

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_loopback_server_named_in_the_manuscript_gets_no_request(tmp_path, capsys):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        book = make_book(tmp_path, chapters=1, paragraphs=1)
        (book / "chapters" / "01.md").write_text(
            f"# Chapter\n\nA paragraph.\n\n![Remote]({url}/figure.png)\n\n"
            f"Inline ![r]({url}/inline.png) and <img src=\"{url}/raw.png\"> and [a link]({url}/page).\n\n"
            f"[Styled]{{style=\"background: url({url}/css.png)\"}}\n\n"
            f"<link rel=\"stylesheet\" href=\"{url}/style.css\">\n", encoding="utf-8")
        code = main(["--book", str(book), "--out", str(tmp_path / "out"), "--quiet"])
        stderr = capsys.readouterr().err
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, stderr
    assert _Recorder.requests == []


# ------------------------------------------------------------------ a killed build

def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_watching(args: list[str], kill_when) -> tuple[bool, float]:
    """Run the CLI in a subprocess; SIGKILL it as soon as ``kill_when(cpu_seconds)`` holds.
    Returns whether it was killed and the last CPU time seen (its own process)."""
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = 0.0
    while process.poll() is None:
        try:
            seen = _cpu_seconds(process.pid)
        except (OSError, IndexError):
            pass
        if kill_when(seen):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True, seen
        time.sleep(0.002)
    return False, seen


@pytest.mark.parametrize("when", ["layout", "write"])
def test_a_killed_build_leaves_the_previous_outputs(tmp_path, when):
    """SIGKILL during layout (at 70 % of the CPU time a whole build of this book took: layout
    runs from about 58 % to 85 % of it) or while the PDF is written (its temporary file exists)."""
    book = make_book(tmp_path, chapters=12, paragraphs=10)
    out = tmp_path / "out"
    args = ["pdf", "--book", str(book), "--out", str(out), "--quiet"]
    # each build with an empty cache of its own: a rebuild starting from the first one's page
    # numbers would be over long before 70 % of the first one's time
    finished, whole = _run_watching(args + ["--cache-dir", str(tmp_path / "cache-1")], lambda cpu: False)
    assert not finished and (out / "small-book.pdf").exists()
    before = digests(out)
    # the next build would make a different PDF: killing it must leave the first one
    chapter = book / "chapters" / "01.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    args += ["--cache-dir", str(tmp_path / "cache-2")]
    if when == "write":
        killed, _ = _run_watching(args, lambda cpu: any(p.name.startswith(".small-book.pdf.")
                                                        for p in out.iterdir()))
    else:
        killed, _ = _run_watching(args, lambda cpu: cpu >= 0.7 * whole)
    assert killed, "the build finished before it could be killed"
    assert digests(out) == before


def test_pandoc_s_own_styles_stay_and_others_go():
    from bookbuilder.source.sanitize import safe_style
    assert safe_style("text-align: right;") == "text-align: right"
    assert safe_style("width: 50%; background: url(http://127.0.0.1/x)") == "width: 50%"
    assert safe_style("color: red") is None and safe_style("width: expression(alert(1))") is None


def test_the_fetcher_rule(tmp_path):
    """Files under the allowed folders and small data: URLs pass; everything else is refused,
    also a link inside the book folder that points outside it."""
    from bookbuilder import cache
    from bookbuilder.source.fetcher import DATA_URL_LIMIT, allowed_roots, refusal

    book = tmp_path / "book"
    (book / "images").mkdir(parents=True)
    (book / "images" / "a.png").write_bytes(b"x")
    (book / "images" / "escape.png").symlink_to("/etc/passwd")
    roots = allowed_roots(book)
    assert refusal((book / "images" / "a.png").as_uri(), roots) is None
    assert refusal(cache.path("print", "x.svg").as_uri(), roots) is None
    assert refusal("data:image/png;base64,AAAA", roots) is None
    for url in ("file:///etc/passwd", (book / "images" / "escape.png").as_uri(), "http://127.0.0.1/x.png",
                "https://example.org/x.css", "ftp://example.org/x", "file://otherhost/etc/passwd",
                (book / ".." / "outside.png").as_uri(), "data:," + "A" * DATA_URL_LIMIT):
        assert refusal(url, roots), url


def test_a_failed_build_ends_the_child_making_web_fonts_and_leaves_no_half_font(tmp_path, monkeypatch):
    """run/fonts_ahead.py: the child making the web fonts beside a cold build is ended when the
    build fails, and what it leaves in the cache is whole fonts or nothing (atomic writes)."""
    from bookbuilder import cache
    from bookbuilder.process import forking
    from bookbuilder.run.fonts_ahead import fonts_ahead

    if not forking.can_fork():
        pytest.skip("no forked children on this platform")
    monkeypatch.setattr(cache, "_override", tmp_path.resolve())
    started = []
    monkeypatch.setattr(forking.Child, "__init__", _recording(forking.Child.__init__, started))
    with pytest.raises(ValueError):
        with fonts_ahead(True):
            time.sleep(0.3)                       # the child is at work on the first face
            raise ValueError("a manuscript error")
    (child,) = started
    assert child.returncode is not None           # ended and reaped, not left running
    left = [p.name for p in (tmp_path / "fonts").glob("*")] if (tmp_path / "fonts").exists() else []
    assert not [name for name in left if ".tmp" in name], left      # no half-written font
    for font in (tmp_path / "fonts").glob("*.woff2"):
        from fontTools.ttLib import TTFont
        assert TTFont(font).flavor == "woff2"


def _recording(init, started):
    def record(self, *args, **kwargs):
        init(self, *args, **kwargs)
        started.append(self)
    return record
