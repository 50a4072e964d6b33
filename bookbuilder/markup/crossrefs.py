"""Cross-references written out for the output at hand (the pass, passes/crossrefs.py, has
resolved each ``<span class="xref">`` to its target).

- EPUB (and any HTML output): "Figure 7.1", linked to the figure; ``[-@fig-…]`` the number alone.
- Print: "Figure 7.1 (p. 24)", or the way LaTeX's varioref says it when the target is near:
  "above"/"below" (the same page), "on the facing page" (the other page of the spread),
  "overleaf" (the back of this leaf, after it), "on the preceding page" (the back of this leaf,
  before it). The pages come from the page map the build hands in (the layout's feedback, as
  for the index: layout/parts.py lays a chapter holding references out again until the words
  it prints are those of the whole book). Page index 0 of an edition is a recto.
- A packet's reference to a chapter it does not hold: "(in chapter 7 of *Title*)".
- An unknown id: "??".

The words are the book's (templates/words/<lang>.yaml), the markup the template's
(shared/xref.html.j2).
"""

from __future__ import annotations

from lxml import html

from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.markup.templates import common_context, environment
from bookbuilder.passes.crossrefs import xrefs_of
from bookbuilder.words import words


def page_words(page_map: PageMap, reference_id: str, target_id: str, before: bool, text: dict) -> str:
    """Where the target is, seen from the reference's page (varioref's rule)."""
    here, there = page_map.page_of.get(reference_id), page_map.page_of.get(target_id)
    if here is None or there is None:
        return text["page"].format(page="??")
    if there == here:
        return text["above" if before else "below"]
    recto = here % 2 == 0
    if (not recto and there == here + 1) or (recto and here > 0 and there == here - 1):
        return text["facing"]
    if recto and there == here + 1:
        return text["overleaf"]
    if not recto and there == here - 1:
        return text["preceding"]
    return text["page"].format(page=page_map.folios[there])


def expand_crossrefs(root, book: Book, page_map: PageMap | None = None, href=None, elsewhere_href=None) -> None:
    """Each cross-reference under ``root`` written out: in print with page words from
    ``page_map``; linked through ``href`` (element id -> link) when given; in a packet, a
    target it does not hold linked through ``elsewhere_href`` ((division id, element id) ->
    link into the whole book) when given."""
    spans = xrefs_of(root)
    if not spans:
        return
    text = words(book.config.language)["xref"]
    template = environment().get_template("shared/xref.html.j2")
    context = common_context(book)
    for span in spans:
        kind = span.get("data-kind")
        target = span.get("data-target")
        if kind in (None, "unknown") or not target:
            label, link, where, elsewhere = text["unknown"], None, "", ""
        else:
            number, title = span.get("data-number") or "", span.get("data-title") or ""
            if span.get("data-bare") and number:
                label = number
            else:
                label = text[kind].format(number=number, title=title)
            if span.get("data-capital"):
                label = label[:1].upper() + label[1:]
            held = span.get("data-held") != "0"
            link = href(target) if href and held else None
            if not held and elsewhere_href and span.get("data-division"):
                link = elsewhere_href(span.get("data-division"), target)
            where = page_words(page_map, span.get("id"), target, span.get("data-order") == "before", text) \
                if page_map is not None and held and not span.get("data-bare") else ""
            elsewhere = "" if held else (span.get("data-chapter") or "?")
        rendered = template.render(label=label, href=link, where=where, elsewhere=elsewhere, kind=kind,
                                   **context).strip()
        fragment = html.fragment_fromstring(f"<span>{rendered}</span>")
        for name in [n for n in span.attrib if n.startswith("data-")]:
            del span.attrib[name]
        tail, span_id = span.tail, span.get("id")
        span.clear()
        span.set("class", "xref")
        if span_id:
            span.set("id", span_id)
        span.text = fragment.text
        for child in fragment:
            span.append(child)
        span.tail = tail
