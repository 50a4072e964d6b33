"""The images a manuscript names, checked as it is read: only files inside the book folder
(PNG, JPEG, SVG, WebP), present and readable, are used. A path leaving the book folder or
any URL (``http:``, ``data:``...) is refused with a warning naming file and line and never
read; a missing file or an unknown kind is a warning too. Either way the build goes on: the
image becomes a visible placeholder, and a lone image keeps its caption. The pass that
numbers the usable ones is passes/author_images.py.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

from bookbuilder.source.lines import line_of, source_lines

log = logging.getLogger("bookbuilder")


MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


FILE_ATTR = "data-image-file"     # set on an <img> whose file was checked and may be used


@dataclass
class Verdict:
    path: Path | None        # the file to use, when allowed and present
    problem: str = ""        # why not, for the warning and the placeholder


def judge(src: str, source: Path, book_dir: Path) -> Verdict:
    """Whether an image reference may be used: a file inside the book folder, present, of a known kind."""
    parts = urlsplit(src or "")
    if parts.scheme or parts.netloc or (src or "").startswith("//"):
        return Verdict(None, f"'{shorten(src)}' is not a file in the book folder; images are never fetched")
    relative = unquote(parts.path)
    if not relative:
        return Verdict(None, "the image has no file name")
    book = book_dir.resolve()
    # a path is read relative to the book folder (as the README shows: images/photo.png)
    candidate = Path(relative).resolve() if relative.startswith("/") else (book / relative).resolve()
    if not candidate.is_relative_to(book):
        return Verdict(None, f"'{shorten(src)}' is outside the book folder")
    if candidate.suffix.lower() not in MEDIA_TYPES:
        return Verdict(None, f"'{shorten(src)}' is not a PNG, JPEG, SVG or WebP file")
    if not candidate.is_file():
        return Verdict(None, f"image file '{shorten(src)}' not found")
    if not _readable(candidate):
        return Verdict(None, f"'{shorten(src)}' is not a readable {candidate.suffix[1:].upper()} image")
    return Verdict(candidate)


def _readable(path: Path) -> bool:
    """The file is what its name says (headers only: cheap), so no renderer trips on it later."""
    try:
        if path.suffix.lower() == ".svg":
            from lxml import etree
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            return etree.QName(etree.parse(str(path), parser).getroot()).localname == "svg"
        from PIL import Image as Pil
        with Pil.open(path) as im:
            im.verify()
        return True
    except Exception:            # any decoder error means the same to the author: not an image
        return False


def police_images(body, source: Path, book_dir: Path, missing_words: str) -> None:
    """Mark every usable image with its file; replace the others by a visible placeholder, with a warning."""
    lines = source_lines(source)
    for img in list(body.iter("img")):
        verdict = judge(img.get("src", ""), source, book_dir)
        if verdict.path is not None:
            img.set(FILE_ATTR, str(verdict.path))
            continue
        line = line_of_image(lines, img.get("src", ""))
        log.warning(f"{source}:{line}: {verdict.problem}" if line else f"{source}: {verdict.problem}")
        _placeholder(img, f"[{missing_words}: {verdict.problem}]")


def _placeholder(img, text: str) -> None:
    """A box where the image would be, saying what is missing (the alt text is kept)."""
    box = html.Element("span", {"class": "image-missing", "role": "img",
                                "aria-label": img.get("alt") or text})
    box.text = text
    box.tail = img.tail
    parent = img.getparent()
    parent.replace(img, box)
    if parent.tag == "figure":           # a lone image: its caption stays, as a plain block
        parent.tag = "div"
        parent.set("class", "image-figure missing")
        for caption in parent.iter("figcaption"):
            caption.tag = "p"
            caption.set("class", "caption")


def line_of_image(lines: list[str], src: str) -> int | None:
    """The line of the Markdown image naming ``src`` (a bare mention elsewhere comes second)."""
    return line_of(lines, f"]({src}", f"](<{src}>", src)


def shorten(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "")
    return text if len(text) <= 60 else text[:57] + "..."
