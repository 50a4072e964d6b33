"""The PDF editions of the real book: the reader's PDF (PDF/UA-1), the print PDF (PDF/X-4)
and the cover, inspected with pikepdf."""

from __future__ import annotations

import pikepdf


def struct_elements(pdf: pikepdf.Pdf):
    """Every structure element of the tagged PDF, depth first."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])


def named_destinations(pdf: pikepdf.Pdf) -> set[str]:
    tree = pikepdf.NameTree(pdf.Root.Names.Dests)
    return {str(name) for name in tree.keys()}


def internal_link_targets(pdf: pikepdf.Pdf) -> list[str]:
    targets = []
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None and "/A" in annot and annot.A.get("/S") == "/GoTo":
                dest = annot.A.D
            if dest is not None:
                targets.append(str(dest))
    return targets


def test_readers_pdf_is_pdf_ua_1(real_book):
    with pikepdf.open(real_book.pdf) as pdf:
        xmp = pdf.open_metadata()
        assert xmp.get("pdfuaid:part") == "1"
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert str(pdf.docinfo.Title).startswith("The Great Purge")
        elements = list(struct_elements(pdf))
        figures = [e for e in elements if e.S == "/Figure"]
        assert figures and all(str(f.get("/Alt", "")).strip() for f in figures)
        # the Russian spans keep their language inside the PDF/UA structure tree
        assert any(str(e.get("/Lang", "")) == "ru" for e in elements)


def test_readers_pdf_internal_links_all_resolve(real_book):
    with pikepdf.open(real_book.pdf) as pdf:
        targets = internal_link_targets(pdf)
        names = named_destinations(pdf)
    # ToC, index locators, glossary references, notes and back links: hundreds of them
    assert len(targets) > 300
    missing = sorted(set(targets) - names)
    assert not missing, missing[:10]


# ------------------------------------------------------------------ print edition

INCH = 72
BLEED = 0.125 * INCH


def inches(box) -> list[float]:
    return [round(float(v) / INCH, 3) for v in box]


def colour_operators(pdf: pikepdf.Pdf) -> set[str]:
    """Every colour operator in the pages and the forms they draw."""
    found, seen = set(), set()

    def scan(owner, stream):
        if stream.objgen in seen:
            return
        seen.add(stream.objgen)
        for _, op in pikepdf.parse_content_stream(stream):
            if str(op) in ("rg", "RG", "k", "K", "g", "G", "cs", "CS", "sc", "SC", "scn", "SCN"):
                found.add(str(op))
        for form in owner.get("/Resources", {}).get("/XObject", {}).values():
            if form.get("/Subtype") == "/Form":
                scan(form, form)

    for page in pdf.pages:
        page.contents_coalesce()
        scan(page.obj, page.obj.Contents)
    return found


def assert_pdf_x4(pdf: pikepdf.Pdf, edition: str):
    from bookbuilder import ids
    xmp = pdf.open_metadata()
    assert xmp.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    # stable ids from the book's identifier, not uuid4: notices a WeasyPrint upgrade that
    # breaks layout/patches.pin_xmp_ids
    assert xmp.get("xmpMM:DocumentID") == ids.xmp_document_id("urn:uuid:5249a094-a81e-5771-bc8d-50967dce5581", edition)
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX"
    profile = intent.DestOutputProfile.read_bytes()
    assert profile[12:20] == b"prtrCMYK"            # ICC header: printer class, CMYK data
    # no RGB anywhere: the charts' greys and the crop marks became black ink
    assert not colour_operators(pdf) & {"rg", "RG"}
    for page in pdf.pages:
        trim, bleed, media = (inches(page[b]) for b in ("/TrimBox", "/BleedBox", "/MediaBox"))
        assert bleed == [trim[0] - 0.125, trim[1] - 0.125, trim[2] + 0.125, trim[3] + 0.125]
        # the crop marks lie outside the bleed, on the media around it
        assert media[0] < bleed[0] and media[2] > bleed[2]


def test_print_pdf_is_pdf_x4_with_bleed_in_whole_sheets(print_edition):
    with pikepdf.open(print_edition.print_pdf) as pdf:
        assert len(pdf.pages) % 4 == 0
        for page in pdf.pages:
            trim = inches(page.TrimBox)
            assert (trim[2] - trim[0], trim[3] - trim[1]) == (6, 9)
        assert_pdf_x4(pdf, "print")
        # no links on paper (PDF/X allows no annotations in the bleed), every font embedded and subset
        assert not any("/Annots" in page.obj for page in pdf.pages)
        fonts = {f.objgen: f for page in pdf.pages for f in page.Resources.Font.values()}
        for font in fonts.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
            assert str(font.BaseFont)[7:8] == "+"       # ABCDEF+Name: a subset


def test_cover_wraps_back_spine_and_front_of_the_print_pdf(print_edition):
    import pdfplumber
    with pikepdf.open(print_edition.print_pdf) as book:
        pages = len(book.pages)
    spine = pages * 0.0025                          # book.yaml: paper thickness_in 0.0025
    with pikepdf.open(print_edition.cover) as cover:
        (page,) = cover.pages
        bleed = inches(page.BleedBox)
        assert round(bleed[2] - bleed[0], 3) == round(2 * 6 + spine + 2 * 0.125, 3)
        assert round(bleed[3] - bleed[1], 3) == 9 + 2 * 0.125
        assert_pdf_x4(cover, "cover")
    with pdfplumber.open(print_edition.cover) as pdf:
        text = " ".join((pdf.pages[0].extract_text() or "").split())
    assert "Between 1936 and 1938 the Soviet state" in text       # the blurb of book.yaml
    assert "CC BY-SA 4.0" in text and "Stalin’s Terror in the Soviet Union" in text
    # a spine under 0.25 in carries no text: the title is on the front only
    assert spine < 0.25 and text.count("The Great Purge") == 1


# ------------------------------------------------------------------ small books, built here

def small_book(tmp_path, thickness: float):
    from test_small_books import make_book
    book = make_book(tmp_path, chapters=2, paragraphs=2)
    config = book / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"paper:\n  thickness_in: {thickness}\n", encoding="utf-8")
    return book


def test_editions_are_byte_reproducible_and_padded_with_blank_pages(tmp_path, monkeypatch):
    import pdfplumber
    from bookbuilder.run.build import build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book = small_book(tmp_path, thickness=0.03)      # thick paper: a spine wide enough for text
    first = build(book, tmp_path / "a", ("pdf", "print"), quiet=True)
    second = build(book, tmp_path / "b", ("pdf", "print"), quiet=True)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    reader, print_pdf, cover = first
    with pdfplumber.open(reader) as pdf:
        body = len(pdf.pages)
    with pdfplumber.open(print_pdf) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    with pikepdf.open(print_pdf) as pdf:
        boxes = {(tuple(inches(p.TrimBox)), tuple(inches(p.BleedBox))) for p in pdf.pages}
    assert body % 4 and len(texts) == body + (-body % 4)     # padded up to whole sheets
    assert not "".join(texts[body:]).strip()                 # with pages left blank
    assert len(boxes) == 1                                   # the same trim as the others
    with pdfplumber.open(cover) as pdf:
        text = " ".join((pdf.pages[0].extract_text() or "").split())
    # the spine (12 pages × 0.03 in) carries the title too; no blurb given: the lead's first sentence
    assert text.count("Small Book") == 2 and "Paragraph 0 of chapter 1." in text


def test_xmp_ids_hook_still_reaches_weasyprint():
    """patches.pin_xmp_ids wraps WeasyPrint's XMP generation: fails when an upgrade moves it."""
    from weasyprint import HTML
    from bookbuilder.layout import patches
    document = HTML(string="<title>T</title><meta name=dcterms.modified content=2026-01-01T00:00:00Z>"
                           "<p>x</p>").render()
    assert patches.pin_xmp_ids(document.metadata, "xmp.did:ours", "xmp.iid:ours")
    data = document.write_pdf(pdf_variant="pdf/x-4", uncompressed_pdf=True)
    assert b"<xmpMM:DocumentID>xmp.did:ours</xmpMM:DocumentID>" in data
    assert b"<xmpMM:InstanceID>xmp.iid:ours</xmpMM:InstanceID>" in data
    assert data.count(b"xmp.did:") == 1


def test_paper_thickness_must_be_inches_per_page(tmp_path):
    import pytest
    from bookbuilder.core.config import load_config
    from bookbuilder.errors import ConfigError
    book = small_book(tmp_path, thickness=2)
    with pytest.raises(ConfigError) as info:
        load_config(book)
    lines = (book / "book.yaml").read_text(encoding="utf-8").splitlines()
    assert info.value.line == lines.index("  thickness_in: 2") + 1
    assert "thickness" in str(info.value)
