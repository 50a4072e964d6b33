"""The author's own images: ``![Caption](images/photo.png){alt="…" credit="Photo: …"}``.

Which files may be used was decided as the manuscript was read (source/image_refs.py).

A lone image (Pandoc makes a ``<figure>`` of it) becomes a numbered figure, numbered with
the charts of its chapter in reading order ("Figure 3.2"), listed in the List of Figures,
with its credit printed under it and on the copyright page. An image inside a sentence
stays inline. This pass only computes: the placeholder ``<figure data-image>`` and the
inline ``<img data-image>`` are expanded, and the files scaled, by the renderers
(markup/image_prep.py).

A caption is the author's text, read and marked like the rest: its index terms, glossary
terms, names and notes. It stays in the tree, inside the placeholder, so that everything
that walks the tree after this pass (notes numbered, ids given their EPUB file, the page
map) sees it where the figure stands; the List of Figures repeats its words without the marks.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html

from bookbuilder import ids
from bookbuilder.core.model import drop_keeping_tail, inner_html
from bookbuilder.source.image_refs import FILE_ATTR, MEDIA_TYPES, line_of_image, shorten
from bookbuilder.source.lines import source_lines

log = logging.getLogger("bookbuilder")

# the width Pandoc writes for ``{width=…}`` (``style="width:50.0%"``), in the units it allows
WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?)\s*(%|in|cm|mm|pt|px)\s*(?:;|$)")


@dataclass
class Image:
    id: str
    file: Path                # the image file, inside the book folder
    source: Path              # the chapter file naming it
    alt: str
    listed_html: str = ""     # a figure's caption as the List of Figures shows it: no marks,
                              # note calls or ids (the marked caption is in the placeholder)
    credit: str = ""
    number: str = ""          # "3.2" for a figure in a chapter; "" inline or outside chapters
    figure: bool = False
    width: tuple[float, str] | None = None    # the author's {width=…}: (50.0, "%"), (3.0, "in")
    label: str = ""           # the author's id, {#fig-plan}: what a cross-reference names

    @property
    def element_id(self) -> str:
        return self.id

    @property
    def title_html(self) -> str:
        """What the List of Figures shows (like a chart's title: no closing full stop)."""
        title = self.listed_html or self.alt
        return title[:-1] if title.endswith(".") else title

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file.suffix.lower()]


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
                image.width = _width(img, division.source)
                if holder.get("id"):
                    image.label = ids.section_label(holder.get("id"), division.id)
                placeholder = html.Element("figure", {"data-image": image.id, "id": image.id})
                caption = holder.find("figcaption")
                if caption is not None:
                    image.listed_html = _unmarked(caption)
                    caption.tail = None
                    placeholder.append(caption)
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
    line = line_of_image(source_lines(source), img.get("src") or "")
    log.warning(f"{source}:{line or 1}: image width in '{shorten(style)}' not understood "
                "(a number with %, in, cm, mm, pt or px): the image keeps its natural size")
    return None


def _unmarked(caption) -> str:
    """The caption's words for the List of Figures: a second copy of an index mark, a glossary
    link or a note call would be a second anchor with the same id (the index would cite the
    list's page) and a link inside the list's own link; language spans are kept."""
    words = copy.deepcopy(caption)
    for el in list(words.iterdescendants()):
        if el.tag == "a" and "noteref" in (el.get("class") or "").split():
            drop_keeping_tail(el)
        elif el.tag == "a" or el.get("id"):
            el.drop_tag()
    return inner_html(words).strip()


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
            image.alt = html.fromstring(f"<span>{image.listed_html}</span>").text_content().strip()


def credits(book) -> list[tuple[str, str]]:
    """(figure number or "", credit) for the copyright page, in reading order."""
    return [(image.number, image.credit) for image in book.images if image.credit]




