"""The author's own images: ``![Caption](images/photo.png){alt="…" credit="Photo: …"}``.

Only files inside the book folder are used (PNG, JPEG, SVG, WebP). An image path that
leaves the book folder, or any URL (``http:``, ``data:``...), is refused with a warning
and never read; a missing file or an unknown kind is a warning too. Either way the build
goes on: the image becomes a visible placeholder, and a lone image keeps its caption.

A lone image (Pandoc makes a ``<figure>`` of it) becomes a numbered figure, numbered with
the charts of its chapter in reading order ("Figure 3.2"), listed in the List of Figures,
with its credit printed under it and on the copyright page. An image inside a sentence
stays inline. This pass only computes: the placeholder ``<figure data-image>`` and the
inline ``<img data-image>`` are expanded, and the files scaled, by the renderers
(bookbuilder/imagefiles.py).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

from bookbuilder import ids
from bookbuilder.core.model import inner_html

log = logging.getLogger("bookbuilder")

# the width Pandoc writes for ``{width=…}`` (``style="width:50.0%"``), in the units it allows
WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?)\s*(%|in|cm|mm|pt|px)\s*(?:;|$)")
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
FILE_ATTR = "data-image-file"     # set on an <img> whose file was checked and may be used


@dataclass
class Image:
    id: str
    file: Path                # the image file, inside the book folder
    source: Path              # the chapter file naming it
    alt: str
    caption_html: str = ""    # a figure's caption (inline images have none)
    credit: str = ""
    number: str = ""          # "3.2" for a figure in a chapter; "" inline or outside chapters
    figure: bool = False
    width: tuple[float, str] | None = None    # the author's {width=…}: (50.0, "%"), (3.0, "in")

    @property
    def element_id(self) -> str:
        return self.id

    @property
    def title_html(self) -> str:
        """What the List of Figures shows (like a chart's title: no closing full stop)."""
        title = self.caption_html or self.alt
        return title[:-1] if title.endswith(".") else title

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file.suffix.lower()]


@dataclass
class Verdict:
    path: Path | None        # the file to use, when allowed and present
    problem: str = ""        # why not, for the warning and the placeholder


def judge(src: str, source: Path, book_dir: Path) -> Verdict:
    """Whether an image reference may be used: a file inside the book folder, present, of a known kind."""
    parts = urlsplit(src or "")
    if parts.scheme or parts.netloc or (src or "").startswith("//"):
        return Verdict(None, f"'{_short(src)}' is not a file in the book folder; images are never fetched")
    relative = unquote(parts.path)
    if not relative:
        return Verdict(None, "the image has no file name")
    book = book_dir.resolve()
    # a path is read relative to the book folder (as the README shows: images/photo.png)
    candidate = Path(relative).resolve() if relative.startswith("/") else (book / relative).resolve()
    if not candidate.is_relative_to(book):
        return Verdict(None, f"'{_short(src)}' is outside the book folder")
    if candidate.suffix.lower() not in MEDIA_TYPES:
        return Verdict(None, f"'{_short(src)}' is not a PNG, JPEG, SVG or WebP file")
    if not candidate.is_file():
        return Verdict(None, f"image file '{_short(src)}' not found")
    if not _readable(candidate):
        return Verdict(None, f"'{_short(src)}' is not a readable {candidate.suffix[1:].upper()} image")
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


# ------------------------------------------------------------------ when a file is read

def police_images(body, source: Path, book_dir: Path, missing_words: str) -> None:
    """Mark every usable image with its file; replace the others by a visible placeholder, with a warning."""
    lines = _lines(source)
    for img in list(body.iter("img")):
        verdict = judge(img.get("src", ""), source, book_dir)
        if verdict.path is not None:
            img.set(FILE_ATTR, str(verdict.path))
            continue
        line = _line_of(lines, img.get("src", ""))
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


# ------------------------------------------------------------------ the pass

def place_images(book) -> None:
    """Turn each lone image into a figure placeholder and number the figures of every
    chapter, charts and images together, in reading order. Runs after place_figures."""
    charts = {figure.id: figure for figure in book.figures}
    book.images = []
    for division in book.divisions:
        n = 0
        for img in list(division.body.iter("img")):
            if not img.get(FILE_ATTR):
                continue
            n += 1
            image = _image(img, ids.image(division.id, n), division.source)
            holder = img.getparent()
            if holder.tag == "figure" and not holder.get("data-figure"):
                image.figure = True
                image.caption_html = _caption(holder)
                image.width = _width(img, division.source)
                placeholder = html.Element("figure", {"data-image": image.id, "id": image.id})
                placeholder.tail = holder.tail
                holder.getparent().replace(holder, placeholder)
            else:
                for name in list(img.attrib):
                    if name not in ("alt",):
                        del img.attrib[name]
                img.set("data-image", image.id)
            book.images.append(image)
        if division.kind == "chapter":
            _number(division, charts, {i.id: i for i in book.images})


def _image(img, image_id: str, source: Path) -> Image:
    alt = " ".join((img.get("alt") or "").split())
    return Image(image_id, Path(img.get(FILE_ATTR)), source, alt,
                 credit=" ".join((img.get("data-credit") or "").split()))


def _width(img, source: Path) -> tuple[float, str] | None:
    """The width the author gave a figure's image (``{width=50%}``, ``{width=3in}``,
    ``{width=300}`` in pixels); one not understood is a warning, and the image keeps its
    natural size."""
    style = img.get("style") or ""
    if "width" not in style:               # {width=300}: Pandoc writes pixels as an attribute
        plain = img.get("width") or ""
        return (float(plain), "px") if plain.isdigit() and int(plain) > 0 else None
    found = WIDTH.search(style)
    if found and float(found.group(1)) > 0:
        return float(found.group(1)), found.group(2)
    line = _line_of(_lines(source), img.get("src") or "")
    log.warning(f"{source}:{line or 1}: image width in '{_short(style)}' not understood "
                "(a number with %, in, cm, mm, pt or px): the image keeps its natural size")
    return None


def _caption(figure) -> str:
    caption = figure.find("figcaption")
    return inner_html(caption).strip() if caption is not None else ""


def _number(division, charts: dict, images: dict) -> None:
    """"Figure 3.1", "Figure 3.2"...: charts and image figures of a chapter in reading order."""
    n = 0
    for slot in division.body.iter("figure"):
        item = charts.get(slot.get("data-figure")) or images.get(slot.get("data-image"))
        if item is not None:
            n += 1
            item.number = f"{division.number}.{n}"
    for image in images.values():
        if image.figure and not image.alt:
            image.alt = html.fromstring(f"<span>{image.caption_html}</span>").text_content().strip()


def credits(book) -> list[tuple[str, str]]:
    """(figure number or "", credit) for the copyright page, in reading order."""
    return [(image.number, image.credit) for image in book.images if image.credit]


# ------------------------------------------------------------------ helpers

def _line_of(lines: list[str], src: str) -> int | None:
    """The line of the Markdown image naming ``src`` (a bare mention elsewhere comes second)."""
    for needle in (f"]({src}", f"](<{src}>", src):
        for n, text in enumerate(lines, 1):
            if needle and needle in text:
                return n
    return None


def _lines(source: Path) -> list[str]:
    try:
        return source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "")
    return text if len(text) <= 60 else text[:57] + "..."
