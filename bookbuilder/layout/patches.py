"""Patches to WeasyPrint: the one module that changes its behaviour from outside.

Each patch wraps one private function of WeasyPrint 70, once, and says whether it took.
If a release renames or reshapes what is wrapped, the patch is not applied, a warning says
so once, and the PDF is written as WeasyPrint writes it (the fallback: the unpatched
output, never a crash). tests/test_engine_doors.py and tests/test_editions.py hold a test per patch that fails when an
upgrade changes what it patches.

- ``tag_languages``: WeasyPrint tags the structure (PDF/UA) but writes /Lang only for the
  document; the structure element of a Russian span gets /Lang (ru).
- ``compact_page_streams``: WeasyPrint keeps every drawing operation of every page as its
  own small object until the PDF is written (250 MB for a 450-page book); each page's are
  joined once it is painted, the bytes written the same.
- ``pin_xmp_ids``: WeasyPrint's PDF/X metadata stamps ``xmpMM:DocumentID`` from uuid4; one
  document's (the cover's) is given ids of ours, so two builds give the same bytes.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

from bookbuilder.layout import boxes

log = logging.getLogger("bookbuilder")

_warned: set[str] = set()


def apply() -> dict[str, bool]:
    """Apply every patch (once a process); which of them took."""
    taken = {"tag_languages": tag_languages(), "compact_page_streams": compact_page_streams()}
    for name, took in taken.items():
        if not took and name not in _warned:
            _warned.add(name)
            log.warning("WeasyPrint patch %s does not fit this WeasyPrint: the PDF is written without it", name)
    return taken

def tag_languages() -> bool:
    """Give each structure element the language of its HTML element (/Lang (ru)).

    WeasyPrint 70 tags the structure but writes /Lang only for the document. Its tag
    builder is wrapped, once, to copy an element's lang attribute onto the element it makes;
    if a WeasyPrint release renames that builder, the PDF is still written, untagged by
    language, and this returns False.
    """
    import pydyf
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        return False
    if getattr(build, "with_languages", False):
        return True

    def build_with_languages(box, parent, pdf, *args):
        lang = boxes.language_of(box)
        for struct in build(box, parent, pdf, *args):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    build_with_languages.with_languages = True
    tags._build_box_tree = build_with_languages
    return True


def compact_page_streams() -> bool:
    """Join each page's drawing operations into one string once the page is painted.

    WeasyPrint 70 keeps every operation of every page (and of every form drawn on it) as
    its own small object until the whole PDF is written: for a 450-page book, about
    250 MB more than the layout. Its page painter is wrapped, once, to join the
    operations of the streams made while painting a page, in the order and with the
    separator its writer uses, so the bytes written are the same. If a release renames
    what is wrapped, the PDF is written as before, and this returns False.
    """
    import pydyf
    from weasyprint import document
    from weasyprint.pdf import stream

    paint = getattr(document.Page, "paint", None)
    make = getattr(getattr(stream, "Stream", None), "__init__", None)
    as_bytes = getattr(pydyf, "_to_bytes", None)
    if paint is None or make is None or as_bytes is None:
        return False
    if getattr(paint, "compacting", False):
        return True
    made = []

    def make_recorded(self, *args, **kwargs):
        make(self, *args, **kwargs)
        made.append(self)

    def paint_compacting(self, target, *args, **kwargs):
        result = paint(self, target, *args, **kwargs)
        for painted in made:
            if isinstance(painted.stream, list) and len(painted.stream) > 1:
                painted.stream = [b"\n".join(as_bytes(item) for item in painted.stream)]
        made.clear()
        return result

    paint_compacting.compacting = True
    stream.Stream.__init__ = make_recorded
    document.Page.paint = paint_compacting
    return True


XMP_MM = "http://ns.adobe.com/xap/1.0/mm/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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
