"""Cross-references in Quarto's syntax: ``@fig-timeline``, ``@sec-moscow-trials``.

The Lua filter Pandoc runs (bookbuilder/filters/crossrefs.lua) has left each as
``<span class="xref" data-xref="fig-timeline">``. This pass resolves it, after the figures
and headings are numbered, to what it names:

- ``fig-<id>``: a chart (``id:`` in figures/*.yaml) or the author's image (``{#fig-plan}``);
- ``sec-<division id>``: a chapter (or any division); ``sec-…`` on a heading: a section.

It writes on the span what the renderers need (the target's element id, kind, number or
title, whether the target comes before the reference, whether the edition holds it) and
gives the span an id of its own, so that the layout's page map knows the reference's page as
well as the target's: the print words ("on the facing page", "(p. 24)") come from both
(markup/crossrefs.py). An id that names nothing is a warning with file and line, printed
``??``; a packet names the chapter of a target it does not hold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bookbuilder import ids
from bookbuilder.core.model import Book
from bookbuilder.passes.citations import Unknown
from bookbuilder.source.lines import source_lines

log = logging.getLogger("bookbuilder")


@dataclass(frozen=True)
class Target:
    label: str          # fig-timeline, sec-moscow-trials
    element_id: str     # where it stands
    kind: str           # figure, chapter, section, division
    number: str         # "7.1", "7", "" (a section, front or back matter)
    title: str          # a section's or division's title
    chapter: str        # the number of the chapter holding it ("" outside chapters)
    division_id: str = ""   # the division holding it (a packet's web page links to it in the whole book)


def xrefs_of(root):
    return [el for el in root.iter("span") if "xref" in (el.get("class") or "").split() and el.get("data-xref")]


def targets(book: Book) -> dict[str, Target]:
    """Every cross-reference target of the model, by label."""
    found: dict[str, Target] = {}
    by_source = {d.source.resolve(): d for d in book.chapters}
    for figure in book.figures:
        division = by_source.get(figure.chapter.resolve())
        number = str(division.number) if division and division.number else ""
        found[f"fig-{figure.id}"] = Target(f"fig-{figure.id}", figure.element_id, "figure", figure.number,
                                           figure.title, number, division.id if division else "")
    for division in book.divisions:
        chapter = str(division.number or "")
        found[f"sec-{division.id}"] = Target(f"sec-{division.id}", division.id,
                                             "chapter" if division.number else "division",
                                             chapter, division.title, chapter, division.id)
        for heading in division.body.iter("h2", "h3", "h4", "h5", "h6"):
            label = ids.section_label(heading.get("id") or "", division.id)
            if label.startswith("sec-"):
                found[label] = Target(label, heading.get("id"), "section", "", heading.text_content().strip(),
                                      chapter, division.id)
    for image in book.images:
        if image.label.startswith("fig-") and image.number:
            division = next((d for d in book.divisions if image.id.startswith(f"{d.id}-")), None)
            found[image.label] = Target(image.label, image.id, "figure", image.number, image.title_html,
                                        str(division.number or "") if division else "",
                                        division.id if division else "")
    return found


def resolve_crossrefs(book: Book, whole_book_targets=None) -> None:
    """Resolve every cross-reference of the model; ``whole_book_targets``: a callable giving the
    targets of the whole book, for a packet's references to chapters it does not hold."""
    found = targets(book)
    spans = []
    for division in book.divisions:
        for n, span in enumerate((s for root in _roots(division) for s in xrefs_of(root)), 1):
            span.set("id", ids.crossref(division.id, n))
            spans.append((division, span))
    order = {el.get("id"): n for n, el in enumerate(
        el for division in book.divisions for root in _roots(division) for el in root.iter()
        if isinstance(el.tag, str) and el.get("id"))}
    book.unknown_crossrefs = []
    elsewhere = None
    for division, span in spans:
        label = span.get("data-xref")
        target, held = found.get(label), True
        if target is None and whole_book_targets is not None and book.selection is not None \
                and not book.selection.whole_book:
            elsewhere = whole_book_targets() if elsewhere is None else elsewhere
            target, held = elsewhere.get(label), False
        if target is None:
            span.set("data-kind", "unknown")
            _warn_unknown(book, division, span.get("data-written") or label)
            continue
        span.set("data-target", target.element_id)
        span.set("data-kind", target.kind)
        span.set("data-number", target.number)
        span.set("data-title", target.title)
        span.set("data-chapter", target.chapter)
        if not held:
            span.set("data-held", "0")
            span.set("data-division", target.division_id)
        else:
            before = order.get(target.element_id, 0) < order.get(span.get("id"), 0)
            span.set("data-order", "before" if before else "after")


def _roots(division):
    return [division.body] + [note.content for note in division.notes if note.content is not None]


def _warn_unknown(book: Book, division, written: str) -> None:
    lines = source_lines(division.source)
    line = next((i for i, text in enumerate(lines, 1) if f"@{written}" in text), None)
    unknown = Unknown(division.source, line, written)
    if unknown in book.unknown_crossrefs:
        return
    book.unknown_crossrefs.append(unknown)
    where = f"{division.source}:{line}" if line else str(division.source)
    log.warning(f"{where}: cross-reference to an unknown id '{written}': printed as '??' "
                "(a chart's id: in figures/*.yaml as fig-<id>, an image's or heading's {#fig-…} or {#sec-…}, "
                "or sec-<a chapter's id>)")


def whole_book_targets(book_dir) -> dict[str, Target]:
    """The targets of the whole book, for a packet naming what it does not hold: the book read
    (Pandoc's HTML is remembered) and its figures and images numbered, its warnings unsaid
    (the book's own build says them)."""
    from bookbuilder.passes.author_images import place_images
    from bookbuilder.passes.figures import place_figures
    from bookbuilder.source.manuscript import read_book
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        whole = read_book(book_dir)
        place_figures(whole)
        place_images(whole)
    finally:
        log.setLevel(level)
    return targets(whole)
