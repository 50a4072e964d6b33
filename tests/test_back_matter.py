"""Issue 'The back of the book and the figures': index, footnotes, figures."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from bookbuilder import cache
from bookbuilder.run.build import build
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.passes.matching import form_pattern
from bookbuilder.core.pagemap import PageMap
from bookbuilder.layout.reference import body_pages, final_layout
from conftest import ROOT, squash
from test_end_to_end import folio_map
from test_small_books import make_book

INCH = 72


def loose(forms) -> re.Pattern:
    """A form at a word start; page text may glue a footnote call to its end ("dvoiki2")."""
    return re.compile("|".join(rf"(?<![\w-]){form_pattern(f)}" for f in forms))


def expand(label: str) -> list[int]:
    label = label.rstrip("n")
    if "–" not in label:
        return [int(label)]
    a, b = label.split("–")
    b = a[: len(a) - len(b)] + b
    return list(range(int(a), int(b) + 1))


# ------------------------------------------------------------------ index

def index_text(pdf_path: Path, pages: list[str]) -> str:
    """The index's text, column by column, without running heads and folios."""
    start = next(i for i, p in enumerate(pages) if p.startswith("Index\n"))
    parts = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[start:]:
            body = page.crop((0, 0.72 * INCH, page.width, page.height - 0.78 * INCH))
            words = body.extract_words()
            if not words:
                continue
            middle = (min(w["x0"] for w in words) + max(w["x1"] for w in words)) / 2
            for x0, x1 in ((0, middle), (middle, page.width)):
                column = body.crop((x0, body.bbox[1], x1, body.bbox[3]))
                parts.append(column.extract_text(x_tolerance=1.5) or "")
    return squash("\n".join(parts))


def test_index_has_200_curated_headwords(real_book):
    import yaml
    data = yaml.safe_load((ROOT / "book" / "index.yaml").read_text(encoding="utf-8"))
    assert len(data) >= 200
    assert sum(1 for e in data if e.get("see")) >= 10
    assert sum(1 for e in data if e.get("sub")) >= 10
    assert len(real_book.model.index) >= 200


def test_index_locators_point_at_pages_where_the_term_occurs(real_book):
    text = index_text(real_book.pdf, real_book.pages)
    folios = folio_map(real_book.pages)
    items = [(e.headword, e.match) for e in real_book.model.index if e.occurrences and not e.see]
    random.Random(7).shuffle(items)
    checked, entries = 0, 0
    for headword, forms in items:
        m = re.search(re.escape(headword) + r", ((?:\d+(?:–\d+)?n?)(?:, \d+(?:–\d+)?n?)*)", text)
        assert m, headword
        pattern = loose(forms)
        for label in m.group(1).split(", "):
            for folio in expand(label):
                page = squash(real_book.pages[folios[str(folio)]])
                assert pattern.search(page), (headword, folio)
                checked += 1
        entries += 1
        if checked >= 60 and entries >= 25:
            break
    assert checked >= 40


def test_index_sub_entries_and_cross_references_print(real_book):
    text = index_text(real_book.pdf, real_book.pages)
    assert re.search(r"Moscow trials, [\d, –]+.*?first \(1936\), \d+", text)
    assert re.search(r"Great Terror\. See Great Purge", text)
    assert "See also" in text
    for letter in "ABKMSY":
        assert re.search(rf"(?:^| ){letter} ", text), letter


def test_body_does_not_move_between_the_two_layouts(real_book):
    from bookbuilder.layout.engine import page_map_of
    from bookbuilder.layout.reference import draft_pages, layout
    book = enrich(read_book(real_book.book_dir))
    # first: the draft, without the generated back matter; second: the printed layout
    first, known = draft_pages(book)
    document = layout(book, first, frozenset(known.notes))
    second = page_map_of(book, document)
    assert body_pages(book, first) == body_pages(book, second)
    glossary_first = first.page_of["glossary"]
    assert glossary_first == second.page_of["glossary"]          # pages of the body: same count
    assert len(document.pages) == len(real_book.pages)
    from bookbuilder.layout.note_repairs import misplaced_notes
    assert misplaced_notes(book, second) == []                   # every note on its call's page


def test_epub_index_links_each_locator_by_section(real_book):
    with zipfile.ZipFile(real_book.epub) as z:
        index = z.read("EPUB/index.xhtml").decode()
        assert 'epub:type="index"' in index
        targets = re.findall(r'href="([a-z0-9-]+\.xhtml)#([a-z0-9-]+-ix-\d+)"', index)
        assert len(targets) >= 300
        for file_name, mark in targets[:80]:
            assert mark.startswith(file_name.removesuffix(".xhtml") + "-ix-")
            assert f'id="{mark}"' in z.read(f"EPUB/{file_name}").decode()
    assert "Moscow trials: First and second Moscow trials" in index or "3. Moscow trials" in index


# ------------------------------------------------------------------ footnotes

LONG_NOTE = " ".join(f"Long note sentence {i} goes on and on to fill the footnote area." for i in range(60))


def footnote_book(tmp_path: Path) -> Path:
    """Paragraphs of varied length, each with notes, so that some calls fall near page ends;
    three notes in one paragraph; one note far too long for a page."""
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    rng = random.Random(3)
    paragraphs, notes = [], []
    n = 0
    for p in range(28):
        words = " ".join(rng.choice(["purge", "trial", "archive", "commission", "record"]) for _ in range(rng.randint(30, 110)))
        calls = 3 if p == 4 else 1
        text = words
        for _ in range(calls):
            n += 1
            text += f" cw{n}z[^n{n}] {words[:60]}"    # short: never hyphenated
            body = LONG_NOTE + " LONGNOTEEND" if n == 12 else f"Notetext{n} explains the point in a sentence or two."
            notes.append(f"[^n{n}]: {body}")
        paragraphs.append(text + ".")
    chapter = "# Footnoted Chapter\n\n" + "\n\n".join(paragraphs) + "\n\n" + "\n\n".join(notes) + "\n"
    (book / "chapters" / "01.md").write_text(chapter, encoding="utf-8")
    return book


@pytest.fixture(scope="module")
def footnoted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("footnotes")
    (pdf,) = build(footnote_book(tmp), tmp / "out", ("pdf",), quiet=True)
    with pdfplumber.open(pdf) as doc:
        pages = [(p.extract_text(x_tolerance=1.5) or "", p.extract_words(x_tolerance=1.5), p.height)
                 for p in doc.pages]
    return pages


def test_every_note_is_on_the_page_of_its_call(footnoted):
    seen = 0
    for n in range(1, 31):
        call_pages = [i for i, (text, *_) in enumerate(footnoted) if re.search(rf"cw{n}z", text)]
        if not call_pages:
            continue
        text = footnoted[call_pages[0]][0]
        if n == 12:
            assert "printed in full at the end of the chapter" in text
        else:
            assert f"Notetext{n}" in text, (n, call_pages)
        seen += 1
    assert seen == 30


def test_layout_check_finds_every_note_on_its_call_page(tmp_path):
    from bookbuilder.layout.note_repairs import misplaced_notes
    book = enrich(read_book(footnote_book(tmp_path)))
    _, _, page_map = final_layout(book)
    assert misplaced_notes(book, page_map) == []
    notes = book.chapters[0].notes
    assert len(notes) == 30 and all(f"{n.id}-call" in page_map.page_of for n in notes)


def test_notes_sit_below_the_text_at_the_foot_of_the_page(footnoted):
    pages_with_many = 0
    for text, words, height in footnoted:
        note_words = [w for w in words if w["text"].startswith("Notetext")]
        if not note_words:
            continue
        body_words = [w for w in words if re.match(r"cw\d+z", w["text"]) or w["text"] in ("purge", "trial")]
        lowest_note = max(w["bottom"] for w in note_words)
        assert lowest_note > 0.75 * height                           # in the bottom quarter
        assert min(w["top"] for w in note_words) > max(w["bottom"] for w in body_words)
        if len(note_words) >= 3:
            pages_with_many += 1
    assert pages_with_many >= 1


def test_long_note_is_continued_not_lost(footnoted):
    texts = [t for t, *_ in footnoted]
    stub = next(t for t in texts if "printed in full at the end of the chapter, page" in t)
    page = int(re.search(r"end of the chapter, page (\d+)", squash(stub)).group(1))
    folios = folio_map(texts)
    assert "LONGNOTEEND" in squash(" ".join(texts[folios[str(page)]:]))
    assert "Long note sentence 0" in squash(texts[folios[str(page)]])


def test_real_book_notes_at_foot_of_page(real_book):
    with pdfplumber.open(real_book.pdf) as pdf:
        checked = 0
        for chapter in real_book.model.chapters:
            for note in chapter.notes:
                if note.kind != "source":
                    continue
                marker = note.content.text_content().split()[:3]
                for page in pdf.pages:
                    text = squash(page.extract_text(x_tolerance=1.5) or "")
                    if f"{note.number}. {' '.join(marker)}" in text:
                        words = page.extract_words()
                        first = next(i for i, w in enumerate(words) if w["text"] == marker[0]
                                     and words[i - 1]["text"] == f"{note.number}.")
                        assert words[first]["top"] > 0.6 * page.height
                        assert max(w["bottom"] for w in words if w["bottom"] < page.height - 0.7 * INCH) \
                            > 0.75 * page.height
                        checked += 1
                        break
        assert checked == len(real_book.model.figures) >= 5


# ------------------------------------------------------------------ figures

def test_list_of_figures_pages_are_where_the_captions_are(real_book):
    folios = folio_map(real_book.pages)
    lof = squash(next(p for p in real_book.pages if p.startswith("Figures\n")))
    assert len(real_book.model.figures) >= 5
    for figure in real_book.model.figures:
        m = re.search(rf"{re.escape(figure.number)} {re.escape(figure.title[:25])}.*?\. \.[ .]*(\d+)\b", lof)
        assert m, (figure.number, lof)
        page = squash(real_book.pages[folios[m.group(1)]])
        assert f"Figure {figure.number}" in page and figure.title[:25] in page


def test_figures_are_numbered_by_chapter_and_placed_near_their_numbers(real_book):
    for figure in real_book.model.figures:
        chapter_number = int(figure.number.split(".")[0])
        chapter = real_book.model.chapters[chapter_number - 1]
        assert chapter.source.resolve() == figure.chapter.resolve()
        element = chapter.body.get_element_by_id(figure.element_id)
        previous = element.getprevious()
        wanted = figure.after.replace("'", "’")[:20]
        if wanted not in previous.text_content().replace("'", "’"):
            # never between "… four periods:" and the list it introduces: right after that list
            introduction = previous.getprevious()
            assert previous.tag in ("ul", "ol", "blockquote", "dl"), figure.id
            assert introduction.text_content().rstrip().endswith(":")
            assert wanted in introduction.text_content().replace("'", "’"), figure.id


def test_figures_in_epub_have_svg_alt_and_data_table(real_book):
    with zipfile.ZipFile(real_book.epub) as z:
        names = z.namelist()
        opf = z.read("EPUB/content.opf").decode()
        from bookbuilder.markup.charts import draw, image_name
        for figure in real_book.model.figures:
            figure.image_name = image_name(figure.id, draw(figure, "path"), "epub")
            assert f"EPUB/{figure.image_name}" in names
            assert 'media-type="image/svg+xml"' in opf
            division = real_book.model.chapters[int(figure.number.split('.')[0]) - 1]
            chapter_file = f"EPUB/{division.file_name}"
            chapter = z.read(chapter_file).decode()
            assert f'src="{figure.image_name}"' in chapter
            assert 'alt="' + figure.alt[:30] in chapter
            assert f"Data for Figure {figure.number}" in chapter
            assert z.read(f"EPUB/{figure.image_name}").startswith(b"<?xml")


def test_the_epub_names_its_charts_by_their_drawing_not_by_the_code(real_book, tmp_path, monkeypatch):
    """A chart's file in the cache is keyed by the builder's code too; its name in the EPUB
    is not, so an edit to the code that draws the same chart gives the same EPUB bytes."""
    from bookbuilder.markup.expand import chart_files

    before = chart_files(real_book.model, "epub")
    versions = cache.tool_versions()
    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    monkeypatch.setattr(cache, "tool_versions", lambda: ("code=another",) + versions[1:])
    after = chart_files(real_book.model, "epub")
    assert before and all(before[f][0] != after[f][0] for f in before)      # drawn again, elsewhere
    assert {f: name for f, (_, name) in before.items()} == {f: name for f, (_, name) in after.items()}


def test_charts_are_cached_by_content(real_book):
    from bookbuilder.markup.charts import draw
    figure = real_book.model.figures[0]
    printed, outlined = draw(figure, "text"), draw(figure, "path")
    before = printed.stat().st_mtime_ns
    assert draw(figure, "text") == printed and printed.stat().st_mtime_ns == before
    assert printed != outlined and b"<text" not in outlined.read_bytes()


def test_index_page_numbers_are_links_to_their_occurrences(real_book):
    from pypdf import PdfReader
    reader = PdfReader(real_book.pdf)
    start = next(i for i, p in enumerate(real_book.pages) if p.startswith("Index\n"))
    occurrence_ids = {o.id for e in real_book.model.index for item in [e] + e.sub for o in item.occurrences}
    destinations = []
    for page in reader.pages[start:]:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                destinations.append(str(annotation["/Dest"]))
    to_occurrences = [d for d in destinations if d in occurrence_ids]
    assert len(to_occurrences) >= 500
    named = reader.named_destinations
    assert all(d in named for d in to_occurrences[:50])       # each link lands on a real anchor
