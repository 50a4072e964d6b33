"""Transliteration notes: at the first occurrence of each Russian term in the body,
a footnote gives the Cyrillic, its romanisation in the book's scheme and a gloss."""

from __future__ import annotations

from dataclasses import dataclass

from bookbuilder import ids
from bookbuilder.passes.matching import compile_forms, normalise, replace_matches
from bookbuilder.core.model import Book, Note
from bookbuilder.passes.notes import noteref


# which kinds of russian-terms.yaml entries get a note, for each `transliteration: notes:` choice;
# people's names left out go to the register of names (register.py)
NOTED_KINDS = {"all": {"term", "name", "place", "organisation"}, "terms": {"term", "place"}, "none": set()}


@dataclass
class Spelling:
    """A conventional English spelling the book keeps, against the scheme's romanisation."""

    english: str
    cyrillic: str
    romanised: str


def add_transliteration_notes(book: Book) -> int:
    """Insert one note per term, at its first occurrence in the chapters. Returns how many."""
    kinds = NOTED_KINDS[book.config.transliteration_notes]
    noted_terms = [term for term in book.terms if term.kind in kinds]
    if not noted_terms:
        return 0
    by_form = {normalise(form): term for term in noted_terms for form in term.match}
    pattern = compile_forms(by_form)
    noted: set[str] = set()
    for division in book.chapters:
        def mark(match, _el, division=division):
            term = by_form.get(normalise(match.group(0)))
            if term is None or term.id in noted:
                return None
            noted.add(term.id)
            note_id = ids.translit_note(division.id, term.id)
            # data only: the renderers set the note's words through a template
            division.notes.append(Note(note_id, "translit", None, data={
                "term": term, "scheme": book.scheme, "romanised": book.scheme.romanise(term.cyrillic)}))
            return [match.group(0), noteref(note_id)]
        replace_matches(division.body, pattern, mark)
    return len(noted)


def kept_spellings(book: Book) -> list[Spelling]:
    """Terms whose English form differs from what the scheme would produce."""
    result = []
    for term in book.terms:
        romanised = book.scheme.romanise(term.cyrillic)
        if normalise(romanised).casefold() != normalise(term.english).casefold():
            result.append(Spelling(term.english, term.cyrillic, romanised))
    return sorted(result, key=lambda s: s.english.casefold())
