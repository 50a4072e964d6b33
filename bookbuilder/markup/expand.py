"""Expand what the passes left as data into markup, for one output format.

The enrichment passes only compute: a transliteration note is a term and its romanisation,
a figure is a placeholder ``<figure data-figure>`` with a number and a data table. Here the
renderers' side turns them into markup through the templates and draws the charts
(charts.py), for the format being written: a PDF-only build never draws EPUB charts, and
``check`` draws nothing.
"""

from __future__ import annotations

import copy

from lxml import html
from markupsafe import Markup

from bookbuilder.markup.charts import draw, image_name
from bookbuilder.core.model import Book
from bookbuilder.words import words

# generated notes and the template that sets each kind's words
NOTE_TEMPLATES = {"translit": "shared/translit-note.html.j2"}
# how each output draws its charts: print keeps text as text, the EPUB outlines it
CHART_TEXT = {"print": "text", "epub": "path"}


def expand_notes(book: Book, env) -> None:
    """Give every generated note its content (once: the same words in every format)."""
    for division in book.divisions:
        for note in division.notes:
            if note.content is None and note.kind in NOTE_TEMPLATES:
                markup = env.get_template(NOTE_TEMPLATES[note.kind]).render(**note.data)
                note.content = html.fragment_fromstring(markup, create_parent="div")


def chart_files(book: Book, output: str) -> dict[str, tuple]:
    """figure id -> (the drawn chart for ``output``, a file in the cache; the src its documents use)."""
    charts = {}
    for figure in book.figures:
        path = draw(figure, CHART_TEXT[output])
        charts[figure.id] = (path, image_name(figure.id, path, output))
    return charts


def expand_figures(body, book: Book, env, charts: dict) -> None:
    """Replace each figure placeholder in ``body`` (a copy of a division's body) by the
    figure template; the placeholder's note reference moves into the caption."""
    by_id = {figure.id: figure for figure in book.figures}
    template = env.get_template("shared/figure.html.j2")
    for slot in list(body.iter("figure")):
        figure = by_id.get(slot.get("data-figure"))
        if figure is None:
            continue
        refs = [html.tostring(_without_tail(ref), encoding="unicode") for ref in slot]
        # the figure, then its data table (a sibling: a caption must be a figure's last child)
        replace_slot(slot, template.render(f=figure, image=charts[figure.id][1],
                                           noteref=Markup("".join(refs)), words=words(book.config.language)))


def replace_slot(slot, markup: str) -> None:
    """Put the elements of ``markup`` where the placeholder ``slot`` stands, keeping the text after it."""
    first, *after = html.fragments_fromstring(markup.strip())
    (after[-1] if after else first).tail = slot.tail
    slot.getparent().replace(slot, first)
    for el in reversed(after):
        first.addnext(el)


def _without_tail(el):
    el = copy.deepcopy(el)
    el.tail = None
    return el
