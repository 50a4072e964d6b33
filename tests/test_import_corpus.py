"""The importer on the whole family of plain-text dumps: residue cleaning in units, a
corpus of made-up articles built into small books (no residue reaches the PDF or EPUB
text), and a fuzzer that feeds it article-shaped garbage."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbuilder.importer import residue
from bookbuilder.errors import ArticleImportError, BookError
from bookbuilder.importer.article import parse_article
from bookbuilder.importer.book_import import import_article
from conftest import ROOT, build_into, epubcheck

CORPUS = ROOT / "tests" / "corpus" / "articles"

# What a reader must never see: the dump's residue.
RESIDUE = {
    "citation marker": re.compile(r"\S\[(\d{1,3}|citation needed|[a-z])\]"),
    "underscore italics": re.compile(r"(?<!\w)_\w[^_]*_(?!\w)"),
    "empty parentheses": re.compile(r"\(\s*[;,]?\s*\)"),
    "stripped-text separators": re.compile(r"\(\s*[;,]"),
    "template residue": re.compile(r"\{\{|\}\}|\[\[|\]\]|\bthumb\||^\s*\|\s*\w+\s*="),
}


# ------------------------------------------------------------------ units

@pytest.mark.parametrize("dirty,clean", [
    ("Fort Sable (French: ; ) was a fort.", "Fort Sable was a fort."),
    ("built 1712 (; ; , ; locally the Old Cut) and", "built 1712 (locally the Old Cut) and"),
    ("the Yezhovshchina (ежовщина /ru/, ), was", "the Yezhovshchina (ежовщина), was"),
    ("closed in 1931 () and", "closed in 1931 and"),
    ("Stalin (; ; , ; the leader", "Stalin the leader"),
    # real punctuation stays
    ("(born 1900; died 1950), a (1936–1938) purge; then (see below, at 10:30)",
     "(born 1900; died 1950), a (1936–1938) purge; then (see below, at 10:30)"),
    ("(Russian: Большой террор, romanized: Bol'shoy terror)", "(Russian: Большой террор, romanized: Bol'shoy terror)"),
    ("(Russian: , romanized: Bol'shoy terror)", "(romanized: Bol'shoy terror)"),
])
def test_stripped_text_parentheses(dirty, clean):
    assert residue.clean_parentheses(dirty) == clean


def test_citation_markers_keep_editorial_brackets_and_years():
    cites = residue.Citations({"2": "Jones 1999."})
    pieces = cites.split('He said "[T]he party [and] the state".[1][2] Conquest (1973) [1968].[citation needed]')
    text = "".join(p for kind, p in pieces if kind == "text")
    assert text == 'He said "[T]he party [and] the state". Conquest (1973) [1968].'
    assert ("note", "2") in pieces
    assert cites.removed_count == 2


@pytest.mark.parametrize("dirty,clean,notes,removed", [
    # after a space, behind the end of a clause or a closing quote: a marker like an attached one
    ('They were shot without trial." [42] Others were sent to camps.',
     'They were shot without trial." Others were sent to camps.', [], {"42": 1}),
    ('without trial." [2] Others.', 'without trial."\x00 Others.', ["2"], {}),
    ("In 1938. [3] [4] Then", "In 1938. Then", [], {"3": 1, "4": 1}),
    ("the census [5].", "the census.", [], {"5": 1}),           # a marker closing its clause
    ("the census [5][6], and", "the census, and", [], {"5": 1, "6": 1}),
    ("the census.  [citation needed] Then", "the census. Then", [], {"citation needed": 1}),
    ("a claim [note 3] here", "a claim here", [], {"note 3": 1}),
    # an editor's brackets stay: [sic], ellipses, years, words, letters, numbers mid-sentence
    ('"He was [sic] shot [...] in [1937]," she wrote.', '"He was [sic] shot [...] in [1937]," she wrote.', [], {}),
    ('"The party […] and [the] state"', '"The party […] and [the] state"', [], {}),
    ('"he was [a] traitor"', '"he was [a] traitor"', [], {}),
    ("under Article [58] of the code", "under Article [58] of the code", [], {}),
    # inside a quotation a bracket is the editor's, even at the end of a clause
    ("\u201cthe order of [1937], signed.\u201d", "\u201cthe order of [1937], signed.\u201d", [], {}),
    ('"under Article [58]."', '"under Article [58]."', [], {}),
    ("\u201cunder Article [58], they\u201d", "\u201cunder Article [58], they\u201d", [], {}),
])
def test_citation_markers_after_a_space(dirty, clean, notes, removed):
    """A marker after a space ("trial.\" [42]") goes as an attached one does, with the space
    before it: a note when the reference list has it, else removed and counted. Bracketed
    text an editor put there stays."""
    cites = residue.Citations({"2": "Jones 1999."})
    pieces = cites.split(dirty)
    text = "".join(p if kind == "text" else "\x00" for kind, p in pieces)
    assert text == clean
    assert [p for kind, p in pieces if kind == "note"] == notes
    assert dict(cites.removed) == removed


def test_spaced_markers_become_notes_or_are_counted_in_an_import(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "= GREAT EXAMPLE =\n\nThe Great Example was a purge.[1] Many were shot without trial.\" [2] "
        "Others \u201cwere [sic] sent to camps in [1937]\u201d. [7]\n\n"
        "==History==\nThe history is long and has many parts, told here at some length. [1] Then more.\n\n"
        "==References==\n1. ^ Conquest 1990, p. 5.\n2. ^ Getty 1993, p. 7.\n", encoding="utf-8")
    import_article(article, tmp_path / "book", force=False, warn=lambda *a: None)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "book" / "chapters").glob("*.md")))
    assert "trial.\"[^ref-2] Others" in text and "length.[^ref-1] Then" in text, text
    assert "[^ref-2]: Getty 1993, p. 7." in text
    assert "\\[sic\\]" in text and "\\[1937\\]" in text and "\\[7\\]" not in text and "[7]" not in text
    notes = yaml.safe_load((tmp_path / "book" / "book.yaml").read_text(encoding="utf-8"))["notes"]
    assert any(n.startswith("Removed 1 citation marker(s) ([7]") for n in notes), notes


def test_italics_and_title_case():
    assert residue.split_italics("the _Great Terror_ of snake_case and _x_") == [
        (False, "the "), (True, "Great Terror"), (False, " of snake_case and "), (True, "x")]
    evidence = "Later the Great Purge ended. The NKVD and the Great Purge."
    assert residue.restore_lead_case("The GREAT PURGE (NKVD, UNESCO) or GREAT TERROR was", evidence) == \
        "The Great Purge (NKVD, UNESCO) or Great Terror was"
    assert residue.restore_lead_case("PHOTOSYNTHESIS is a process.", "Later photosynthesis.") == \
        "Photosynthesis is a process."
    assert residue.normalise_title("MIRA KOVAC", "Mira Kovac was born") == "Mira Kovac"
    assert residue.wikipedia_url("great purge of 1937") == "https://en.wikipedia.org/wiki/Great_purge_of_1937"
    assert residue.wikipedia_url("Ba'ath Party (Iraq)") == "https://en.wikipedia.org/wiki/Ba'ath_Party_(Iraq)"


def test_template_residue_is_dropped_with_the_line_named():
    warnings = []
    article = parse_article("Lead text.[1]\n{{Infobox x\n| name = X\n}}\nthumb|A caption]]\n\n== A ==\nBody {{cite|y}} text.\n",
                            Path("t.txt"), lambda line, msg: warnings.append(line))
    assert warnings == [2, 3, 4, 5, 8]
    assert article.sections[0].blocks[0].lines == ["Body  text."]


# ------------------------------------------------------------------ the corpus, built

@pytest.fixture(scope="module")
def corpus_books(tmp_path_factory):
    """Each made-up article imported and built (PDF and EPUB), once for this module."""
    books = {}
    for article in sorted(CORPUS.glob("*.txt")):
        root = tmp_path_factory.mktemp(article.stem)
        warnings = []
        import_article(article, root / "book", warn=lambda line, msg: warnings.append((line, msg)))
        built = build_into(root / "book", root / "out")
        with zipfile.ZipFile(built.epub) as z:
            epub_text = "\n".join(re.sub(r"<[^>]+>", " ", z.read(n).decode("utf-8")).replace("\u00a0", " ")
                                  for n in z.namelist() if n.endswith(".xhtml"))
        books[article.stem] = (built, epub_text, warnings)
    return books


def test_no_residue_reaches_the_pdf_or_the_epub(corpus_books):
    assert len(corpus_books) >= 3
    for name, (built, epub_text, _) in corpus_books.items():
        pdf_text = "\n".join(built.pages)
        for kind, pattern in RESIDUE.items():
            for where, text in (("PDF", pdf_text), ("EPUB", epub_text)):
                found = pattern.search(text)
                assert not found, f"{name}: {kind} in the {where}: {text[found.start() - 40:found.end() + 40]!r}"
        assert "See also" not in pdf_text and "External links" not in epub_text
        assert not re.search(r"\b(OTTERBURN|KOVAC)\b", pdf_text + epub_text), name


def test_titles_urls_and_notes_of_the_corpus(corpus_books):
    meta = {name: yaml.safe_load((b.book_dir / "book.yaml").read_text(encoding="utf-8"))
            for name, (b, _, _) in corpus_books.items()}
    assert meta["otterburn-canal"]["title"] == "Otterburn Canal"
    assert meta["otterburn-canal"]["source_url"] == "https://en.wikipedia.org/wiki/Otterburn_Canal"
    assert meta["mira-kovac"]["title"] == "Mira Kovac"
    assert any("Removed 18 citation marker(s)" in n for n in meta["otterburn-canal"]["notes"])
    # with a reference list the markers become the book's notes
    kovac, kovac_epub, _ = corpus_books["mira-kovac"]
    assert any("12 citation(s) became notes" in n for n in meta["mira-kovac"]["notes"])
    assert "Stipčević 1986" in kovac_epub and "Horvat 2010, p. 11." in kovac_epub
    assert any(note.kind == "footnote" for d in kovac.model.chapters for note in d.notes)
    # emphasis and numbered lists survive as structure
    otter = corpus_books["otterburn-canal"][0]
    body = "".join(html_of(d) for d in otter.model.chapters)
    assert re.search(r"<em>(<span [^>]*>)?Otterburn Navigation Company(</span>)?</em>", body)   # indexed as a title
    assert re.search(r"<ol[^>]*>\s*<li>Cutting the summit", body)


def test_fort_sable_warns_about_each_residue_line(corpus_books):
    _, _, warnings = corpus_books["fort-sable"]
    lines = [line for line, msg in warnings if "residue" in msg]
    assert lines == [2, 3, 4, 5, 9, 20]
    assert any("heading with no text" in msg for _, msg in warnings)


def test_a_corpus_book_passes_epubcheck(corpus_books):
    code, report = epubcheck(corpus_books["mira-kovac"][0].epub)
    assert code == 0, report


def html_of(division) -> str:
    from lxml import html
    return html.tostring(division.body, encoding="unicode")


# ------------------------------------------------------------------ fuzzing

_words = st.sampled_from(["canal", "Purge", "NKVD", "Большой", "террор", "_italic_", "[12]", "()", "(; ;",
                          "{{cite}}", "]]", "[[File:x|y]]", "1.", "-", ":", "*", "#", "<b>", "\\", "`", "$",
                          "\x00", "\x07", "\x1b", "\u200b", "\ufeff", "é", "ё", "«", "»", "—", "{", "}"])
_text = st.lists(_words, max_size=25).map(" ".join)
_heading = st.builds(lambda n, t: f"{'=' * n}{t}{'=' * n}", st.integers(1, 7), _text)
_huge = st.builds(lambda w, n: (w + " ") * n, _words, st.integers(1000, 60_000))
_line = st.one_of(_text, _heading, st.just(""), st.builds(lambda t: "- " + t, _text),
                  st.builds(lambda t: "1.  " + t, _text), _huge, st.text(max_size=80))
_article = st.lists(_line, max_size=40).map("\n".join)


def _one_line(exc: BookError) -> str:
    message = str(exc)
    assert "\n" not in message and message.startswith(str(exc.file)), message
    return message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=_article)
def test_fuzzed_articles_import_or_refuse_in_one_line(tmp_path, text):
    source = tmp_path / "article.txt"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        import_article(source, tmp_path / "book", force=True, warn=lambda *a: None)
    except ArticleImportError as exc:
        _one_line(exc)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(_text, _heading, st.builds(lambda t: "- " + t, _text)), min_size=3, max_size=12)
       .map(lambda lines: "Lead line about canals.\n" + "\n".join(lines)))
def test_fuzzed_imports_are_manuscripts_pandoc_reads(tmp_path, text):
    """What the importer writes is a manuscript the build reads without an internal error."""
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.source.manuscript import read_book

    source = tmp_path / "article.txt"
    source.write_text(text, encoding="utf-8")
    try:
        import_article(source, tmp_path / "book", force=True, warn=lambda *a: None)
    except ArticleImportError as exc:
        _one_line(exc)
        return
    try:
        enrich(read_book(tmp_path / "book"))
    except BookError as exc:
        _one_line(exc)


# ------------------------------------------------------------------ check: what the import could not decide

def test_check_reports_undecided_headings_and_quotations(tmp_path):
    from bookbuilder.check.findings import CODES
    from bookbuilder.check.lint import check_book
    from test_small_books import make_book

    book = make_book(tmp_path, chapters=1)
    long_sentence = "The canal shall be dug with care and finished by Michaelmas, " * 3 + "as was promised."
    (book / "chapters" / "01.md").write_text(
        "# Chapter\n\nThe engineer wrote:\n\n" + long_sentence + "\n\n"
        "## 1. Cutting the summit level\n\nText.\n\n"
        "## A heading that ends like a sentence.\n\nText.\n\n"
        "“" + "Quoted words from end to end of the paragraph, " * 2 + "all of them.”\n", encoding="utf-8")
    found = [(f.line, f.code) for f in check_book(book) if f.code in ("m-003", "m-004")]
    assert found == [(5, "m-004"), (7, "m-003"), (11, "m-003"), (15, "m-004")]
    assert CODES["m-003"][0] == CODES["m-004"][0] == "warning"


def test_a_caption_remnant_inside_a_paragraph_keeps_the_paragraph():
    warnings = []
    prose = ("The canal was built between 1790 and 1802 and carried coal for a century before the "
             "railway came to the valley and took its trade. thumb|upright|The canal in 1905]] It closed in 1931.")
    article = parse_article("Lead.\n\n== History ==\n" + prose + "\n", Path("t.txt"),
                            lambda line, msg: warnings.append(line))
    assert article.sections[0].blocks[0].lines == [
        "The canal was built between 1790 and 1802 and carried coal for a century before the "
        "railway came to the valley and took its trade. It closed in 1931."]
    assert warnings == [4]
