"""Glossary pass: mark every use of a glossary term in the chapters.

The first use of a term in each chapter becomes a link to its entry (a subtle cue in
print, a glossref in the EPUB); every use carries an id, so the layout can tell on which
pages the term is used and the EPUB can link back to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookbuilder.passes.matching import compile_forms, element, normalise, replace_matches
from bookbuilder import ids
from bookbuilder.core.model import Book


@dataclass
class Use:
    id: str
    division_id: str
    linked: bool        # the first use in its chapter: a visible link to the entry


def mark_glossary_uses(book: Book) -> None:
    if not book.glossary:
        return
    by_form = {normalise(form): entry for entry in book.glossary for form in entry.match}
    pattern = compile_forms(by_form)
    for entry in book.glossary:
        entry.uses = []
    for division in book.chapters:
        linked: set[str] = set()

        def mark(match, _el, division=division, linked=linked):
            entry = by_form.get(normalise(match.group(0)))
            if entry is None:
                return None
            in_chapter = sum(u.division_id == division.id for u in entry.uses) + 1
            use_id = ids.glossary_use(division.id, entry.id, in_chapter)
            first = entry.id not in linked
            linked.add(entry.id)
            entry.uses.append(Use(use_id, division.id, first))
            if first:
                return [element("a", match.group(0), class_="glossterm", id=use_id, href=f"#{entry.id}")]
            return [element("span", match.group(0), class_="gloss-use", id=use_id)]

        replace_matches(division.body, pattern, mark)
