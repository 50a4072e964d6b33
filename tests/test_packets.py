"""Course packets, built once per session from the real book: chapters 2–3, with a booklet."""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from bookbuilder.run.build import build_packet
from bookbuilder.core.config import load_config
from bookbuilder.passes.enrich import enrich
from bookbuilder.press.imposition import booklet_order
from bookbuilder.source.manuscript import read_book
from bookbuilder.core.packet_specs import ad_hoc_packet
from conftest import ROOT, epubcheck, epubcheck_counts, squash


@dataclass
class Packet:
    pdf: Path
    booklet: Path
    epub: Path
    pages: list[str]
    model: object
    book: object


@pytest.fixture(scope="session")
def packet(tmp_path_factory) -> Packet:
    out = tmp_path_factory.mktemp("packet")
    edition = ad_hoc_packet(load_config(ROOT / "book"), "2-3", "HIST 210, week 6", course="HIST 210",
                            term="Spring 2027", impose=("booklet",))
    pdf, booklet, epub, _site = build_packet(ROOT / "book", edition, out)
    with pdfplumber.open(pdf) as doc:
        pages = [p.extract_text(x_tolerance=1.5) or "" for p in doc.pages]
    return Packet(pdf, booklet, epub, pages, enrich(read_book(ROOT / "book", edition.selection)),
                  enrich(read_book(ROOT / "book")))


def test_packet_holds_exactly_its_chapters(packet):
    text = squash(" ".join(packet.pages))
    for division in packet.book.chapters:
        first = " ".join(squash(division.body.find("p").text_content()).split()[:8])
        assert (first in text) == (division.number in (2, 3)), (division.number, first)
    assert "HIST 210" in packet.pages[0] and "Chapters 2–3 of The Great Purge" in squash(packet.pages[0])
    assert "CC BY-SA 4.0" in squash(packet.pages[0])


def test_packet_pages_are_numbered_from_one_with_running_heads(packet):
    opener = next(i for i, t in enumerate(packet.pages) if "CHAPTER 2" in t.upper() and "Background" in t)
    assert packet.pages[opener].rstrip().endswith("1")
    assert "Chapter 2: Background" in packet.pages[opener + 1] or "The Great Purge" in packet.pages[opener + 1]


def test_packet_glossary_lists_only_terms_its_chapters_use(packet):
    used = {entry.headword for entry in packet.model.glossary}
    assert used and all(entry.uses for entry in packet.model.glossary)
    whole = {entry.headword for entry in packet.book.glossary}
    assert used < whole                       # some book terms are not in chapters 2–3
    with zipfile.ZipFile(packet.epub) as z:
        glossary = z.read("EPUB/glossary.xhtml").decode()
    import re
    assert set(re.findall(r"<dfn>(.*?)</dfn>", glossary)) == used
    start = next(i for i, t in enumerate(packet.pages) if t.startswith("Glossary"))
    printed = squash(" ".join(packet.pages[start:]))
    assert all(headword in printed for headword in used)


def test_packet_index_points_at_its_own_pages(packet):
    reader = PdfReader(packet.pdf)
    by_mark = {o.id: item for e in packet.model.index for item in [e] + e.sub for o in item.occurrences}
    named = reader.named_destinations
    page_of = {id(p.indirect_reference.get_object()) if p.indirect_reference else None: i
               for i, p in enumerate(reader.pages)}
    checked = 0
    start = next(i for i, t in enumerate(packet.pages) if t.startswith("Index"))
    for page in reader.pages[start:]:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            mark = str(annotation.get("/Dest", ""))
            if mark not in by_mark or mark not in named:
                continue
            target = page_of.get(id(named[mark].page.get_object()))
            assert target is not None and target < start
            text = squash(packet.pages[target]).casefold()
            forms = [f.casefold().split()[-1] for f in by_mark[mark].match]
            assert any(form in text for form in forms), (mark, forms, target)
            checked += 1
            if checked == 25:
                return
    assert checked >= 10


def test_transliteration_notes_restart_in_the_packet(packet):
    noted_in_book = {n.data["term"].id: d.number for d in packet.book.chapters for n in d.notes if n.kind == "translit"}
    in_packet = {n.data["term"].id: n for d in packet.model.chapters for n in d.notes if n.kind == "translit"}
    restarted = [term for term, number in noted_in_book.items() if number == 1 and term in in_packet]
    assert restarted, "expected a term first noted in chapter 1 and used in chapters 2–3"
    text = squash(" ".join(packet.pages))
    for term_id in restarted[:5]:
        cyrillic = in_packet[term_id].data["term"].cyrillic
        assert f"Russian {cyrillic}" in text, term_id


def test_booklet_is_imposed_for_saddle_stitching(packet):
    pages = len(packet.pages)
    booklet = PdfReader(packet.booklet)
    sheets = math.ceil(pages / 4)
    assert len(booklet.pages) == 2 * sheets                   # two sides a sheet
    width = float(PdfReader(packet.pdf).pages[0].mediabox.width)
    assert float(booklet.pages[0].mediabox.width) == pytest.approx(2 * width)
    last, first = booklet_order(pages)[0]
    assert first == 0 and last == 4 * sheets - 1               # page 1 and the last page share a side
    with pdfplumber.open(packet.booklet) as doc:
        side = doc.pages[0]
        left = side.crop((0, 0, width, side.height)).extract_text(x_tolerance=1.5) or ""
        right = side.crop((width, 0, 2 * width, side.height)).extract_text(x_tolerance=1.5) or ""
    assert squash(right).strip() == squash(packet.pages[0]).strip()
    expected_left = packet.pages[last] if last < pages else ""
    assert squash(left).strip() == squash(expected_left).strip()


def test_an_imposition_is_the_same_bytes_each_time(packet, tmp_path):
    from bookbuilder.press.imposition import impose

    again = impose(packet.pdf, tmp_path / "again.pdf", "booklet")
    assert again.read_bytes() == packet.booklet.read_bytes()


def test_packet_epub_is_valid_and_holds_the_same_chapters(packet):
    code, report = epubcheck(packet.epub)
    assert code == 0 and epubcheck_counts(report) == (0, 0, 0), report[-2000:]     # OPF-085 once warned
    with zipfile.ZipFile(packet.epub) as z:
        names = set(z.namelist())
    assert {"EPUB/background.xhtml", "EPUB/moscow-trials.xhtml"} <= names
    assert "EPUB/introduction.xhtml" not in names


def _two_packet_book(tmp_path) -> Path:
    from test_small_books import make_book
    book = make_book(tmp_path, chapters=2, paragraphs=1)
    config = book / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + (
        "packets:\n"
        "- id: first\n  title: First\n  chapters: 1\n"
        "- id: second\n  title: Second\n  chapters: 2\n"), encoding="utf-8")
    return book


def test_packets_built_by_workers_and_stamped_by_their_own_chapters(tmp_path):
    """Two packets and nothing else to build: one child process each. An edit in chapter 2
    rebuilds its packet alone. A manuscript error met by a child comes back as the one-line
    error a build in this process gives (file and line), with a non-zero exit."""
    from conftest import run_cli
    book = _two_packet_book(tmp_path)
    out = tmp_path / "out"
    made = run_cli("packets", "--book", str(book), "--out", str(out), "--quiet")
    assert made.returncode == 0, made.stderr
    first, second = out / "packets" / "first.pdf", out / "packets" / "second.pdf"
    with pdfplumber.open(first) as pdf:
        assert "Paragraph 0 of chapter 1." in squash(" ".join(p.extract_text() or "" for p in pdf.pages))
    before = {p: p.stat().st_mtime_ns for p in (first, second)}

    chapter = book / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("More text.", "More text, edited."),
                       encoding="utf-8")
    again = run_cli("packets", "--book", str(book), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert first.stat().st_mtime_ns == before[first] and second.stat().st_mtime_ns != before[second]
    good = second.read_bytes()

    chapter.write_text("Text before the title.\n\n" + chapter.read_text(encoding="utf-8"), encoding="utf-8")
    broken = run_cli("packets", "--book", str(book), "--out", str(out), "--quiet")
    lines = [line for line in broken.stderr.splitlines() if line.strip()]
    assert broken.returncode == 3, broken.stderr                 # ManuscriptError's exit code
    assert lines == [f"{chapter}:1: error: text before the title heading (the '# Title' line must come first)"]
    assert second.read_bytes() == good                           # the last good packet is still there


def _packet_book(tmp_path) -> Path:
    """A small book with an index and a note, and a packet of its chapters 1 and 2 (the
    first opens on the verso after the cover, the second on the next page, a recto)."""
    from test_freshness import _indexed_book

    book = _indexed_book(tmp_path)
    chapter = book / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "More text.", "More text.[^n]\n\n[^n]: A note at the foot of the page.\n"), encoding="utf-8")
    config = book / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + (
        "packets:\n- id: pair\n  title: A Pair of Chapters\n  chapters: 1-2\n"), encoding="utf-8")
    return book


def _packet_of(book_dir: Path, out: Path) -> Path:
    from bookbuilder.core.packet_specs import declared_packets
    from bookbuilder.run.packets import write_packet

    (edition,) = declared_packets(load_config(book_dir))
    return write_packet(book_dir, edition, out)[0]


def test_a_packet_joined_from_its_parts_is_its_whole_layout(tmp_path, monkeypatch):
    """A packet's PDF is joined from parts laid out alone, each on the side of the page it
    follows on: the same pages, text, links, bookmarks and structure as WeasyPrint's own PDF
    of the packet laid out at once."""
    from bookbuilder import cache
    from bookbuilder.core.packet_specs import declared_packets
    from bookbuilder.layout.engine import write_tagged
    from bookbuilder.layout.reference import final_layout
    from test_bookparts import assert_joined_is_whole

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    book_dir = _packet_book(tmp_path)
    joined = _packet_of(book_dir, tmp_path / "out")
    (edition,) = declared_packets(load_config(book_dir))
    model = enrich(read_book(book_dir, edition.selection))
    document, _, _ = final_layout(model, edition)
    whole = write_tagged(model, document, tmp_path / "whole.pdf")
    parts = assert_joined_is_whole(joined, whole)
    openers = [i for i, text in enumerate(parts["texts"]) if text.startswith("Chapter ")]
    assert {i % 2 for i in openers} == {0, 1}, openers      # a chapter on each side


def test_an_edit_in_a_packet_lays_out_its_chapter_alone(tmp_path, monkeypatch):
    from bookbuilder import cache
    from test_bookparts import _laid_out_here

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setattr(cache, "_override", (tmp_path / "warm").resolve())
    book_dir = _packet_book(tmp_path)
    _packet_of(book_dir, tmp_path / "out")
    chapter = book_dir / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Paragraph 1 of chapter 2.", "Paragraph 1 of chapter 2, edited."), encoding="utf-8")
    laid_out = _laid_out_here(monkeypatch)
    warm = _packet_of(book_dir, tmp_path / "out")
    assert laid_out == [["ch-02"]], laid_out
    monkeypatch.setattr(cache, "_override", (tmp_path / "cold").resolve())
    cold = _packet_of(book_dir, tmp_path / "out-cold")
    assert warm.read_bytes() == cold.read_bytes()
