"""The register of names: the people of russian-terms.yaml, when their names get no note, and
those of people.yaml, who have no Russian name.

A history publisher keeps the footnotes for what the reader must learn (troika, kulak,
Yezhovshchina) and gathers the people in a back-matter register: surname first, the
Russian in Cyrillic, its romanisation, life dates, one line on who they were, and the pages
where they are named. Like the glossary, every occurrence in the chapters is marked with an
id, so the layout gives the pages (print) and the EPUB links back to each chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bookbuilder import ids
from bookbuilder.passes.glossary import Use
from bookbuilder.passes.matching import compile_forms, element, normalise, replace_matches
from bookbuilder.core.model import Book
from bookbuilder.source.term_data import RussianTerm
from bookbuilder.passes.translit_notes import NOTED_KINDS


@dataclass
class RegisterEntry:
    term: RussianTerm
    id: str
    romanised: str
    uses: list = field(default_factory=list)       # glossary.Use: one per occurrence

    @property
    def inverted(self) -> str:
        """"Stalin, Joseph": the surname (the last word) first, as a register is read."""
        *given, surname = self.term.english.split()
        return f"{surname}, {' '.join(given)}" if given else surname

    @property
    def sort_key(self) -> tuple[str, str]:
        return normalise(self.inverted).casefold(), self.term.id


def register_entries(book: Book) -> list[RegisterEntry]:
    """The people whose names the chosen transliteration notes leave out."""
    if "name" in NOTED_KINDS[book.config.transliteration_notes]:
        return []
    named = [t for t in book.terms if t.kind == "name"] + book.people
    return [RegisterEntry(t, ids.register_entry(t.id), book.scheme.romanise(t.cyrillic) if t.cyrillic else "")
            for t in named]


def mark_register_uses(book: Book) -> list[RegisterEntry]:
    """Mark every occurrence of a registered name in the chapters; the entries named at
    least once, in register order."""
    entries = register_entries(book)
    by_form = {normalise(form): entry for entry in entries for form in entry.term.match}
    pattern = compile_forms(by_form)
    if pattern is None:
        return []
    for division in book.chapters:
        def mark(match, _el, division=division):
            entry = by_form.get(normalise(match.group(0)))
            if entry is None:
                return None
            in_chapter = sum(u.division_id == division.id for u in entry.uses)
            use_id = ids.register_use(division.id, entry.term.id, in_chapter + 1)
            # the first use in a chapter is the one the EPUB links back to
            entry.uses.append(Use(use_id, division.id, in_chapter == 0))
            return [element("span", match.group(0), class_="name-use", id=use_id)]
        replace_matches(division.body, pattern, mark)
    return sorted((e for e in entries if e.uses), key=lambda e: e.sort_key)
