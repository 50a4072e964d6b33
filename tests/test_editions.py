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
