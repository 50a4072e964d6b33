"""The EPUB as accessibility checkers and assistive technology see it.

DAISY Ace (the checker publishers and libraries use) runs once per session on the real
book: its report must hold no violation. The metadata it reads is computed from the model:
tiny manuscripts show that a feature is declared only when the book has it.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from lxml import etree

from bookbuilder.epub.accessibility import describe
from bookbuilder.run.build import build
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.core.pagelist import PageList, PageMarker
from conftest import epub_documents
from test_small_books import make_book

OPF = "EPUB/content.opf"
OPF_NS = {"opf": "http://www.idpf.org/2007/opf"}


@pytest.fixture(scope="session")
def ace_report(real_book, checkers, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("ace")
    result = checkers.run(str(checkers.modules / "@daisy" / "ace" / "bin" / "ace-puppeteer.js"), "-f", "-s",
                          "-o", str(out), str(real_book.epub), PUPPETEER_EXECUTABLE_PATH=checkers.chromium)
    report = out / "report.json"
    assert report.exists(), result.stdout + result.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def failures(report: dict) -> list[dict]:
    """Every assertion whose outcome is 'fail', however deep in the report."""
    found = []

    def walk(node):
        for assertion in node.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") == "fail":
                found.append(assertion)
            walk(assertion)

    walk(report)
    return found


def test_ace_reports_no_violations(ace_report):
    found = [(a["earl:test"]["dct:title"], a["earl:test"].get("earl:impact"),
              a["earl:result"].get("dct:description", ""), a["earl:result"].get("html", "")[:120])
             for a in failures(ace_report)]
    assert found == []
    assert ace_report["earl:result"]["earl:outcome"] == "pass"


def test_ace_finds_the_accessibility_metadata(ace_report):
    present = set(ace_report["a11y-metadata"]["present"])
    assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"} <= present
    assert not {"a11y:certifiedBy", "a11y:certifierCredential"} & present   # nobody certified it


def opf_properties(epub) -> dict[str, list[str]]:
    with zipfile.ZipFile(epub) as z:
        root = etree.fromstring(z.read(OPF))
    found: dict[str, list[str]] = {}
    for meta in root.iterfind("opf:metadata/opf:meta[@property]", OPF_NS):
        found.setdefault(meta.get("property"), []).append(meta.text)
    return found


def test_package_declares_language_and_conformance(real_book):
    with zipfile.ZipFile(real_book.epub) as z:
        root = etree.fromstring(z.read(OPF))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == real_book.model.config.language
    props = opf_properties(real_book.epub)
    assert props["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert props["schema:accessibilityHazard"] == ["none"]
    features = set(props["schema:accessibilityFeature"])
    assert {"tableOfContents", "index", "alternativeText", "longDescription", "structuralNavigation",
            "readingOrder"} <= features
    summary = props["schema:accessibilitySummary"][0]
    model = real_book.model
    assert f"{len(model.figures)} charts" in summary and f"{len(model.glossary)} terms" in summary


def test_features_follow_the_book(tmp_path):
    """A book without figures, glossary or index declares none of them, and no page list
    means no page-break features; with markers they appear, naming their edition."""
    book = enrich(read_book(make_book(tmp_path)))
    plain = describe(book)
    assert "index" not in plain.features and "longDescription" not in plain.features
    assert "pageBreakMarkers" not in plain.features and "chartOnVisual" not in plain.access_modes
    assert "chart" not in plain.summary and "glossary" not in plain.summary
    pages = PageList("print edition X", (PageMarker(book.chapters[0].id, book.chapters[0].id, 0, "1"),))
    paged = describe(book, pages)
    assert {"pageBreakMarkers", "pageNavigation"} <= set(paged.features)
    assert "print edition X" in paged.summary


def test_every_epub_type_with_a_dpub_aria_counterpart_has_its_role(real_book):
    """The rule Ace applies, over every content document: noteref -> doc-noteref, glossref ->
    doc-glossref, footnote -> doc-footnote, chapter -> doc-chapter, ..."""
    matching = {"noteref": "doc-noteref", "glossref": "doc-glossref", "footnote": "doc-footnote",
                "chapter": "doc-chapter", "glossary": "doc-glossary", "index": "doc-index",
                "bibliography": "doc-bibliography", "toc": "doc-toc", "pagebreak": "doc-pagebreak",
                "page-list": "doc-pagelist", "preface": "doc-preface"}
    ops = "{http://www.idpf.org/2007/ops}type"
    checked = 0
    for name, root in epub_documents(real_book.epub):
        for el in root.iter():
            if not isinstance(el.tag, str) or ops not in el.attrib:
                continue
            if any(a.tag.endswith("nav") and "landmarks" in a.get(ops, "") for a in el.iterancestors()):
                continue
            for t in el.get(ops).split():
                if t in matching:
                    assert matching[t] in (el.get("role") or "").split(), (name, etree.tostring(el)[:200])
                    checked += 1
    assert checked > 100


def test_figure_data_tables_have_a_header_for_every_column(real_book):
    with zipfile.ZipFile(real_book.epub) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace") if name.endswith(".xhtml") else ""
            assert not re.search(r"<th[^>]*>\s*</th>", text), name
