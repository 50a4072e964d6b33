"""Issue 25: citations from data (Pandoc's citeproc, CSL styles) and cross-references that know
their page. Small made-up books, real Pandoc and WeasyPrint."""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import pdfplumber

from bookbuilder.core.pagemap import PageMap
from bookbuilder.markup.crossrefs import page_words
from bookbuilder.run.build import build
from bookbuilder.words import words
from conftest import epubcheck, run_cli
from test_small_books import make_book

REFERENCES = """references:
- id: conquest1990
  type: book
  author: [{family: Conquest, given: Robert}]
  title: "The Great Terror: A Reassessment"
  publisher: Oxford University Press
  publisher-place: New York
  issued: {date-parts: [[1990]]}
- id: getty1999
  type: book
  author: [{family: Getty, given: J. Arch}, {family: Naumov, given: Oleg V.}]
  title: The Road to Terror
  publisher: Yale University Press
  issued: {date-parts: [[1999]]}
- id: lyons1937
  type: book
  author: [{family: Lyons, given: Eugene}]
  title: Assignment in Utopia
  publisher: Harcourt, Brace and Company
  issued: {date-parts: [[1937]]}
"""

TIMELINE = """id: timeline
chapter: chapters/03.md
after: "Paragraph 2 of chapter 3"
title: A timeline of the purge
caption: Events.
source: Made up for the test.
alt: A bar chart.
chart:
  kind: bars
  unit: people
  categories: [A, B]
  series:
    - {name: Count, values: [3, 5]}
"""


def scholar_book(root: Path, chapter_one: str = "", csl: str | None = None, nocite: bool = False) -> Path:
    """Three chapters; a chart (fig-timeline) in chapter 3; references; ``chapter_one`` a
    paragraph put first in chapter 1."""
    book = make_book(root, chapters=3, paragraphs=5)
    (book / "references.yaml").write_text(REFERENCES, encoding="utf-8")
    (book / "figures").mkdir()
    (book / "figures" / "timeline.yaml").write_text(TIMELINE, encoding="utf-8")
    if chapter_one:
        path = book / "chapters" / "01.md"
        title, rest = path.read_text(encoding="utf-8").split("\n\n", 1)
        path.write_text(f"{title}\n\n{chapter_one}\n\n{rest}", encoding="utf-8")
    extra = (f"csl: {csl}\n" if csl else "") + ("nocite: [lyons1937]\n" if nocite else "")
    if extra:
        with (book / "book.yaml").open("a", encoding="utf-8") as f:
            f.write(extra)
    return book


def pdf_pages(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [" ".join((p.extract_text(x_tolerance=1.5) or "").split()) for p in doc.pages]


def epub_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as z:
        return {Path(n).name: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf"))}


# ------------------------------------------------------------------ citations


def test_a_citation_prints_author_date_and_references_lists_it_linked_in_the_epub(tmp_path):
    book = scholar_book(tmp_path, "As the record shows [@conquest1990, 45], and @getty1999 [12] agree, "
                                  "the figures differ [-@conquest1990].", nocite=True)
    (epub,) = build(book, tmp_path / "out", ("epub",), quiet=True)
    files = epub_files(epub)
    chapter = files["ch-01.xhtml"]
    assert "(Conquest 1990, 45)" in chapter and "Getty and Naumov (1999, 12)" in chapter and "(1990)" in chapter
    assert 'href="references.xhtml#references-ref-conquest1990"' in chapter
    assert 'href="references.xhtml#references-ref-getty1999"' in chapter
    refs = files["references.xhtml"]
    assert 'role="doc-bibliography"' in refs and 'epub:type="bibliography"' in refs
    entries = re.findall(r'<p class="csl-entry" id="([^"]+)"', refs)
    # what is cited, and what nocite: names, in the style's order
    assert entries == ["references-ref-conquest1990", "references-ref-getty1999", "references-ref-lyons1937"]
    assert "Conquest, Robert. 1990. <em>The Great Terror: A Reassessment</em>" in refs
    nav = files["nav.xhtml"]
    assert '<a href="references.xhtml">References</a>' in nav
    assert '<a href="references.xhtml" epub:type="bibliography">References</a>' in nav
    code, report = epubcheck(epub)
    assert code == 0, report


def test_a_citation_in_print_and_the_references_division_in_the_contents(tmp_path):
    book = scholar_book(tmp_path, "As the record shows [@conquest1990, 45].")
    (pdf,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    pages = pdf_pages(pdf)
    assert any("As the record shows (Conquest 1990, 45)." in p for p in pages)
    contents = next(p for p in pages if p.startswith("Contents"))
    assert "References" in contents
    listed = next(p for p in pages if p.startswith("References"))
    assert "Conquest, Robert. 1990. The Great Terror: A Reassessment. Oxford University Press." in listed
    assert "Getty" not in listed, "only what is cited (no nocite here)"


def test_references_link_back_to_their_citations_with_pages_in_print(tmp_path):
    """Each entry says where it is cited: in print the pages (joined as the index joins them),
    in the EPUB one link per chapter to the first citation there, each landing on it."""
    book = scholar_book(tmp_path, "As the record shows [@conquest1990, 45]. Again [@conquest1990, 50].")
    path = book / "chapters" / "03.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Paragraph 4 of chapter 3.", "Paragraph 4 of chapter 3 [@conquest1990; @getty1999]."), encoding="utf-8")
    pdf, epub = build(book, tmp_path / "out", ("pdf", "epub"), quiet=True)
    pages = pdf_pages(pdf)
    cited_on = sorted({n for n, p in enumerate(pages) if "(Conquest 1990" in p})
    folios = [re.search(r"(\d+)$", pages[n]).group(1) for n in cited_on]
    listed = next(p for p in pages if p.startswith("References"))
    assert re.search(r"Cited on pp?\. " + re.escape(", ".join(folios)) + r"\.", listed), (folios, listed)

    files = epub_files(epub)
    refs = files["references.xhtml"]
    entry = re.search(r'<p class="csl-entry" id="references-ref-conquest1990".*?</p>', refs, re.S).group(0)
    back = re.findall(r'<a href="([^"#]+)#([^"]+)">([^<]+)</a>', entry)
    assert [(f, label) for f, _, label in back] == [("ch-01.xhtml", "1"), ("ch-03.xhtml", "3")], entry
    assert "Cited in chapters" in entry
    for file, target, _ in back:
        assert f'id="{target}"' in files[file] and "Conquest" in files[file].split(f'id="{target}"')[1][:300]
    code, report = epubcheck(epub)
    assert code == 0, report


def test_a_notes_style_makes_citations_footnotes_at_the_page_foot(tmp_path):
    book = scholar_book(tmp_path, "As the record shows.[@conquest1990, 45]", csl="chicago-notes-bibliography")
    (pdf,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    pages = pdf_pages(pdf)
    page = next(p for p in pages if "As the record shows.1" in p)
    assert "1. Robert Conquest, The Great Terror: A Reassessment (Oxford University Press, 1990), 45." in page
    listed = next(p for p in pages if p.startswith("References"))
    assert "Conquest, Robert. The Great Terror: A Reassessment. Oxford University Press, 1990." in listed


def test_an_unknown_citation_style_is_an_error_naming_book_yaml(tmp_path):
    book = scholar_book(tmp_path, "Text [@conquest1990].", csl="no-such-style")
    result = run_cli("epub", "--book", str(book), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 2
    assert "book.yaml" in result.stderr and "unknown citation style 'no-such-style'" in result.stderr
    assert "chicago-notes-bibliography" in result.stderr


def test_a_bibtex_file_is_read_too(tmp_path):
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    (book / "references.bib").write_text(
        "@book{lyons1937,\n  author = {Lyons, Eugene},\n  title = {Assignment in Utopia},\n"
        "  publisher = {Harcourt, Brace and Company},\n  year = {1937}\n}\n", encoding="utf-8")
    path = book / "chapters" / "01.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nAs @lyons1937 [p. 3] wrote.\n", encoding="utf-8")
    (epub,) = build(book, tmp_path / "out", ("epub",), quiet=True)
    files = epub_files(epub)
    assert "Lyons (1937, 3)" in files["ch-01.xhtml"]
    assert "<em>Assignment in Utopia</em>" in files["references.xhtml"]


# ------------------------------------------------------------------ cross-references


def test_a_reference_to_a_figure_prints_its_true_page(tmp_path):
    """The judged case: a sentence in chapter 1 with @fig-timeline prints "Figure 3.1" and the
    page the figure landed on in the joined PDF (chapter 3 is laid out apart from chapter 1)."""
    book = scholar_book(tmp_path, "The purge came in waves, as @fig-timeline shows; see also @sec-ch-03.")
    (pdf,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    pages = pdf_pages(pdf)
    figure_page = next(p for p in pages if "Figure 3.1 A timeline of the purge" in p)
    folio = figure_page.split()[-1]
    chapter_page = next(p for p in pages if p.startswith("Chapter 3 Chapter Title 3"))
    sentence = next(p for p in pages if "The purge came in waves" in p)
    assert f"as Figure 3.1 (p. {folio}) shows; see also Chapter 3 (p. {chapter_page.split()[-1]})." in sentence


def test_cross_references_are_linked_in_the_epub_with_no_page_words(tmp_path):
    book = scholar_book(tmp_path, "As @fig-timeline shows, and [-@fig-timeline] too; @Sec-more; @sec-ch-03.")
    path = book / "chapters" / "01.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## More {#sec-more}\n\nText.\n", encoding="utf-8")
    (epub,) = build(book, tmp_path / "out", ("epub",), quiet=True)
    chapter = epub_files(epub)["ch-01.xhtml"]
    text = re.sub(r"<[^>]+>", "", chapter)
    assert "As Figure 3.1 shows, and 3.1 too; Section “More”; Chapter 3." in text
    assert '<a class="xref-link" href="ch-03.xhtml#fig-timeline">Figure 3.1</a>' in chapter
    assert '<a class="xref-link" href="#ch-01-sec-more">Section “More”</a>' in chapter
    assert '<a class="xref-link" href="ch-03.xhtml#ch-03">Chapter 3</a>' in chapter
    assert "(p." not in text
    code, report = epubcheck(epub)
    assert code == 0, report


def test_same_page_wording_above_and_below(tmp_path):
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    path = book / "chapters" / "01.md"
    path.write_text("# Short\n\nSee @sec-next for more.\n\n## Next {#sec-next}\n\nText, as @sec-next began.\n",
                    encoding="utf-8")
    (pdf,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    page = next(p for p in pdf_pages(pdf) if "See section" in p)
    assert "See section “Next” below for more." in page
    assert "Text, as section “Next” above began." in page


def test_varioref_wording_from_the_page_map():
    """Page index 0 is a recto: 1|2 is a spread, 2 is overleaf of 1 (its back is 3? no: the
    leaf of recto 2 has verso 3 on its back)."""
    text = words("en")["xref"]
    folios = [str(n) for n in range(1, 11)]

    def where(here: int, there: int, before: bool = False) -> str:
        return page_words(PageMap({"r": here, "t": there}, folios), "r", "t", before, text)

    assert where(4, 4, before=True) == "above" and where(4, 4) == "below"
    assert where(3, 4) == "on the facing page"          # verso 4 (index 3), target on recto 5
    assert where(4, 3) == "on the facing page"          # recto 5, target on the verso beside it
    assert where(4, 5) == "overleaf"                    # recto 5, target on its back
    assert where(5, 4) == "on the preceding page"       # verso 6, target on the front of its leaf
    assert where(2, 7) == "(p. 8)"
    assert page_words(PageMap({}, folios), "r", "t", False, text) == "(p. ??)"


def test_a_packet_names_the_chapter_of_a_target_it_does_not_hold(tmp_path):
    book = scholar_book(tmp_path, "As @fig-timeline shows [@conquest1990, 45].")
    result = run_cli("packet", "--chapters", "1", "--title", "Week 1", "--book", str(book),
                     "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0, result.stderr
    files = epub_files(tmp_path / "out" / "packets" / "week-1.epub")
    text = re.sub(r"<[^>]+>", "", files["ch-01.xhtml"])
    assert "As Figure 3.1 (in chapter 3 of Small Book) shows (Conquest 1990, 45)." in text
    assert "Conquest, Robert" in files["references.xhtml"]
    assert "Getty" not in files["references.xhtml"], "a packet lists what its chapters cite"
    # its web page links the figure it lacks into the whole book's web edition, where it is
    (whole,) = build(book, tmp_path / "out", ("web",), quiet=True)
    page = (tmp_path / "out" / "packets" / "week-1-web" / "ch-01.html").read_text(encoding="utf-8")
    href = re.search(r'<a class="xref-link" href="([^"]+)">Figure 3\.1</a>', page).group(1)
    assert href.startswith("../../small-book-web/ch-03.html#"), href
    target = (tmp_path / "out" / "packets" / "week-1-web" / href.split("#")[0]).resolve()
    assert target == (whole / "ch-03.html").resolve() and f'id="{href.split("#")[1]}"' in target.read_text()


# ------------------------------------------------------------------ unknown keys and ids


def test_unknown_key_and_id_are_warnings_naming_file_and_line_and_the_build_succeeds(tmp_path, caplog):
    book = scholar_book(tmp_path, "See @fig-nowhere and [@nobody2001, 3].")
    with caplog.at_level(logging.WARNING, logger="bookbuilder"):
        (epub,) = build(book, tmp_path / "out", ("epub",), quiet=True)
    chapter_file = book / "chapters" / "01.md"
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(f"{chapter_file}:3: unknown citation key 'nobody2001'") for m in messages), messages
    assert any(m.startswith(f"{chapter_file}:3: cross-reference to an unknown id 'fig-nowhere'") for m in messages)
    text = re.sub(r"<[^>]+>", "", epub_files(epub)["ch-01.xhtml"])
    assert "See ?? and (nobody2001?)." in text
    result = run_cli("check", "--book", str(book))
    assert f"{chapter_file}:3: c-001: citation key 'nobody2001'" in result.stdout
    assert f"{chapter_file}:3: x-001: cross-reference '@fig-nowhere'" in result.stdout


def test_a_book_without_references_still_reads_citations_as_unknown_keys(tmp_path, caplog):
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    path = book / "chapters" / "01.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nAs [@someone2000] said.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bookbuilder"):
        build(book, tmp_path / "out", ("epub",), quiet=True)
    assert any("unknown citation key 'someone2000'" in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------ imported articles


def test_import_drafts_csl_entries_for_the_works_an_article_names(tmp_path):
    from bookbuilder.importer.book_import import import_article
    from bookbuilder.importer.draft_references import read_entries
    from conftest import SEED_RICH

    entries = {e["id"]: e for e in read_entries([
        "Conquest, Robert (1973) [1968]. The Great Terror: Stalin's Purge of the Thirties (Revised ed.). "
        "London: Macmillan. ISBN 978-0-02-527560-7.",
        "—— (1990). The Great Terror: A Reassessment. Oxford: Oxford University Press.",
        "Hoffman, David L., ed. (2003). Stalinism: The Essential Readings. Oxford: Blackwell Publishers.",
        'Watt, Donald Cameron. "Who plotted against whom?" Journal of Soviet Military Studies 3.1 (1990): 46–65.',
        "Horvat 2010, p. 11.",
        "Fort Sable National Historic Site",
    ])}
    assert set(entries) == {"conquest1973", "conquest1990", "hoffman2003", "watt1990"}
    conquest = entries["conquest1973"]
    assert conquest["author"] == [{"family": "Conquest", "given": "Robert"}] and conquest["edition"] == "Revised"
    assert (conquest["publisher"], conquest["publisher-place"], conquest["original-date"]) == (
        "Macmillan", "London", {"date-parts": [[1968]]})
    assert entries["conquest1990"]["author"] == conquest["author"], "—— repeats the author before"
    assert entries["hoffman2003"]["editor"] == [{"family": "Hoffman", "given": "David L."}]
    assert entries["watt1990"]["type"] == "article-journal" and entries["watt1990"]["page"] == "46–65"
    assert all(e["drafted"] is True for e in entries.values())

    book = tmp_path / "book"
    import_article(SEED_RICH, book, force=False, infobox_from=None, warn=lambda *_: None)
    text = (book / "references.yaml").read_text(encoding="utf-8")
    assert text.startswith("# DRAFTED by `bookbuilder import`")
    from bookbuilder.core.config import load_config
    from bookbuilder.source.citations import reference_keys
    keys = reference_keys(load_config(book))
    assert {"conquest1973", "snyder2010", "wheatcroft1996"} <= set(keys) and len(keys) >= 20


def test_facing_overleaf_and_preceding_page_wording_in_print(tmp_path):
    """One chapter over three pages (a recto, the verso overleaf, the recto facing it): each
    reference says where its section is, and the sections stand where it says."""
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    filler = lambda n: " ".join(["Lorem ipsum dolor sit amet, consectetur adipiscing elit."] * n)  # noqa: E731
    (book / "chapters" / "01.md").write_text(
        f"# Pages\n\n## Start {{#sec-start}}\n\n{filler(8)}\n\nThe middle is @sec-mid.\n\n{filler(20)}\n\n"
        f"## Mid {{#sec-mid}}\n\n{filler(30)}\n\nBack to @sec-start, and on to @sec-end.\n\n{filler(25)}\n\n"
        f"## End {{#sec-end}}\n\n{filler(6)}\n", encoding="utf-8")
    (pdf,) = build(book, tmp_path / "out", ("pdf",), quiet=True)
    pages = pdf_pages(pdf)

    def page_of(words: str) -> int:
        return next(i for i, p in enumerate(pages) if words in p)

    start, mid, end = page_of("Start Lorem"), page_of("Mid Lorem"), page_of("End Lorem")
    assert start % 2 == 0 and mid == start + 1 and end == mid + 1, (start, mid, end)
    assert page_of("The middle is section “Mid” overleaf.") == start
    assert page_of("Back to section “Start” on the preceding page, and on to section “End” on the facing page.") == mid
