"""The EPUB in a real reading system: epub.js in headless Chromium, driven by playwright-core
(checkers/read_epub.mjs), the book served from 127.0.0.1. It opens, lists its contents,
paginates a chapter, follows a note reference and a glossary link as a reader's tap would,
opens a chart's data table, and goes to pages of the print edition through the page list.
Screenshots of a chapter page, a note, the index and a chart are left in the test's folder."""

from __future__ import annotations

import json

import pytest

from conftest import CHECKERS


@pytest.fixture(scope="module")
def reading(real_book, checkers, tmp_path_factory) -> dict:
    shots = tmp_path_factory.mktemp("reading-system")
    result = checkers.run(str(CHECKERS / "read_epub.mjs"), str(real_book.epub), str(shots), checkers.chromium,
                          timeout=240)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    data["shots"] = shots
    assert data["errors"] == []
    return data


def test_it_opens_and_lists_the_contents(reading, real_book):
    labels = [entry["label"] for entry in reading["toc"]]
    for division in real_book.model.divisions:
        assert any(division.title in label for label in labels), (division.title, labels)


def test_a_chapter_paginates(reading):
    first, second = reading["chapter"], reading["chapterNext"]
    assert first["pages"] > 1 and first["page"] == 1
    assert second["href"] == first["href"] and second["page"] == 2


def test_a_note_reference_is_a_superscript_that_leads_to_its_note(reading):
    ref = reading["noteref"]
    assert ref["text"].isdigit()
    style = ref["style"]
    assert style["verticalAlign"] == "super" and style["textDecoration"] == "none"
    assert float(style["fontSize"].removesuffix("px")) < float(style["parentFontSize"].removesuffix("px"))
    after = reading["afterNote"]
    assert after["noteVisible"] and after["href"] == reading["chapter"]["href"]


def test_a_glossary_link_leads_to_its_entry(reading):
    assert reading["glossref"]["href"].startswith("glossary.xhtml#")
    after = reading["afterGlossary"]
    assert after["href"] == "glossary.xhtml" and after["entryVisible"]


def test_the_index_opens(reading):
    assert reading["index"]["href"] == "index.xhtml" and reading["index"]["pages"] >= 1


def test_a_charts_data_table_is_closed_until_opened(reading):
    figure = reading["figure"]
    assert figure["summary"].startswith("Data for Figure")
    assert figure["closedTableHeight"] == 0 < figure["openTableHeight"]


def test_pages_of_the_print_edition_are_reached_through_the_page_list(reading):
    assert reading["pageList"]["count"] >= 60
    assert reading["pageList"]["last"]["href"].startswith("index.xhtml#page-")
    assert reading["printPages"] and all(p["markerVisible"] for p in reading["printPages"])


def test_screenshots_were_taken(reading):
    assert reading["phone"]["pages"] >= reading["chapter"]["pages"]       # a narrower page: more of them
    for name in ("chapter", "note", "glossary", "index", "figure", "figure-data", "phone"):
        png = reading["shots"] / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000, name
