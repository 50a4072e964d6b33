"""Footnotes: take Pandoc's endnotes apart into Note objects, and number all notes.

Pandoc writes ``<a class="footnote-ref" href="#ch01-fn1">`` in the text and a
``<section class="footnotes">`` at the end. We keep one neutral form instead: an
``<a class="noteref">`` at the call site and the content in ``division.notes``; the
print renderer turns it into a CSS footnote, the EPUB renderer into an aside.
"""

from __future__ import annotations

from lxml import html

from bookbuilder import ids
from bookbuilder.passes.matching import element
from bookbuilder.core.model import Division, Note, drop_keeping_tail


def noteref(note_id: str) -> html.HtmlElement:
    return element("a", "", class_="noteref", href=f"#{note_id}", id=ids.note_ref(note_id), role="doc-noteref")


def collect_footnotes(division: Division) -> None:
    sections = [s for s in division.body.iter("section") if "footnotes" in (s.get("class") or "").split()]
    for section in sections:
        for item in section.iter("li"):
            note_id = item.get("id")
            ref = _pandoc_ref(division.body, note_id)
            if ref is None:
                continue
            for back in item.findall(".//a[@class='footnote-back']"):
                drop_keeping_tail(back)
            content = html.Element("div")
            if item.text and item.text.strip():
                para = html.Element("p")
                para.text = item.text
                content.append(para)
            content.extend(list(item))
            new_ref = noteref(note_id)
            new_ref.tail = ref.tail
            ref.getparent().replace(ref, new_ref)
            division.notes.append(Note(note_id, "footnote", content))
        section.getparent().remove(section)


def _pandoc_ref(body, note_id: str):
    for a in body.iter("a"):
        if a.get("href") == f"#{note_id}" and "footnote-ref" in (a.get("class") or ""):
            return a
    return None




def note_refs(root):
    """(element, note id) for every note reference under ``root``, in reading order: the
    one way every stage finds them."""
    for ref in root.iter("a"):
        if "noteref" in (ref.get("class") or "").split():
            yield ref, ref.get("href", "")[1:]


def number_notes(division: Division) -> None:
    """Number notes 1, 2, 3… in reading order within the division; order the list to match."""
    by_id = {note.id: note for note in division.notes}
    ordered = []
    for ref, note_id in note_refs(division.body):
        note = by_id.get(note_id)
        if note is not None:
            note.number = len(ordered) + 1
            ref.text = str(note.number)
            ordered.append(note)
    division.notes = ordered
