"""The real book, built with real pandoc, WeasyPrint, ebooklib and EPUBCheck."""

from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import epubcheck, epubcheck_counts, squash

INCH = 72


def test_epub_passes_epubcheck(real_book):
    code, report = epubcheck(real_book.epub)
    assert code == 0, report
    assert epubcheck_counts(report) == (0, 0, 0), report


def test_pdf_trim_is_6_by_9_inches(real_book):
    reader = PdfReader(real_book.pdf)
    assert len(reader.pages) > 20
    for page in reader.pages:
        box = page.trimbox
        assert (round(float(box.width) / INCH, 2), round(float(box.height) / INCH, 2)) == (6.0, 9.0)


def folio_map(pages: list[str]) -> dict[str, int]:
    """Printed folio (last line of a page) -> index of the physical page."""
    folios = {}
    for i, text in enumerate(pages):
        lines = text.strip().splitlines()
        if lines and re.fullmatch(r"[0-9]+|[ivxlc]+", lines[-1].strip()):
            folios[lines[-1].strip()] = i
    return folios


def toc_entries(real_book) -> dict[str, str]:
    """Chapter title -> page number printed in the table of contents."""
    toc_text = squash(next(t for t in real_book.pages if t.startswith("Contents")))
    entries = {}
    for chapter in real_book.model.chapters:
        m = re.search(rf"{chapter.number} {re.escape(chapter.title)}[ .]*?(\d+)\b", toc_text)
        assert m, f"{chapter.title!r} not in ToC: {toc_text}"
        entries[chapter.title] = m.group(1)
    return entries


def test_toc_page_numbers_are_where_chapters_begin(real_book):
    folios = folio_map(real_book.pages)
    entries = toc_entries(real_book)
    assert len(entries) == len(real_book.model.chapters) >= 10
    for chapter in real_book.model.chapters:
        page = real_book.pages[folios[entries[chapter.title]]]
        head = squash("\n".join(page.splitlines()[:4]))
        assert f"Chapter {chapter.number}" in head, (chapter.title, head)
        assert chapter.title in head, (chapter.title, head)


def test_first_chapter_starts_at_page_one_after_roman_front_matter(real_book):
    folios = folio_map(real_book.pages)
    assert real_book.pages[folios["1"]].startswith("Chapter 1")
    assert any(f in folios for f in ("v", "vii")), folios


def top_line(pdf, index: int) -> str:
    page = pdf.pages[index]
    words = [w for w in page.extract_words() if w["bottom"] < 0.75 * INCH]
    return " ".join(w["text"] for w in words)


def test_running_heads_on_body_pages_not_on_openers(real_book):
    folios = folio_map(real_book.pages)
    title = real_book.model.config.title
    with pdfplumber.open(real_book.pdf) as pdf:
        checked = 0
        for chapter in real_book.model.chapters:
            opener = folios[toc_entries(real_book)[chapter.title]]
            assert top_line(pdf, opener) == "", "running head on a chapter opener"
            following = real_book.pages[opener + 1]
            if following.startswith("Chapter") or not following.strip():
                continue          # a one-page chapter
            head = top_line(pdf, opener + 1)
            # pages after an odd-numbered page are versos (book title), otherwise rectos (chapter title)
            assert head in (title, chapter.title), head
            checked += 1
        assert checked >= 5


def test_all_fonts_embedded_and_subset(real_book):
    reader = PdfReader(real_book.pdf)
    seen = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            seen.add(str(font["/BaseFont"]))
    assert seen and all(re.match(r"/[A-Z]{6}\+", name) for name in seen), seen
    assert any("Garamond" in name for name in seen)


def test_russian_is_extractable_from_pdf_and_tagged_in_epub(real_book):
    assert any("Большой террор" in text for text in real_book.pages)
    assert any("ɪˈʐofɕːɪnə" in text for text in real_book.pages), "IPA not extractable"
    with zipfile.ZipFile(real_book.epub) as z:
        chapters = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert re.search(r'<span lang="ru"[^>]*>Большой террор</span>', chapters)


def test_pdf_is_tagged_with_russian_spans(real_book):
    reader = PdfReader(real_book.pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    langs = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/Lang" in node:
                langs.append(str(node["/Lang"]))
            kids = node.get("/K")
            if kids is not None and depth < 60:
                for kid in (kids if isinstance(kids, list) else [kids]):
                    walk(kid, depth + 1)
        elif isinstance(node, list):
            for kid in node:
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    assert langs.count("ru") >= 100 and "ru-Latn" in langs


def test_pdf_metadata_and_bookmarks(real_book):
    reader = PdfReader(real_book.pdf)
    meta = real_book.model.config
    assert reader.metadata.title == (f"{meta.title}: {meta.subtitle}" if meta.subtitle else meta.title)
    assert reader.metadata.author == meta.creator
    assert reader.trailer["/Root"]["/Lang"] == meta.language
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for chapter in real_book.model.chapters:
        assert chapter.title in titles
    assert any(isinstance(item, list) for item in reader.outline), "no section bookmarks"


def test_epub_structure(real_book):
    with zipfile.ZipFile(real_book.epub) as z:
        names = z.namelist()
        opf = z.read(next(n for n in names if n.endswith(".opf"))).decode()
        nav = z.read(next(n for n in names if n.endswith("nav.xhtml"))).decode()
    for chapter in real_book.model.chapters:
        assert any(n.endswith(chapter.file_name) for n in names)
    assert real_book.model.config.identifier in opf
    assert "dcterms:modified" in opf and "<dc:rights>" in opf and "<dc:source>" in opf
    assert 'epub:type="landmarks"' in nav and 'epub:type="toc"' in nav
    assert re.search(r'<item href="images/cover\.png"[^>]*properties="cover-image"', opf)
    assert 'epub:type="cover"' in nav


def test_no_line_runs_into_the_margins(real_book):
    """No overfull lines: every word of every page stays inside the text block
    (rectos have the gutter on the left, versos on the right)."""
    with pdfplumber.open(real_book.pdf) as pdf:
        for index, page in enumerate(pdf.pages):
            inside, outside = 0.85 * INCH, 0.6 * INCH
            left, right = (inside, page.width - outside) if index % 2 == 0 else (outside, page.width - inside)
            for word in page.extract_words():
                assert left - 1.5 <= word["x0"] and word["x1"] <= right + 1.5, (index + 1, word["text"])
