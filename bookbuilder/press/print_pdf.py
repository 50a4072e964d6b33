"""The print shop's PDF: the reader's pages, set for the press as PDF/X-4.

The print edition is the reader's PDF (layout/parts.py), page for page: the same layout, so it is
never laid out again. What the press needs is done here on that file with pikepdf:

- boxes: the TrimBox is the reader's page; the BleedBox lies ``BLEED_IN`` outside it and
  the MediaBox ``SLUG_IN`` further, where crop marks in registration colour are drawn;
- ink: every colour becomes black ink of its lightness, every image grey (ink.py);
- what paper cannot hold goes: links (PDF/X allows no annotation in the bleed), and the
  structure tree that points at them;
- blank pages at the end, so the page count is a multiple of 4 (a printed book is bound
  in folded sheets);
- an output intent: a CMYK printer profile (ICC, class ``prtr``) from Debian's
  ``libgs-common`` (Ghostscript's profiles);
- PDF/X-4 metadata, with XMP ids (DocumentID, InstanceID) made from the book's
  identifier, not from uuid4, so the same text gives the same bytes.

The cover (print_cover.py) is laid out by WeasyPrint as PDF/X-4 and finished by ``finish``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bookbuilder import cache
from bookbuilder import ids
from bookbuilder.press import ink
from bookbuilder.core.model import Book
from bookbuilder.core.paper import BLEED_PT, SLUG_PT, cmyk_profile

log = logging.getLogger("bookbuilder")

EDITION = "print"
SIGNATURE = 4                       # pages per folded sheet: the page count's multiple
CROP_MARK_WIDTH_PT = 0.25
PDF_X = "PDF/X-4"
SCREEN_ONLY = ("/StructTreeRoot", "/MarkInfo")          # the tags point at links paper has not
SCREEN_ONLY_PAGE = ("/Annots", "/StructParents", "/Tabs")


def write_print_pdf(book: Book, target: Path, reader_pdf: Path) -> Path:
    """Write the print edition made from ``reader_pdf``; returns ``target``."""
    import pikepdf

    with pikepdf.open(reader_pdf) as pdf:
        for key in SCREEN_ONLY:
            if key in pdf.Root:
                del pdf.Root[key]
        ink.to_black_ink(pdf)
        trim = [float(v) for v in pdf.pages[0].MediaBox]
        for _ in range(-len(pdf.pages) % SIGNATURE):
            pdf.add_blank_page(page_size=(trim[2] - trim[0], trim[3] - trim[1]))
        registration = _registration_colour(pdf)
        for page in pdf.pages:
            for key in SCREEN_ONLY_PAGE:
                if key in page.obj:
                    del page.obj[key]
            _set_boxes(page.obj, trim)
            _draw_crop_marks(pdf, page, trim, registration)
        pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf)])
        pdf.docinfo[pikepdf.Name.Trapped] = pikepdf.Name.False_
        _pdf_x_metadata(pdf, book.config.identifier)
        with cache.atomic_path(target) as tmp:
            # deterministic_id: the trailer's id from the content, never from the clock
            pdf.save(tmp, deterministic_id=True, compress_streams=True, min_version="1.6")
    return target


def _set_boxes(page, trim: list[float]) -> None:
    import pikepdf

    def around(margin: float):
        return pikepdf.Array([trim[0] - margin, trim[1] - margin, trim[2] + margin, trim[3] + margin])

    page.TrimBox = around(0)
    page.BleedBox = around(BLEED_PT)
    page.MediaBox = around(BLEED_PT + SLUG_PT)
    if "/CropBox" in page:
        del page.CropBox


def _registration_colour(pdf):
    """The Separation colour /All: printed on every plate, as crop marks must be."""
    import pikepdf

    tint = pdf.make_indirect(pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                                                C1=[1, 1, 1, 1], N=1))
    return pdf.make_indirect(pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All,
                                            pikepdf.Name.DeviceCMYK, tint]))


def crop_marks(trim: list[float]) -> list[tuple[float, float, float, float]]:
    """Eight lines (x1, y1, x2, y2) on the trim lines' extensions, from the bleed to the
    media's edge: outside the bleed, so the knife never leaves them on a page."""
    left, bottom, right, top = trim
    near, far = BLEED_PT, BLEED_PT + SLUG_PT
    lines = []
    for x, outward in ((left, -1), (right, 1)):
        for y in (bottom, top):
            lines.append((x + outward * near, y, x + outward * far, y))         # horizontal
    for y, outward in ((bottom, -1), (top, 1)):
        for x in (left, right):
            lines.append((x, y + outward * near, x, y + outward * far))         # vertical
    return lines


def _draw_crop_marks(pdf, page, trim: list[float], registration) -> None:
    import pikepdf

    # a fixed name (add_resource would draw a random one): the same text, the same bytes
    name = page.add_resource(registration, pikepdf.Name.ColorSpace, name=pikepdf.Name("/Registration"))
    paths = " ".join(f"{x1:g} {y1:g} m {x2:g} {y2:g} l S" for x1, y1, x2, y2 in crop_marks(trim))
    marks = f"q {name} CS 1 SCN {CROP_MARK_WIDTH_PT:g} w 0 J [] 0 d {paths} Q".encode()
    page.contents_add(pikepdf.Stream(pdf, marks))


def _output_intent(pdf):
    import pikepdf

    profile = cmyk_profile()
    name = profile_name(profile)
    icc = pikepdf.Stream(pdf, profile.read_bytes())
    icc.N = 4
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, DestOutputProfile=icc,
        OutputConditionIdentifier=pikepdf.String("Custom"), OutputCondition=pikepdf.String(name),
        Info=pikepdf.String(name)))


def profile_name(profile: Path) -> str:
    from PIL import ImageCms
    return ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip()


def _pdf_x_metadata(pdf, identifier: str) -> None:
    """The XMP of a PDF/X-4 (ISO 15930-7) in place of the reader's PDF/UA claim."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        modified = str(xmp.get("xmp:ModifyDate", ""))
        for key in ("pdfuaid:part", "pdfuaid:amd"):
            if key in xmp:
                del xmp[key]
        xmp["pdfxid:GTS_PDFXVersion"] = PDF_X
        xmp["pdf:Trapped"] = "False"
        xmp["xmp:MetadataDate"] = modified
        xmp["xmpMM:DocumentID"] = ids.xmp_document_id(identifier, EDITION)
        xmp["xmpMM:InstanceID"] = ids.xmp_instance_id(identifier, EDITION, modified)
        xmp["xmpMM:VersionID"] = "1"
        xmp["xmpMM:RenditionClass"] = "default"


# ------------------------------------------------------------------ the cover (WeasyPrint's PDF/X-4)

def write_pdf_x4(document, target: Path, identifier: str) -> None:
    """PDF/X-4 with the CMYK output intent; fonts embedded and subset (WeasyPrint's default)."""
    with cache.atomic_path(target) as tmp:
        document.write_pdf(tmp, pdf_variant="pdf/x-4", pdf_identifier=identifier.encode())
        finish(tmp)


def finish(path: Path) -> None:
    """What WeasyPrint cannot be told, done on its file with pikepdf:

    - ink: WeasyPrint draws its own crop marks (and any SVG) in DeviceRGB, which a PDF/X
      file with a CMYK output intent must not use: black ink instead (ink.py);
    - boxes: WeasyPrint puts the BleedBox at most 10 pt outside the trim, wherever the
      media ends; it is set to exactly the bleed, with the crop marks outside it;
    - the output condition is named after the profile instead of its file URL (which
      would put this machine's path into the file).
    """
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        ink.to_black_ink(pdf)
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            page.BleedBox = pikepdf.Array([trim[0] - BLEED_PT, trim[1] - BLEED_PT,
                                           trim[2] + BLEED_PT, trim[3] + BLEED_PT])
        name = profile_name(cmyk_profile())
        for intent in pdf.Root.get("/OutputIntents", []):
            intent.OutputConditionIdentifier = pikepdf.String("Custom")
            intent.OutputCondition = pikepdf.String(name)
            intent.Info = pikepdf.String(name)
        pdf.save(path, deterministic_id=True, compress_streams=True)


