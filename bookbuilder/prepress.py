"""The print shop's PDF: the reader's layout as PDF/X-4, with bleed, crop marks and CMYK ink.

The content is laid out by pdf.final_layout exactly as for the reader's PDF; the print
edition differs only by its stylesheet (templates/print/prepress.css.j2) and by what is
done here on the way out:

- an output intent: a CMYK printer profile (ICC, class ``prtr``) from Debian's
  ``libgs-common`` (Ghostscript's profiles), embedded by WeasyPrint through the
  ``@color-profile device-cmyk`` rule of the stylesheet;
- blank pages at the end, so the page count is a multiple of 4 (a printed book is
  bound in folded sheets);
- XMP ids (DocumentID, InstanceID) made from the book's identifier, not from uuid4,
  so the same text gives the same bytes.
"""

from __future__ import annotations

import logging
import os
import xml.etree.ElementTree as ET
from pathlib import Path


from . import cache, ids
from .errors import RenderError
from .model import Book
from .pdf import render
from .editions import print_edition
from .print_profile import BLEED_PT, cmyk_profile  # noqa: F401  (re-exported for tests)
from .render import environment, print_stylesheet

log = logging.getLogger("bookbuilder")

EDITION = "print"
SIGNATURE = 4                       # pages per folded sheet: the page count's multiple
XMP_MM = "http://ns.adobe.com/xap/1.0/mm/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def print_pdf_path(book: Book, out_dir: Path) -> Path:
    return out_dir / f"{book.config.slug}-{EDITION}.pdf"


def write_print_pdf(book: Book, target: Path) -> Path:
    """Write the print edition; returns ``target``."""
    from .pdf import final_layout

    document, _, _ = final_layout(book, print_edition(book.config))
    document = pad_to_signature(book, document)
    meta = book.config
    pin_xmp_ids(document.metadata, ids.xmp_document_id(meta.identifier, EDITION),
                ids.xmp_instance_id(meta.identifier, EDITION, document.metadata.modified or ""))
    write_pdf_x4(document, target, f"{meta.identifier}#{EDITION}")
    return target


def write_pdf_x4(document, target: Path, identifier: str) -> None:
    """PDF/X-4 with the CMYK output intent; fonts embedded and subset (WeasyPrint's default)."""
    with cache.atomic_path(target) as tmp:
        document.write_pdf(tmp, pdf_variant="pdf/x-4", pdf_identifier=identifier.encode())
        finish(tmp)


def finish(path: Path) -> None:
    """What WeasyPrint cannot be told, done on its file with pikepdf:

    - ink: WeasyPrint draws SVG colours (the charts, its own crop marks) as DeviceRGB, which
      a PDF/X file with a CMYK output intent must not use. Our charts are greys, so every
      neutral RGB colour becomes the same shade of black ink (K); any other colour is an error.
    - boxes: WeasyPrint puts the BleedBox at most 10 pt outside the trim, wherever the
      media ends; it is set to exactly the bleed, with the crop marks outside it.
    - links: paper has none, and PDF/X allows no annotation inside the bleed but printer's marks.
    - the output condition is named after the profile instead of its file URL (which
      would put this machine's path into the file).
    """
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        done: set = set()
        for page in pdf.pages:
            page.contents_coalesce()
            _rgb_to_k(page.obj, page.obj.Contents, done)
            _set_bleed_box(page.obj)
            if "/Annots" in page.obj:
                del page.obj.Annots
        _name_output_intent(pdf)
        # deterministic_id: the trailer's second id from the content, never from the clock
        pdf.save(path, deterministic_id=True, compress_streams=True)


def pad_to_signature(book: Book, document):
    """The document with blank pages added at the end up to a multiple of SIGNATURE pages.

    The blank pages are laid out from the same stylesheet (same page size, bleed, marks)
    and joined to the book's pages, so their boxes match the others'."""
    missing = -len(document.pages) % SIGNATURE
    if not missing:
        return document
    source = environment().get_template("print/blank-pages.html.j2").render(
        css=print_stylesheet(book, print_edition(book.config)), count=missing, meta=book.config)
    blank = render(source, book.config.root)     # the restricted fetcher, as for the book
    return document.copy(document.pages + blank.pages)


def pin_xmp_ids(metadata, document_id: str, instance_id: str) -> bool:
    """Make the XMP packet's DocumentID ours and add an InstanceID.

    WeasyPrint 70's PDF/X metadata stamps ``xmpMM:DocumentID`` from uuid4. This is the one
    place that reaches into WeasyPrint for it: the document's metadata object builds the
    RDF in ``generate_rdf_metadata``, which is wrapped here for this document only. If a
    release renames it, the PDF is still written (with a random id) and this returns False;
    tests/test_editions.py notices.
    """
    generate = getattr(metadata, "generate_rdf_metadata", None)
    if generate is None:
        log.warning("WeasyPrint's metadata has no generate_rdf_metadata: XMP ids left random")
        return False

    def generate_with_ids(*args, **kwargs):
        return _with_ids(generate(*args, **kwargs), document_id, instance_id)

    metadata.generate_rdf_metadata = generate_with_ids
    return True


def _with_ids(rdf_xml: bytes, document_id: str, instance_id: str) -> bytes:
    rdf = ET.fromstring(rdf_xml)
    found = rdf.find(f".//{{{XMP_MM}}}DocumentID")
    if found is None:               # WeasyPrint wrote none: give the packet its own description
        description = ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
        found = ET.SubElement(description, f"{{{XMP_MM}}}DocumentID")
    found.text = document_id
    parent = next(p for p in rdf.iter() if found in list(p))
    instance = parent.find(f"{{{XMP_MM}}}InstanceID")
    if instance is None:
        instance = ET.SubElement(parent, f"{{{XMP_MM}}}InstanceID")
    instance.text = instance_id
    return ET.tostring(rdf, encoding="utf-8")


def _rgb_to_k(owner, stream, done: set) -> None:
    """Rewrite a content stream's neutral RGB colours as K, then those of its forms."""
    import pikepdf

    if stream.objgen in done and stream.objgen != (0, 0):
        return
    done.add(stream.objgen)
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op in ("rg", "RG"):
            operands, operator = _as_black_ink(operands, op), pikepdf.Operator("k" if op == "rg" else "K")
        instructions.append((operands, operator))
    stream.write(pikepdf.unparse_content_stream(instructions))
    forms = owner.get("/Resources", {}).get("/XObject", {})
    for form in forms.values():
        if form.get("/Subtype") == "/Form":
            _rgb_to_k(form, form, done)


def _as_black_ink(rgb, op: str) -> list:
    red, green, blue = (float(c) for c in rgb)
    if max(red, green, blue) - min(red, green, blue) > 0.004:
        raise RenderError(f"the print PDF has a colour ({red:g} {green:g} {blue:g} {op}) that is not grey",
                          hint="charts and rules in the print edition must be greys or CMYK")
    return [0, 0, 0, round(1 - red, 4)]


def _set_bleed_box(page) -> None:
    import pikepdf

    trim = [float(v) for v in page.TrimBox]
    bleed = BLEED_PT
    page.BleedBox = pikepdf.Array([trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed])


def _name_output_intent(pdf) -> None:
    import pikepdf
    from PIL import ImageCms

    name = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(cmyk_profile()))).strip()
    for intent in pdf.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String("Custom")
        intent.OutputCondition = pikepdf.String(name)
        intent.Info = pikepdf.String(name)
