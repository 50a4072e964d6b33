"""Figures: charts drawn from numbers declared in book/figures/*.yaml (source/figure_data.py).

This pass only computes: a figure is placed after the paragraph its numbers come from,
numbered by chapter (6.1), given a data table and a source note. The renderers draw its
chart (markup/charts.py) and set it through a template (markup/expand.py).
"""

from __future__ import annotations

from lxml import html

from bookbuilder import ids
from bookbuilder.core.model import Note
from bookbuilder.errors import ConfigError
from bookbuilder.passes.matching import normalise
from bookbuilder.passes.notes import noteref
from bookbuilder.source.figure_data import Figure, data_table


# ------------------------------------------------------------------ placing

def paragraph_after(figure: Figure, body):
    """The block whose text contains the figure's `after` phrase."""
    wanted = normalise(figure.after)
    for el in body.iter("p", "li", "blockquote", "dd"):
        if wanted in normalise(el.text_content()):
            return el.getparent() if el.tag == "li" else el
    raise ConfigError(f"'after: {figure.after}' is not found in {figure.chapter.name}",
                      figure.file, figure.line, hint="quote a phrase from the paragraph the numbers come from")


def place_figures(book) -> None:
    """Mark the place of each figure after the paragraph its numbers come from; number the
    figures by chapter; give each its data table and its source note. The renderers draw
    the charts and expand each placeholder (<figure data-figure>) through a template."""
    by_source = {d.source.resolve(): d for d in book.chapters}
    by_id = {figure.id: figure for figure in book.figures}
    for figure in book.figures:
        division = by_source.get(figure.chapter.resolve())
        if division is None:
            raise ConfigError(f"chapter '{figure.chapter.name}' is not one of the book's chapters",
                              figure.file, figure.line)
        anchor = paragraph_after(figure, division.body)
        while introduces(anchor):           # never between "… four periods:" and its list
            anchor = anchor.getnext()
        figure.note_id = ids.figure_source_note(division.id, figure.id)
        placeholder = html.Element("figure", {"data-figure": figure.id, "id": figure.element_id})
        placeholder.append(noteref(figure.note_id))      # numbered with the chapter's other notes
        anchor.addnext(placeholder)
        placeholder.tail, anchor.tail = anchor.tail, None
    ordered = []
    for division in book.chapters:
        slots = [slot for slot in division.body.iter("figure") if slot.get("data-figure") in by_id]
        for n, slot in enumerate(slots, 1):
            figure = by_id[slot.get("data-figure")]
            figure.number = f"{division.number}.{n}"
            figure.table = data_table(figure, book.config.language)
            content = html.Element("div")
            content.append(html.fragment_fromstring(f"<p>{figure.source_html}</p>"))
            division.notes.append(Note(figure.note_id, "source", content))
            ordered.append(figure)
    book.figures = ordered


INTRODUCED = ("ul", "ol", "blockquote", "dl")


def introduces(block) -> bool:
    """A block ending in ':' followed by the list or quotation it introduces."""
    following = block.getnext()
    while following is not None and following.tag == "figure":
        following = following.getnext()
    return (following is not None and following.tag in INTRODUCED
            and block.text_content().rstrip().endswith(":"))
