"""The print edition's page numbers in the EPUB: page-break markers where each PDF page
begins, a page-list in the nav document, pageBreakSource naming the edition."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter

import pdfplumber
import pytest
from lxml import etree

from bookbuilder import cache
from bookbuilder import ids
from bookbuilder.core.pagelist import PageMarker, letters
from bookbuilder.markup.page_markers import insert_markers

XHTML = "http://www.w3.org/1999/xhtml"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
EPUB_ONLY = {"noteref", "notes", "figure-data", "pagebreak"}


# ------------------------------------------------------------------ placing markers (unit)

def doc(body: str):
    return etree.fromstring(f'<html xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
                            f'{body}</body></html>')


def marker(m: PageMarker):
    return etree.Element(f"{{{XHTML}}}span", {"id": m.id, OPS_TYPE: "pagebreak"})


def placed(body: str, *markers: PageMarker) -> str:
    root = doc(body)
    assert insert_markers(root, markers, marker) == len(markers)
    inner = etree.tostring(root[0], encoding="unicode")
    inner = re.sub(r' xmlns(:\w+)?="[^"]+"', "", inner)
    return re.sub(r"</?body>", "", inner)


def test_marker_goes_before_the_pages_first_word_counting_letters_only():
    body = '<p id="p">One, two  three —four</p>'
    assert placed(body, PageMarker("d", "p", 6, "5")) == \
        '<p id="p">One, two  <span id="page-5" epub:type="pagebreak"/>three —four</p>'
    # after a dash a line may break: the page begins there, not at the word's start
    assert 'three —<span id="page-5"' in placed(body, PageMarker("d", "p", 11, "5"))


def test_a_word_hyphenated_across_pages_keeps_its_marker_before_it():
    # the print page begins at "stantin" (Kon-stantin): the marker stands before the word
    assert placed('<p id="p">Admiral Konstantin Dushenov</p>', PageMarker("d", "p", 10, "26")) == \
        '<p id="p">Admiral <span id="page-26" epub:type="pagebreak"/>Konstantin Dushenov</p>'


def test_marker_steps_out_of_a_link_it_would_open_and_skips_epub_only_text():
    body = ('<p id="p">Seen<a class="noteref" href="#n">12</a> by <span id="ix"><a href="#g">Gulag</a>'
            ' camps</span></p>')
    out = placed(body, PageMarker("d", "p", 6, "9"))          # "Seen" "by" = 6 letters; note number skipped
    assert out.startswith('<p id="p">Seen<a class="noteref" href="#n">12</a> by <span id="page-9" epub:type="pagebreak"/>'
                          '<span id="ix"><a href="#g">Gulag</a>')


def test_blank_pages_share_the_next_pages_place_in_page_order_and_lists_take_their_first_item():
    body = '<section id="s"><ul id="u"><li>first item</li></ul></section>'
    out = placed(body, PageMarker("d", "u", 0, "12"), PageMarker("d", "u", 0, "13"))
    assert '<li><span id="page-12" epub:type="pagebreak"/><span id="page-13" epub:type="pagebreak"/>first item' in out
    out = placed(body, PageMarker("d", "s", 0, "12"))          # a section may hold the marker itself
    assert out.startswith('<section id="s"><span id="page-12" epub:type="pagebreak"/><ul')
    out = placed('<p id="p">alpha beta</p>', PageMarker("d", "p", 5, "12"), PageMarker("d", "p", 5, "13"))
    assert 'alpha <span id="page-12" epub:type="pagebreak"/><span id="page-13" epub:type="pagebreak"/>beta' in out


def test_an_offset_past_the_text_goes_after_the_last_word():
    out = placed('<section id="s"><p>end of text</p><section class="notes"><p>note</p></section></section>',
                 PageMarker("d", "s", 10 ** 9, "40"))
    assert '<p>end of text<span id="page-40" epub:type="pagebreak"/></p>' in out


def test_letters_ignore_spaces_punctuation_and_hyphens():
    assert letters("Kon\u2010 stantin, 1937!") == letters("Konstantin1937")


# ------------------------------------------------------------------ the real book

def page_list_entries(epub) -> list[tuple[str, str]]:
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    lists = [n for n in nav.iter(f"{{{XHTML}}}nav") if n.get(OPS_TYPE) == "page-list"]
    assert len(lists) == 1
    assert lists[0].get("role") == "doc-pagelist"
    return [(a.text, a.get("href")) for a in lists[0].iter(f"{{{XHTML}}}a")]


def text_after(root, target) -> str:
    """The EPUB's text after ``target`` in reading order, without text only the EPUB has."""
    texts, seen = [], False

    def walk(el):
        nonlocal seen
        kinds = set((el.get("class") or "").split()) | set((el.get(OPS_TYPE) or "").split())
        if el is target:
            seen = True
        elif not kinds & EPUB_ONLY:
            if seen and el.text:
                texts.append(el.text)
            for child in el:
                walk(child)
        if seen and el.tail:
            texts.append(el.tail)
        if seen and el.tag in BLOCKS:
            texts.append(" ")

    walk(root.find(f"{{{XHTML}}}body"))
    return "".join(texts)


BLOCKS = {f"{{{XHTML}}}{t}" for t in ("p", "h1", "h2", "h3", "li", "dt", "dd", "td", "th", "figcaption", "header")}


def alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).split()


def pdf_first_words(page) -> list[str]:
    """The words a printed page begins with: its body text in drawing order, without the
    running head, the folio, or the small figures of note calls."""
    sizes = Counter(round(c["size"]) for c in page.chars)
    body_size = sizes.most_common(1)[0][0] if sizes else 0
    page = page.filter(lambda o: o.get("object_type") != "char" or o["size"] >= 0.8 * body_size)
    top, bottom = 0.65 * 72, page.height - 0.65 * 72
    return words(" ".join(w["text"] for w in page.extract_words(x_tolerance=1.5, use_text_flow=True)
                          if top < w["top"] < bottom))


@pytest.fixture(scope="module")
def pdf_pages(real_book):
    with pdfplumber.open(real_book.pdf) as pdf:
        return [pdf_first_words(p) for p in pdf.pages]


def first_arabic_page(real_book) -> int:
    """Index of the PDF page numbered 1: where the first chapter begins."""
    return next(i for i, text in enumerate(real_book.pages) if text.startswith("Chapter 1"))


def test_one_page_list_entry_per_numbered_page_from_the_first_chapter_to_the_index(real_book):
    entries = page_list_entries(real_book.epub)
    labels = [label for label, _ in entries]
    assert len(labels) == len(set(labels))
    start = first_arabic_page(real_book)
    numbered = [str(n) for n in range(1, len(real_book.pages) - start + 1)]
    assert [label for label in labels if label.isdigit()] == numbered
    assert "Index" in real_book.pages[-1] or "Index" in real_book.pages[-2]
    # every roman page in the list belongs to front matter the EPUB has
    assert all(re.fullmatch(r"[ivxlc]+", label) for label in labels if not label.isdigit())
    for label, href in entries:
        assert href.endswith("#" + ids.page_marker(label))


def test_markers_are_labelled_page_breaks(real_book):
    count = 0
    with zipfile.ZipFile(real_book.epub) as z:
        for name in z.namelist():
            if not name.endswith(".xhtml"):
                continue
            for el in etree.fromstring(z.read(name)).iter(f"{{{XHTML}}}span"):
                if el.get(OPS_TYPE) == "pagebreak":
                    label = el.get("aria-label")
                    assert el.get("role") == "doc-pagebreak" and el.get("title") == label
                    assert el.get("id") == ids.page_marker(label) and not el.text and len(el) == 0
                    count += 1
        opf = z.read("EPUB/content.opf").decode()
    assert count == len(page_list_entries(real_book.epub))
    source = re.search(r'<meta property="pageBreakSource">([^<]+)</meta>', opf).group(1)
    assert real_book.model.config.title in source and "print edition" in source
    assert "pageBreakMarkers" in opf and "pageNavigation" in opf


def test_each_marker_stands_where_its_pdf_page_begins(real_book, pdf_pages):
    """The first words after each marker are the first words of that PDF page, for every
    numbered page with words of its own (the first word may be the whole of a word the
    page begins inside: a marker never splits a word). In the index only the headword is
    compared: its locators are page numbers in print and section links in the EPUB."""
    start = first_arabic_page(real_book)
    index_start = next(i for i, text in enumerate(real_book.pages) if i > start and text.startswith("Index"))
    docs = {}
    compared = []
    with zipfile.ZipFile(real_book.epub) as z:
        for label, href in page_list_entries(real_book.epub):
            if not label.isdigit():
                continue
            page = start + int(label) - 1
            printed = pdf_pages[page]
            if not printed:
                continue                          # a blank verso: it shares the next page's marker
            name, fragment = href.split("#")
            if name not in docs:
                docs[name] = etree.fromstring(z.read(f"EPUB/{name}"))
            root = docs[name]
            target = next(el for el in root.iter() if el.get("id") == fragment)
            after = words(text_after(root, target))
            # compared letter by letter: spacing and punctuation around removed note calls differ
            printed_letters = alnum(" ".join(printed[:1 if page >= index_start else 3]))
            at = alnum(" ".join(after[:6])).find(printed_letters)
            assert 0 <= at < max(1, len(alnum(after[0]))), (label, printed[:6], after[:6])
            compared.append(label)
    assert len(compared) >= 20, compared


def test_an_epub_only_build_lays_out_once_and_then_reuses_the_cached_pages(real_book, tmp_path, monkeypatch):
    """With a cold cache the EPUB alone lays the book out, and comes out byte for byte as the
    EPUB built beside the PDF; a second build reads the cache and lays nothing out."""
    from bookbuilder.layout import parts
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.run.build import write_format
    from bookbuilder.source.manuscript import read_book

    cache.set_root(tmp_path / "cache")
    try:
        (cold,) = write_format(enrich(read_book(real_book.book_dir)), "epub", tmp_path / "cold")
        assert cold.read_bytes() == real_book.epub.read_bytes()
        assert list((tmp_path / "cache" / "pages").glob("*.json"))

        def no_layout(*args, **kwargs):
            raise AssertionError("laid out again although the text did not change")
        monkeypatch.setattr(parts, "lay_out_book", no_layout)
        (warm,) = write_format(enrich(read_book(real_book.book_dir)), "epub", tmp_path / "warm")
        assert warm.read_bytes() == cold.read_bytes()
    finally:
        cache.set_root(None)
