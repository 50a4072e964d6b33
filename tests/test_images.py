"""The author's own images: a small book with a PNG (made with Pillow) and an SVG (written
here), built once to PDF and EPUB, read as a reader and an e-reader would."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree
from PIL import Image, ImageDraw

from bookbuilder.run.build import build
from conftest import epubcheck
from test_small_books import make_book

SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="400" height="200" viewBox="0 0 400 200">
<rect x="10" y="10" width="380" height="180" fill="#eeeeee" stroke="#333333"/>
<circle cx="100" cy="100" r="60" fill="#44aa77"/>
<script>alert(1)</script>
<image xlink:href="file:///etc/passwd" width="10" height="10"/>
</svg>
"""
CHART = """id: lock-counts
chapter: chapters/01.md
after: Paragraph 0 of chapter 1
title: Locks built
source: Made up for the test.
alt: Bars of locks built per year.
chart:
  kind: bars
  categories: ["1790", "1791"]
  series: [{name: Locks, values: [3, 5]}]
"""


@pytest.fixture(scope="module")
def image_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    book = make_book(root, chapters=2, paragraphs=2)
    (book / "images").mkdir()
    photo = Image.new("RGB", (3000, 2000), (200, 220, 240))
    draw = ImageDraw.Draw(photo)
    for x in range(0, 3000, 150):
        draw.line([(x, 0), (3000 - x, 2000)], fill=(40, 60, 120), width=12)
    draw.ellipse([1000, 500, 2000, 1500], fill=(180, 40, 40))
    photo.save(book / "images" / "photo.png")
    (book / "images" / "diagram.svg").write_text(SVG, encoding="utf-8")
    (book / "figures").mkdir()
    (book / "figures" / "locks.yaml").write_text(CHART, encoding="utf-8")
    chapter = book / "chapters" / "01.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + """
A paragraph before the images.

![The canal at Lowbridge.](images/photo.png){alt="Blue lines and a red disc" credit="Photo: Test Author, CC BY 4.0"}

Text with an inline ![a small diagram](images/diagram.svg) image in the sentence.

![A diagram of two shapes.](images/diagram.svg){credit="Drawing: Test Author" width=50%}

![A picture not there.](images/missing.png)
""", encoding="utf-8")
    import logging
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("bookbuilder").addHandler(handler)
    try:
        outputs = build(book, root / "out", ("pdf", "epub"), quiet=True)
    finally:
        logging.getLogger("bookbuilder").removeHandler(handler)
    pdf = next(p for p in outputs if p.name == "small-book.pdf")
    epub = next(p for p in outputs if p.suffix == ".epub")
    return book, pdf, epub, [r.getMessage() for r in records]


def _pages(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_images_are_numbered_with_the_charts_captioned_and_credited(image_book):
    _, pdf, _, _ = image_book
    text = "\n".join(_pages(pdf))
    # reading order in chapter 1: the chart (after paragraph 0), the photo, the diagram
    assert re.search(r"Figure 1\.1\s*Locks built", text, re.I)
    assert re.search(r"Figure 1\.2 The canal at Lowbridge\.\s+Photo: Test Author, CC BY 4\.0", text, re.I)
    assert re.search(r"Figure 1\.3 A diagram of two shapes\.\s+Drawing: Test Author", text, re.I)
    lof = next(p for p in _pages(pdf) if p.startswith("Figures"))
    assert re.search(r"1\.1 Locks built.*\n1\.2 The canal at Lowbridge.*\n1\.3 A diagram of two shapes", lof)
    imprint = next(p for p in _pages(pdf) if "licence" in p)
    assert "Images: Figure 1.2: Photo: Test Author, CC BY 4.0; Figure 1.3: Drawing: Test Author." in \
        " ".join(imprint.split())


def test_a_missing_image_is_a_warning_and_a_placeholder_with_its_caption(image_book):
    _, pdf, _, warnings = image_book
    assert any(re.search(r"chapters/01\.md:\d+: image file 'images/missing\.png' not found", w) for w in warnings)
    text = "\n".join(_pages(pdf))
    assert "[Image not included: image file 'images/missing.png' not found]" in text
    # the placeholder and its caption on one page
    assert any("[Image not included" in page and "A picture not there." in page for page in _pages(pdf))


def test_images_fit_the_text_block(image_book):
    """The 3000 px photo and the SVG drawing lie inside the text block (the text's own edges)."""
    _, pdf, _, _ = image_book
    with pdfplumber.open(pdf) as doc:
        pages = [page for page in doc.pages if page.images]
        assert len(pages) == 1 and len(pages[0].images) == 1       # the PNG; the SVG is drawn as paths
        page = pages[0]
        left = min(c["x0"] for c in page.chars if c["text"].strip())
        right = max(c["x1"] for c in page.chars if c["text"].strip())
        drawn = page.images + page.rects + page.curves
        assert len(drawn) >= 3
        for thing in drawn:
            assert left - 1 <= thing["x0"] and thing["x1"] <= right + 1, (thing["x0"], thing["x1"], left, right)
        photo = page.images[0]
        assert photo["x1"] - photo["x0"] == pytest.approx(right - left, abs=2)   # scaled to the measure


def test_an_image_keeps_the_width_its_author_gave_it(image_book):
    """{width=50%}: the diagram is half the measure wide in print (its frame, 380 of its 400
    units) and in the EPUB; a length is taken against the book's text block."""
    from lxml import html as lxml_html

    from bookbuilder.markup.image_prep import css_width
    from bookbuilder.passes.author_images import Image as BookImage, _width

    _, pdf, epub, _ = image_book
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if p.rects and "two shapes" in (p.extract_text() or ""))
        left = min(c["x0"] for c in page.chars if c["text"].strip())
        right = max(c["x1"] for c in page.chars if c["text"].strip())
        # the figure's frame: the wider of the rectangles filled #eeeeee (the other is the
        # same drawing inline, in a sentence)
        frame = max((r for r in page.rects if len(r.get("non_stroking_color") or ()) == 3
                     and all(abs(c - 0xee / 0xff) < 0.02 for c in r["non_stroking_color"])),
                    key=lambda r: r["x1"] - r["x0"])
    assert frame["x1"] - frame["x0"] == pytest.approx(0.5 * (right - left) * 380 / 400, rel=0.03)
    assert frame["x0"] > left + 0.2 * (right - left)                # centred, not at the edge
    with zipfile.ZipFile(epub) as z:
        chapter = z.read("EPUB/ch-01.xhtml").decode("utf-8")
    assert re.search(r'<img src="images/diagram[^"]*" alt="A diagram of two shapes\." style="width: 50%"', chapter)

    class Book:                                 # the one thing css_width reads of a book
        class config:
            trim = "6x9"
    assert css_width(BookImage("i", Path("x.png"), Path("c.md"), "", width=(3.0, "in")), Book) == "65.9%"
    assert css_width(BookImage("i", Path("x.png"), Path("c.md"), "", width=(300.0, "px")), Book) == "68.7%"
    assert css_width(BookImage("i", Path("x.png"), Path("c.md"), "", width=(9.0, "in")), Book) == "100%"
    assert _width(lxml_html.fragment_fromstring('<img src="a.png" width="300">'), Path("c.md")) == (300.0, "px")
    assert _width(lxml_html.fragment_fromstring('<img src="a.png" style="width:40em">'), Path("c.md")) is None


def test_epub_has_the_images_in_its_manifest_with_alt_text_in_figures(image_book):
    _, _, epub, _ = image_book
    code, report = epubcheck(epub)
    assert code == 0, report
    with zipfile.ZipFile(epub) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        items = {i.get("href"): i.get("media-type") for i in opf.iter("{*}item")}
        pngs = [h for h, t in items.items() if t == "image/png" and h.startswith("images/photo")]
        svgs = [h for h, t in items.items() if t == "image/svg+xml" and h.startswith("images/diagram")]
        assert len(pngs) == 1 and len(svgs) == 1, items
        with Image.open(io.BytesIO(z.read("EPUB/" + pngs[0]))) as im:
            assert max(im.size) == 1600                     # scaled for e-readers from 3000 px
        svg = z.read("EPUB/" + svgs[0]).decode("utf-8")
        assert "<script" not in svg and "passwd" not in svg
        chapter = etree.fromstring(z.read("EPUB/ch-01.xhtml"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    figure = chapter.xpath("//h:figure[h:img[starts-with(@src, 'images/photo')]]", namespaces=ns)[0]
    assert figure.xpath("h:img/@alt", namespaces=ns) == ["Blue lines and a red disc"]
    caption = "".join(figure.xpath("h:figcaption//text()", namespaces=ns))
    assert caption.startswith("Figure 1.2") and "Photo: Test Author" in caption
    # without an alt attribute the caption is the alt text; an inline image stays in its paragraph
    assert chapter.xpath("//h:figure/h:img[starts-with(@src, 'images/diagram')]/@alt", namespaces=ns) == \
        ["A diagram of two shapes."]
    assert chapter.xpath("//h:p/h:img[@class='inline-image']/@alt", namespaces=ns) == ["a small diagram"]


def test_print_rasters_are_scaled_to_the_text_block_at_300_dpi(image_book):
    from bookbuilder import cache
    scaled = sorted(cache.path("print", "images").glob("photo-*.png"))
    assert scaled
    with Image.open(scaled[-1]) as im:
        assert im.size[0] == round(4.55 * 300)     # 6x9 text block width at 300 dpi, from 3000 px


def test_the_print_edition_gets_grey_images(image_book):
    """PDF/X-4 in black ink: the photo becomes a DeviceGray raster, the SVG's colours greys."""
    book, pdf, _, _ = image_book
    outputs = build(book, pdf.parent, ("print",), quiet=True)
    press = next(p for p in outputs if p.name == "small-book-print.pdf")
    with pdfplumber.open(press) as doc:
        rasters = [image for page in doc.pages for image in page.images]
    spaces = [getattr(r["colorspace"][0], "name", r["colorspace"][0]) for r in rasters]
    assert spaces == ["DeviceGray"], spaces


def test_jpeg_and_webp_are_prepared_for_each_output(tmp_path):
    """JPEG and WebP (the formats the book above does not use): scaled, kept or converted."""
    from bookbuilder.markup.image_prep import EPUB_MAX_PX, prepared
    from bookbuilder.passes.author_images import Image as BookImage
    from bookbuilder.source.image_refs import judge

    Image.new("RGB", (2400, 1200), (10, 120, 200)).save(tmp_path / "Big photo.jpg", quality=90)
    Image.new("RGBA", (300, 200), (200, 40, 40, 128)).save(tmp_path / "small.webp")
    (tmp_path / "fake.png").write_bytes(b"not a png at all")
    assert judge("fake.png", tmp_path / "x.md", tmp_path).path is None           # unreadable: refused
    jpeg = BookImage("a-img1", judge("Big photo.jpg", tmp_path / "x.md", tmp_path).path, tmp_path, "alt")
    webp = BookImage("a-img2", judge("small.webp", tmp_path / "x.md", tmp_path).path, tmp_path, "alt")
    epub_jpeg = prepared(jpeg, "epub", (EPUB_MAX_PX, EPUB_MAX_PX))
    assert epub_jpeg.name.startswith("big-photo-") and epub_jpeg.suffix == ".jpg"
    with Image.open(epub_jpeg) as im:
        assert im.format == "JPEG" and im.size == (1600, 800)
    epub_webp = prepared(webp, "epub", (EPUB_MAX_PX, EPUB_MAX_PX))
    with Image.open(epub_webp) as im:
        assert epub_webp.suffix == ".png" and im.format == "PNG" and im.size == (300, 200)
    print_webp = prepared(webp, "print", (1365, 2235))
    assert print_webp.read_bytes() == (tmp_path / "small.webp").read_bytes()     # small enough: as it is
    print_jpeg = prepared(jpeg, "print", (1365, 2235))
    with Image.open(print_jpeg) as im:
        assert im.format == "JPEG" and im.size == (1365, 682)


def _caption_book(root: Path) -> Path:
    """Chapter 2 holds a lone image whose caption is the only place that names an indexed
    term (NKVD) and a glossary term (troika), and that has a footnote of its own."""
    book = make_book(root, chapters=2, paragraphs=3)
    (book / "images").mkdir()
    Image.new("RGB", (600, 300), (200, 220, 240)).save(book / "images" / "yard.png")
    chapter = book / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + """
![A prison yard run by the NKVD, where a troika sat.[^yard]](images/yard.png)

Text after the picture.

[^yard]: Captionnote about the yard.
""", encoding="utf-8")
    (book / "index.yaml").write_text('- headword: "NKVD"\n  match: ["NKVD"]\n', encoding="utf-8")
    (book / "glossary.yaml").write_text("- headword: troika\n  definition: A board of three officials.\n"
                                        "  match: [troika]\n", encoding="utf-8")
    return book


def test_a_term_in_an_image_caption_is_indexed_and_glossed_at_its_figure(tmp_path):
    """A caption is the author's text: its index term and glossary term point at the figure (the
    EPUB links into the figure's chapter file; the PDF prints the figure's page), its footnote
    is kept, and the List of Figures shows the caption's words without the marks."""
    book = _caption_book(tmp_path)
    outputs = build(book, tmp_path / "out", ("pdf", "epub"), quiet=True)
    pdf = next(p for p in outputs if p.suffix == ".pdf")
    epub = next(p for p in outputs if p.suffix == ".epub")
    pages = _pages(pdf)
    (figure_page,) = [p for p in pages if "Figure 2.1" in p]
    folio = figure_page.split()[-1]
    assert folio.isdigit(), figure_page
    assert "Captionnote about the yard." in figure_page
    index = next(p for p in pages if p.startswith("Index"))
    assert f"NKVD, {folio}\n" in index, (folio, index)
    glossary = next(p for p in pages if p.startswith("Glossary"))
    assert f"Used on p. {folio}\n" in glossary, (folio, glossary)
    lof = next(p for p in pages if p.startswith("Figures"))
    assert re.search(r"2\.1 A prison yard run by the NKVD, where a troika sat[ .]*\d+\n", lof), lof

    code, report = epubcheck(epub)
    assert code == 0, report
    with zipfile.ZipFile(epub) as z:
        docs = {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xhtml")}
    chapter = etree.fromstring(docs["EPUB/ch-02.xhtml"].encode())
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    in_caption = set(chapter.xpath("//h:figure/h:figcaption//*/@id", namespaces=ns))
    marks = re.findall(r'href="ch-02\.xhtml#([a-z0-9-]+-ix-\d+)"', docs["EPUB/index.xhtml"])
    uses = re.findall(r'href="ch-02\.xhtml#([a-z0-9-]+-gl-[a-z0-9-]+)"', docs["EPUB/glossary.xhtml"])
    assert len(marks) == 1 and marks[0] in in_caption, (marks, in_caption)
    assert len(uses) == 1 and uses[0] in in_caption, (uses, in_caption)
    assert "Captionnote about the yard." in docs["EPUB/ch-02.xhtml"]
    figures = etree.fromstring(docs["EPUB/figures.xhtml"].encode())
    assert not set(figures.xpath("//@id")) & in_caption          # the list repeats words, not marks
    assert not figures.xpath("//h:a//h:a", namespaces=ns)
