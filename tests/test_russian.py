"""Issue 'Russian done right': transliteration notes, the glossary and the checker."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import iuliia
import pdfplumber
import pytest
from lxml import etree, html

from bookbuilder.epub.container import write_epub
from bookbuilder.passes.enrich import enrich
from bookbuilder.passes.glossary import mark_glossary_uses
from bookbuilder.source.manuscript import read_book
from bookbuilder.passes.matching import compile_forms, element, form_pattern, replace_matches
from conftest import copy_book, epub_documents, epubcheck, run_cli, squash
from test_end_to_end import folio_map

XHTML_NS = "{http://www.w3.org/1999/xhtml}"


# ------------------------------------------------------------------ matching, alone

def test_matching_respects_boundaries_headings_links_and_inflections():
    root = html.fragment_fromstring(
        "<div><h2>The troika</h2><p>A troika; two troikas, a <a href='#x'>troika</a>, "
        "troikaization, Troika and the NKVD troika’s ruling.</p></div>")
    pattern = compile_forms(["troika", "troikas", "NKVD troika's"])
    found = []
    replace_matches(root, pattern, lambda m, el: found.append(m.group(0)) or [element("b", m.group(0))])
    assert found == ["troika", "troikas", "NKVD troika’s"]
    assert root.find("h2").text == "The troika"


def test_glossary_marks_first_use_per_chapter_and_counts_every_use(real_book):
    troika = next(e for e in real_book.model.glossary if e.headword == "troika")
    chapters = {u.division_id for u in troika.uses}
    linked = [u for u in troika.uses if u.linked]
    assert len(linked) == len(chapters) >= 2
    assert len(troika.uses) > len(linked)


# ------------------------------------------------------------------ transliteration notes

def note_line(text: str, word: str) -> str | None:
    for line in text.splitlines():
        if re.match(rf"\d+\. {word}: Russian ", line):
            return line
    return None


def test_transliteration_footnote_on_page_of_first_yezhovshchina(real_book):
    first_body = folio_map(real_book.pages)["1"]
    page_index = next(i for i in range(first_body, len(real_book.pages))
                      if "Yezhovshchina" in real_book.pages[i])
    line = note_line(real_book.pages[page_index], "Yezhovshchina")
    assert line and "ежовщина" in line, real_book.pages[page_index]
    romanised = iuliia.schemas.get("ala_lc").translate("ежовщина")
    assert romanised in line
    with pdfplumber.open(real_book.pdf) as pdf:
        page = pdf.pages[page_index]
        words = [w for w in page.extract_words() if w["text"].startswith("ежовщина")]
        # the note's Cyrillic sits in the footnote area, in the bottom part of the page
        assert any(w["top"] > page.height * 0.5 for w in words), words


def test_glossed_terms_do_not_repeat_their_gloss(real_book):
    from bookbuilder.markup.expand import expand_notes
    from bookbuilder.markup.templates import environment
    expand_notes(real_book.model, environment())        # the notes' words, as the renderers set them
    chapter_one = real_book.model.chapters[0]
    yezh = next(n for n in chapter_one.notes if n.id.endswith("tn-yezhovshchina"))
    term = next(t for t in real_book.model.terms if t.id == "yezhovshchina")
    assert term.glossed_in_text and term.gloss
    gloss_text = html.fragment_fromstring(term.gloss_html, create_parent="span").text_content()
    assert gloss_text not in yezh.content.text_content()
    assert yezh.content.text_content().endswith("ezhovshchina.")
    # a term the text does not explain keeps its gloss in the note (names are in the register)
    kirov = next(n for c in real_book.model.chapters for n in c.notes if n.id.endswith("tn-troika"))
    kirov_term = next(t for t in real_book.model.terms if t.id == "troika")
    assert not kirov_term.glossed_in_text
    assert html.fragment_fromstring(kirov_term.gloss_html, create_parent="span").text_content() \
        in kirov.content.text_content()


def test_each_term_noted_once_at_its_first_occurrence(real_book):
    seen = {}
    for chapter in real_book.model.chapters:
        for note in chapter.notes:
            if note.kind == "translit":
                term = note.id.split("-tn-")[1]
                assert term not in seen, f"{term} noted twice"
                seen[term] = chapter.number
    assert len(seen) >= 20          # terms and places: people are in the register of names
    assert seen["yezhovshchina"] == 1


def transliteration_page(pages: list[str]) -> str:
    start = next(i for i, p in enumerate(pages) if p.startswith("A Note on Transliteration"))
    end = next(i for i in range(start + 1, len(pages)) if pages[i].startswith("Chapter 1\n"))
    return "\n".join(pages[start:end])


def test_note_on_transliteration_table_matches_iuliia(real_book):
    text = transliteration_page(real_book.pages)
    schema = iuliia.schemas.get("ala_lc")
    for letter in "жхцщюя":
        latin = schema.translate(letter)
        row = f"{letter.upper()} {letter} {latin[:1].upper() + latin[1:]} {latin}"
        assert row in text, (row, text)
    assert "ALA-LC" in text and "Yezhov" in text      # a conventional spelling the book keeps


def test_changing_the_scheme_changes_table_and_notes(tmp_path):
    book_dir = copy_book(tmp_path)
    yaml_path = book_dir / "book.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8") + "transliteration:\n  scheme: bgn_pcgn\n",
                         encoding="utf-8")
    book = enrich(read_book(book_dir))
    from bookbuilder.core.pagelist import PageList
    # no print page numbers: they would cost a layout of this new text, and are tested elsewhere
    epub_path = write_epub(book, tmp_path / "bgn.epub", None, PageList("", ()))
    with zipfile.ZipFile(epub_path) as z:
        note = z.read("EPUB/transliteration.xhtml").decode()
        chapter = z.read("EPUB/introduction.xhtml").decode()
        register = z.read("EPUB/register.xhtml").decode()
    bgn = iuliia.schemas.get("bgn_pcgn")
    assert "BGN/PCGN" in note and "ALA-LC" not in note
    assert f"<td lang=\"ru-Latn\">Y y</td>" in note            # й in BGN/PCGN (ALA-LC: Ĭ ĭ)
    assert bgn.translate("ежовщина") in chapter               # the notes follow the scheme
    assert bgn.translate("Николай Ежов") in register          # and so does the register of names
    code, report = epubcheck(epub_path)
    assert code == 0, report


# ------------------------------------------------------------------ glossary

def expand(label: str) -> list[int]:
    if "–" not in label:
        return [int(label)]
    a, b = label.split("–")
    b = a[: len(a) - len(b)] + b
    return list(range(int(a), int(b) + 1))


def test_glossary_page_numbers_are_pages_where_the_term_occurs(real_book):
    model = real_book.model
    assert len(model.glossary) >= 30
    folios = folio_map(real_book.pages)
    start = next(i for i, p in enumerate(real_book.pages) if p.startswith("Glossary"))
    # each page without its folio (last line), or the folio runs into the locators before it
    text = "\n".join(p.rsplit("\n", 1)[0] for p in real_book.pages[start:start + 12])
    # entries begin a line with their headword, alone or followed by its Cyrillic, in alphabetical order
    starts = []
    position = 0
    for entry in model.glossary:
        m = re.compile(rf"(?m)^{re.escape(entry.headword)}(?=$| ?[\u0400-\u04FF])").search(text, position)
        assert m, entry.headword
        starts.append(m.start())
        position = m.end()
    checked = 0
    for n, entry in enumerate(model.glossary):
        segment = squash(text[starts[n]: starts[n + 1] if n + 1 < len(starts) else len(text)])
        m = re.search(r"Used on pp?\. ([\d–, ]+)", segment)
        assert bool(m) == bool(entry.uses), (entry.headword, segment)
        if not m:
            continue
        # a footnote call may follow the word in the page text ("dvoiki2"): bound the start only
        pattern = re.compile("|".join(rf"(?<![\w-]){form_pattern(f)}" for f in entry.match))
        for label in m.group(1).replace(" ", "").strip(",").split(","):
            for folio in expand(label):
                page = squash(real_book.pages[folios[str(folio)]])
                assert pattern.search(page), (entry.headword, folio)
                checked += 1
    assert checked >= 60


def test_epub_glossary_and_notes_semantics(real_book):
    with zipfile.ZipFile(real_book.epub) as z:
        glossary = z.read("EPUB/glossary.xhtml").decode()
        chapter = z.read("EPUB/introduction.xhtml").decode()
    assert 'epub:type="glossary"' in glossary
    assert glossary.count('epub:type="glossterm"') == len(real_book.model.glossary)
    assert 'epub:type="glossdef"' in glossary and 'href="moscow-trials.xhtml#moscow-trials-gl-' in glossary
    assert 'epub:type="noteref"' in chapter and 'epub:type="footnote"' in chapter
    assert 'epub:type="glossref"' in chapter
    assert re.search(r'<i lang="ru-Latn">ezhovshchina</i>', chapter)


def test_every_cyrillic_run_is_tagged_russian_in_the_epub(real_book):
    cyrillic = re.compile(r"[\u0400-\u04FF]")
    checked = 0
    for name, root in epub_documents(real_book.epub):
        for el in root.iter():
            for text, owner in ((el.text, el), (el.tail, el.getparent())):
                if text and cyrillic.search(text) and owner is not None:
                    langs = [a.get("lang") for a in (owner, *owner.iterancestors()) if a.get("lang")]
                    assert langs and langs[0] == "ru", (name, text)
                    checked += 1
    assert checked > 50


# ------------------------------------------------------------------ check

def test_check_reports_variant_spellings_on_this_book():
    result = run_cli("check")
    assert re.search(r"chapters/\S+\.md:\d+: r-001: 'Piatakov' .* 'Pyatakov'", result.stdout), result.stdout
    assert re.search(r"r-001: 'Kurapaty' .* 'Kuropaty'", result.stdout), result.stdout
    assert re.search(r"chapters/07\S+:\d+: m-001:", result.stdout), result.stdout
    assert result.returncode == 1          # the lost list is an error


def test_check_finds_nothing_on_a_clean_manuscript(tmp_path):
    book = tmp_path / "clean"
    (book / "chapters").mkdir(parents=True)
    (book / "chapters/01.md").write_text(
        "# Beginnings\n\nThe [тройка]{lang=ru} was a troika of officials. Nikolai Yezhov led the NKVD. "
        "Yezhov was later shot, as was Genrikh Yagoda.\n\nThe periods were:\n\n- first\n- second\n\n"
        "## Later\n\nAfter Yezhov, Lavrentiy Beria led the NKVD. Moscow and Leningrad were purged.\n",
        encoding="utf-8")
    (book / "book.yaml").write_text(
        "title: Clean\nslug: clean\nlanguage: en\nidentifier: urn:uuid:00000000-0000-4000-8000-000000000002\n"
        "creator: Test\nsource_title: Clean\nsource_url: https://example.org/clean\nlicence: CC BY-SA 4.0\n"
        "licence_url: https://creativecommons.org/licenses/by-sa/4.0/\nchapters: [chapters/01.md]\n",
        encoding="utf-8")
    (book / "glossary.yaml").write_text(
        "- headword: troika\n  cyrillic: тройка\n  definition: A panel of three.\n  match: [troika]\n"
        "- headword: NKVD\n  cyrillic: НКВД\n  definition: The secret police.\n  match: [NKVD]\n",
        encoding="utf-8")
    (book / "russian-terms.yaml").write_text(
        "- id: yezhov\n  kind: name\n  cyrillic: Николай Ежов\n  english: Nikolai Yezhov\n  match: [Nikolai Yezhov, Yezhov]\n"
        "- id: nkvd\n  kind: organisation\n  cyrillic: НКВД\n  english: NKVD\n  match: [NKVD]\n",
        encoding="utf-8")
    result = run_cli("check", "--book", str(book))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""
    # and the same manuscript with a defect is caught, with file and line
    text = (book / "chapters/01.md").read_text(encoding="utf-8")
    text += "\nThe victims were Ежов and others:\n"
    (book / "chapters/01.md").write_text(text, encoding="utf-8")
    last = len(text.splitlines())
    result = run_cli("check", "--book", str(book))
    assert result.returncode == 1
    assert re.search(rf"01\.md:{last}: r-002: 'Ежов'", result.stdout), result.stdout
    assert re.search(rf"01\.md:{last}: m-001:", result.stdout), result.stdout
