"""The author's images for one output: scaled (Pillow), cleaned, cached, and expanded
into the templates. A renderer: called when an output needs the files.

Rule (README, "The author's images"): a raster is scaled down (never up) to fit
- print: the text block of the book's trim at 300 dpi (6x9: 1365 x 2235 px);
- EPUB: 1600 px on its longer side (under the 4-megapixel limit of common e-readers);
a raster already small enough is used byte for byte. WebP goes into the EPUB as PNG.
The print edition (PDF/X-4, black ink only) turns them grey on its way to the press (ink.py).
An SVG is copied without scripts, event handlers, foreign objects or references to
other files (it could otherwise make a reading system fetch them).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from lxml import etree

from bookbuilder.core.model import inner_html
from bookbuilder.core.paper import text_block
from bookbuilder import cache
from bookbuilder import ids
from bookbuilder.passes.author_images import Image
from bookbuilder.markup.expand import replace_slot
from bookbuilder.words import words

log = logging.getLogger("bookbuilder")

PRINT_DPI = 300
EPUB_MAX_PX = 1600
RULE_VERSION = "2"            # bump when the scaling rule changes, to refresh the cache
EPUB_FOLDER = "images"        # where the EPUB keeps them (beside the chapters)
SVG_DROP = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "handler", "listener"}


def image_files(book, output: str) -> dict[str, tuple[Path, str]]:
    """image id -> (file in the cache, the src the output's documents use)."""
    limit = _limit(book, output)
    files = {}
    for image in book.images:
        path = prepared(image, output, limit)
        # in the EPUB, named by its bytes: the EPUB's bytes follow the image, not the code keying the cache
        src = path.as_uri() if output == "print" else f"{EPUB_FOLDER}/{_epub_name(image, path)}"
        files[image.id] = (path, src)
    return files


def _epub_name(image: Image, path: Path) -> str:
    return f"{ids.slug(image.file.stem)[:40]}-{cache.file_digest(path)}{path.suffix}"


# an inch in each unit Pandoc may write for an image's width
INCHES = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72, "px": 1 / 96}


def css_width(image: Image, book) -> str:
    """The width the author gave a figure's image, as a share of the measure, so that print
    and EPUB agree: a length is taken against the book's text block (3in of a 4.55in block:
    66%); never wider than the measure."""
    if image.width is None:
        return ""
    value, unit = image.width
    width, _ = text_block(book.config.trim)
    share = value if unit == "%" else 100 * value * INCHES[unit] / width
    return f"{min(100.0, round(share, 1)):g}%"


def media_type(path: Path) -> str:
    return {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml",
            ".webp": "image/webp"}[path.suffix.lower()]


def _limit(book, output: str) -> tuple[int, int]:
    if output == "epub":
        return EPUB_MAX_PX, EPUB_MAX_PX
    width, height = text_block(book.config.trim)
    return round(width * PRINT_DPI), round(height * PRINT_DPI)


def prepared(image: Image, output: str, limit: tuple[int, int]) -> Path:
    """The image scaled and cleaned for ``output``, from the cache when unchanged."""
    suffix = image.file.suffix.lower()
    if output == "epub" and suffix == ".webp":
        suffix = ".png"
    digest = cache.key(cache.file_digest(image.file, 24), limit, RULE_VERSION, output, length=12)
    # a safe file name in every output: "My photo (1).png" -> "my-photo-1-<digest>.png"
    target = cache.path(output, EPUB_FOLDER, f"{ids.slug(image.file.stem)[:40]}-{digest}{suffix}")
    if not target.exists():
        data = image.file.read_bytes()
        made = _clean_svg(data) if suffix == ".svg" else _scaled(data, limit, suffix)
        cache.write_bytes(target, made)
    return target


def _scaled(data: bytes, limit: tuple[int, int], suffix: str) -> bytes:
    """Scale down to fit ``limit`` and write as ``suffix``'s format; a file already fitting, in
    that format, is kept byte for byte."""
    from PIL import Image as Pil

    wanted = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}[suffix]
    with Pil.open(io.BytesIO(data)) as im:
        width, height = im.size
        scale = min(1.0, limit[0] / width, limit[1] / height)
        if scale == 1.0 and im.format == wanted:
            return data
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        im = im.resize(size, Pil.LANCZOS) if scale < 1.0 else im.copy()
    out = io.BytesIO()
    if wanted == "JPEG":
        im.convert("RGB").save(out, "JPEG", quality=88, dpi=(PRINT_DPI, PRINT_DPI))
    elif wanted == "WEBP":
        im.save(out, "WEBP", quality=88, method=4)
    else:
        im.save(out, "PNG", dpi=(PRINT_DPI, PRINT_DPI))
    return out.getvalue()


def _clean_svg(data: bytes) -> bytes:
    """The SVG without anything that runs or loads: scripts, handlers, outside references."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(data, parser)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name in SVG_DROP or (name == "style" and ("url(" in (el.text or "") or "@import" in (el.text or ""))):
            el.getparent().remove(el)
            continue
        outside = [attr for attr in el.attrib if etree.QName(attr).localname == "href"
                   and not (el.get(attr) or "").startswith(("#", "data:image/"))]
        if outside and name in ("image", "use", "feImage"):
            el.getparent().remove(el)           # what it would draw lives in another file
            continue
        for attr in list(el.attrib):
            local = etree.QName(attr).localname
            value = el.get(attr) or ""
            if local.startswith("on") or attr in outside \
                    or ("url(" in value and "url(#" not in value.replace(" ", "")):
                del el.attrib[attr]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def expand_images(body, book, env, files: dict) -> None:
    """Replace each image figure placeholder by the template; point inline images at their file."""
    by_id = {image.id: image for image in book.images}
    template = env.get_template("shared/image-figure.html.j2")
    for slot in list(body.iter("figure")):
        image = by_id.get(slot.get("data-image"))
        if image is None:
            continue
        # the caption as the tree holds it: marked, its note calls numbered (passes/author_images.py)
        caption = slot.find("figcaption")
        replace_slot(slot, template.render(i=image, src=files[image.id][1], width=css_width(image, book),
                                           caption=inner_html(caption).strip() if caption is not None else "",
                                           words=words(book.config.language)))
    for img in body.iter("img"):
        image = by_id.get(img.get("data-image"))
        if image is not None:
            img.set("src", files[image.id][1])
            img.set("class", "inline-image")
            del img.attrib["data-image"]
