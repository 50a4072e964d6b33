"""The drafted russian-terms.yaml and glossary.yaml: the term base's entries an article uses.

A transliteration note belongs to a word the article writes romanised (kulak, NKVD, Lubyanka),
not to one it translates (Red Army, Moscow): only romanised spellings go to russian-terms.yaml.
Every person named goes there too, as a `name`, which the book gathers in its register of
names with Cyrillic, dates and a line on who they were; people with no Russian name go to
people.yaml, and to the register without the Cyrillic. The glossary takes every term,
under the form the article uses, with its definition (or its gloss as one).
"""

from __future__ import annotations

from bookbuilder.core.romanisation import written_from
from bookbuilder.importer.term_base_hits import Hit, lower_as_listed
from bookbuilder.source.term_base import BaseTerm, Person

NOTE_KINDS = {"organisation": "organisation", "place": "place"}     # the rest are notes of kind term


def draft_russian_terms(hits: list[Hit]) -> list[dict]:
    entries = []
    for hit in hits:
        entry = hit.entry
        if isinstance(entry, Person):
            if entry.cyrillic:
                entries.append(_name(entry, hit))
        elif entry.cyrillic:
            romanised = sorted(s for s in hit.spellings if written_from(s, entry.cyrillic))
            if romanised:
                entries.append(_term(entry, romanised))
    return entries


def draft_people(hits: list[Hit]) -> list[dict]:
    """people.yaml: the register's people the term base knows who have no Russian name."""
    return [{"id": h.entry.id, "name": h.entry.forms[0], "dates": _dates(h.entry), "who": h.entry.who,
             "match": sorted(h.spellings)}
            for h in hits if isinstance(h.entry, Person) and not h.entry.cyrillic]


def draft_glossary(hits: list[Hit]) -> list[dict]:
    # the register marks people's names first: a term spelled with one ('assassination of Kirov')
    # could never be found by the glossary's own pass
    names = {s for h in hits if h.is_person for s in h.spellings}
    entries = []
    for hit in hits:
        entry = hit.entry
        if isinstance(entry, BaseTerm) and not all(_holds_name(s, names) for s in hit.spellings):
            item = {"headword": _usual(entry, hit)}
            if entry.cyrillic:
                item["cyrillic"] = entry.cyrillic
            item["definition"] = entry.definition or _as_sentence(entry.gloss)
            item["match"] = sorted(s for s in hit.spellings if not _holds_name(s, names))
            entries.append(item)
    return sorted(entries, key=lambda e: e["headword"].casefold())


def _holds_name(spelling: str, names: set[str]) -> bool:
    return any(name in spelling for name in names if name != spelling)


def _usual(entry: BaseTerm, hit: Hit) -> str:
    """The term base's usual form when the article writes it, else the article's own."""
    written = entry.forms[0] if entry.forms[0] in hit.spellings else hit.spellings.most_common(1)[0][0]
    return lower_as_listed(written, entry.forms[0])


def _term(entry: BaseTerm, romanised: list[str]) -> dict:
    english = entry.forms[0] if entry.forms[0] in romanised else lower_as_listed(romanised[0], entry.forms[0])
    return {"id": entry.id, "kind": NOTE_KINDS.get(entry.kind, "term"), "cyrillic": entry.cyrillic,
            "english": english, "match": romanised, "gloss": entry.gloss or _first_sentence(entry.definition)}


def _name(person: Person, hit: Hit) -> dict:
    return {"id": person.id, "kind": "name", "cyrillic": person.cyrillic, "english": person.forms[0],
            "match": sorted(hit.spellings), "gloss": person.who, "dates": _dates(person), "who": person.who}


def _dates(person: Person) -> str:
    return f"{person.born}–{person.died}" if person.died else f"b. {person.born}"


def _as_sentence(gloss: str) -> str:
    """A one-line gloss as a short definition: 'the Soviet political police' -> 'The Soviet...police.'"""
    text = gloss.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + (dot.strip() if dot else "")
