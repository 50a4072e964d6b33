"""The author's own images: ``![Caption](images/photo.png)`` in a chapter.

Only files inside the book folder are used (PNG, JPEG, SVG, WebP). An image path that
leaves the book folder, or any URL (``http:``, ``data:``...), is refused with a warning
and never read; a missing or unreadable file is a warning too. Either way the build goes
on: the image becomes a visible placeholder, and a lone image keeps its caption.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

log = logging.getLogger("bookbuilder")

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


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
    candidate = (book / relative).resolve() if not relative.startswith("/") else Path(relative).resolve()
    if not candidate.is_relative_to(book):
        return Verdict(None, f"'{_short(src)}' is outside the book folder")
    if candidate.suffix.lower() not in MEDIA_TYPES:
        return Verdict(None, f"'{_short(src)}' is not a PNG, JPEG, SVG or WebP file")
    if not candidate.is_file():
        return Verdict(None, f"image file '{_short(src)}' not found")
    return Verdict(candidate)


def police_images(body, source: Path, book_dir: Path) -> None:
    """Replace every image that may not be used by a visible placeholder, with a warning."""
    lines = _lines(source)
    for img in list(body.iter("img")):
        verdict = judge(img.get("src", ""), source, book_dir)
        if verdict.path is None:
            line = _line_of(lines, img.get("src", ""))
            log.warning(f"{source}:{line}: {verdict.problem}" if line else f"{source}: {verdict.problem}")
            _placeholder(img, verdict.problem)


def _placeholder(img, problem: str) -> None:
    """A box where the image would be, saying what is missing (the alt text is kept)."""
    box = html.Element("span", {"class": "image-missing", "role": "img",
                                "aria-label": img.get("alt") or "missing image"})
    box.text = f"[Image not included: {problem}]"
    box.tail = img.tail
    parent = img.getparent()
    parent.replace(img, box)
    if parent.tag == "figure":           # a lone image: its caption stays, as a plain block
        parent.tag = "div"
        parent.set("class", "image-figure missing")
        for caption in parent.iter("figcaption"):
            caption.tag = "p"
            caption.set("class", "caption")


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
