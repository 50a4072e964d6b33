"""``draft_apparatus``: an imported article's transliteration notes, register, glossary and
index drafted from the term base and from its own text (issue 23), as data files an editor
reviews (importer/drafted_files.py says how they are written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bookbuilder.importer.draft_index import draft_index
from bookbuilder.importer.draft_terms import draft_glossary, draft_people, draft_russian_terms
from bookbuilder.importer.drafted_files import write_drafted
from bookbuilder.importer.plain_text import Passage
from bookbuilder.importer.term_base_hits import find_hits
from bookbuilder.importer.text_names import find_names
from bookbuilder.source.term_base import TermBase, load_term_base


@dataclass
class Drafted:
    notes: int = 0          # russian-terms.yaml entries: terms (notes) and people (register)
    people: int = 0
    glossary: int = 0
    index: int = 0

    def summary(self) -> str:
        return (f"drafted {self.notes - self.people} Russian term(s), {self.people} name(s) for the register, "
                f"{self.glossary} glossary entries and {self.index} index entries")


def draft_apparatus(book_dir: Path, passages: list[Passage], warn, base: TermBase | None = None) -> Drafted:
    base = base or load_term_base()
    hits = find_hits(passages, base)
    given = {p.forms[0].split()[0] for p in base.people if len(p.forms[0].split()) > 1}
    names = find_names(passages, given)
    terms = draft_russian_terms(hits)
    people = draft_people(hits)
    drafted = Drafted(people=sum(t["kind"] == "name" for t in terms) + len(people))
    drafted.notes = write_drafted(book_dir, "russian-terms.yaml", terms, warn)
    drafted.notes += write_drafted(book_dir, "people.yaml", people, warn)
    drafted.glossary = write_drafted(book_dir, "glossary.yaml", draft_glossary(hits), warn)
    drafted.index = write_drafted(book_dir, "index.yaml", draft_index(hits, names, passages), warn)
    return drafted
