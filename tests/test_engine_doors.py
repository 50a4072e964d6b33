"""The doors to the engines' insides: WeasyPrint's boxes read in layout/boxes.py, its patches
in layout/patches.py, ebooklib's writer in epub/writer.py. Each test here fails when an
upgrade changes what the door reaches, and the patches' fallbacks are shown to degrade
(a warning, the unpatched output) rather than crash."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from bookbuilder.layout import boxes, engine, patches
from test_small_books import make_book

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
@page { size: 4in 5in; margin: 0.5in; }
body { font-family: serif; font-size: 11pt; line-height: 14pt; }
p { text-align: justify; margin: 0 0 6pt; }
.fn { float: footnote; }
figure { margin: 0; } figure div { height: 1in; border: 1px solid black; }
</style></head><body>
<p id="first">A first paragraph, <span lang="ru" id="ru">Ежов</span>, with a note<span class="fn" id="n1">The note.</span>
and enough words to fill two lines of text at least, so that the lines wrap and justify.</p>
<figure id="fig"><div>chart</div><figcaption>A figure.</figcaption></figure>
<p id="last">A<span> </span>b<span> </span>c supercalifragilisticexpialidocious-antidisestablishmentarianism words.</p>
</body></html>"""


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    return engine.render(PAGE, tmp_path_factory.mktemp("book"))


def test_weasyprint_box_reading_still_reads(laid_out):
    """Each reading of layout/boxes.py on a small layout gives what its callers rely on."""
    page = laid_out.pages[0]
    root = boxes.page_root(page)
    assert boxes.root_element(laid_out).tag == "html"
    lines = list(boxes.lines(root))
    assert len(lines) >= 4 and all(line.height > 0 for line in lines)
    assert 0 < boxes.room_left(page) < 5 * 72
    found = boxes.drawn(laid_out, "fig", 0)
    assert found is not None and found[0] == 0 and found[2].element.get("id") == "fig"
    _, page_root, figure = found
    container = boxes.parent(page_root, figure)
    after = list(boxes.blocks_after(figure, container))
    assert after and after[0][0].get("id") == "last" and after[0][1] > 0
    assert not boxes.opens_page(page, figure)                # the first paragraph stands above it
    assert boxes.last_paragraph(page).get("id") == "last"
    leaves = list(boxes.flow_leaves(page))
    texts = "".join(text for _, text, _ in leaves)
    assert "A first paragraph" in texts and "The note." not in texts   # the footnote is not in the flow
    assert boxes.language_of(boxes.find(root, "ru")) == "ru"
    assert boxes.language_of(root) is None                    # the document's language is set apart
    stretched = {el.get("id") for el in boxes.stretched_blocks(page)}
    assert "last" in stretched, stretched                     # a short line of three letters, justified wide


def test_the_language_patch_still_fits_and_tags_russian(tmp_path, laid_out):
    assert patches.tag_languages() is True
    assert patches.tag_languages() is True                    # wrapped once
    target = tmp_path / "tagged.pdf"
    laid_out.write_pdf(target, pdf_tags=True, pdf_variant="pdf/ua-1")
    langs = []

    def walk(node, depth=0):
        if isinstance(node, pikepdf.Dictionary):
            if "/Lang" in node:
                langs.append(str(node["/Lang"]))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if depth < 60:
                    walk(kid, depth + 1)
    with pikepdf.open(target) as pdf:
        walk(pdf.Root.StructTreeRoot)
    assert "ru" in langs, langs


def test_a_patch_that_no_longer_fits_leaves_the_pdf_unpatched_with_a_warning(tmp_path, monkeypatch, caplog):
    from weasyprint.pdf import tags

    monkeypatch.delattr(tags, "_build_box_tree")
    monkeypatch.setattr(patches, "_warned", set())
    assert patches.tag_languages() is False
    with caplog.at_level(logging.WARNING, logger="bookbuilder"):
        taken = patches.apply()
    assert taken["tag_languages"] is False
    assert "tag_languages" in caplog.text


COMPACT_CHECK = r"""
import sys
from pathlib import Path
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.layout.engine import render
from bookbuilder.layout.patches import compact_page_streams, tag_languages
from bookbuilder.layout.reference import final_html

book = enrich(read_book(Path(sys.argv[1])))
source = final_html(book)
tag_languages()

def written() -> bytes:
    return render(source, book.config.root).write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1",
                                                      pdf_identifier=b"same")

before = written()
assert compact_page_streams(), "WeasyPrint's page painter or stream class moved"
assert compact_page_streams()                  # wrapped once
after = written()
assert before == after, (len(before), len(after))
print("same bytes", len(after))
"""


def test_compacted_page_streams_write_the_same_bytes(tmp_path):
    """patches.compact_page_streams reaches into WeasyPrint: fails when an upgrade moves what it
    wraps, or when joining a page's operations early would change the file."""
    book = make_book(tmp_path, chapters=2, paragraphs=3)
    chapter = book / "chapters" / "01.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA noted line.[^a]\n\n[^a]: A note.\n",
                       encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", COMPACT_CHECK, str(book)], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1764028800",
                                 "BOOKBUILDER_CACHE": str(tmp_path / "cache")}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "same bytes" in result.stdout


def test_ebooklib_s_writer_still_has_the_method_extended(tmp_path):
    """epub/writer.py extends ebooklib's private _write_opf_file: a small EPUB's package
    element carries the book's language."""
    from ebooklib import epub

    from bookbuilder.epub import writer

    assert writer.language_on_package_root()
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:00000000-0000-4000-8000-000000000009")
    book.set_title("T")
    book.set_language("ru")
    page = epub.EpubHtml(title="One", file_name="one.xhtml", lang="ru")
    page.content = "<html><body><p>Один.</p></body></html>"
    book.add_item(page)
    book.add_item(epub.EpubNav())
    book.spine = ["nav", page]
    import datetime as dt
    target = tmp_path / "small.epub"
    writer.write(book, target, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    with zipfile.ZipFile(target) as z:
        opf = z.read("EPUB/content.opf").decode()
        assert {info.date_time for info in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    from lxml import etree
    package = etree.fromstring(opf.encode())
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
