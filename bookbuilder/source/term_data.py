"""The book's term data: Russian terms and names, and the glossary (YAML files in book/).

Each entry keeps the line it came from, so errors and the checker can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bookbuilder.ids import slug
from bookbuilder.core.config import YamlDoc, load_yaml

RUSSIAN_TERMS_FILE = "russian-terms.yaml"
GLOSSARY_FILE = "glossary.yaml"
PEOPLE_FILE = "people.yaml"       # the register's people with no Russian name (historians, foreign communists)
TERM_KINDS = {"term", "name", "place", "organisation"}
CYRILLIC_ONLY = re.compile(r"^[\u0400-\u04FF0-9\s.,'’()«»-]+$")


@dataclass
class RussianTerm:
    id: str
    kind: str
    cyrillic: str
    english: str
    match: list[str]
    gloss: str
    glossed_in_text: bool
    file: Path
    line: int | None
    english_html: str = ""     # the text fields as typeset HTML (Markdown through Pandoc)
    gloss_html: str = ""
    dates: str = ""            # names: life dates for the register of names ("1878–1953")
    who: str = ""              # names: the register's line on who they were (default: the gloss)
    who_html: str = ""


@dataclass
class GlossaryEntry:
    id: str                 # anchor id, from the headword
    headword: str
    cyrillic: str
    definition: str
    match: list[str]
    see_also: list[str]
    file: Path
    line: int | None
    see_also_ids: list[str] = field(default_factory=list)
    definition_html: str = ""                            # the definition as typeset HTML
    romanised: str = ""                                  # filled by the enrichment, in the book's scheme
    uses: list = field(default_factory=list)             # glossary.Use, filled by the enrichment




def _entries(doc: YamlDoc) -> list[dict]:
    if doc.data is None:
        return []
    if not isinstance(doc.data, list):
        raise doc.error("expected a list of entries")
    for i, entry in enumerate(doc.data):
        if not isinstance(entry, dict):
            raise doc.error(f"entry {i + 1} must be a mapping", i)
    return doc.data


def _text(doc: YamlDoc, entry: dict, i: int, key: str, required: bool = True) -> str:
    value = entry.get(key, "")
    if required and not value:
        raise doc.error(f"entry {i + 1} has no '{key}'", i)
    if not isinstance(value, str):
        raise doc.error(f"'{key}' must be text", i, key)
    return value.strip()


def _forms(doc: YamlDoc, entry: dict, i: int, default: str) -> list[str]:
    forms = entry.get("match") or [default]
    if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
        raise doc.error("'match' must be a list of spellings", i, "match")
    return [f.strip() for f in forms]


def _cyrillic(doc: YamlDoc, entry: dict, i: int, required: bool) -> str:
    value = _text(doc, entry, i, "cyrillic", required)
    if value and not CYRILLIC_ONLY.match(value):
        raise doc.error(f"'cyrillic' must be written in Cyrillic: {value!r}", i, "cyrillic")
    return value


def load_russian_terms(book_dir: Path) -> list[RussianTerm]:
    path = book_dir / RUSSIAN_TERMS_FILE
    if not path.exists():
        return []
    doc = load_yaml(path)
    terms, seen = [], set()
    for i, entry in enumerate(_entries(doc)):
        english = _text(doc, entry, i, "english")
        term_id = _text(doc, entry, i, "id", required=False) or slug(english)
        if term_id in seen:
            raise doc.error(f"duplicate id '{term_id}'", i, "id")
        seen.add(term_id)
        kind = entry.get("kind", "term")
        if not isinstance(kind, str) or kind not in TERM_KINDS:
            raise doc.error(f"kind '{kind}' is not one of {', '.join(sorted(TERM_KINDS))}", i, "kind")
        terms.append(RussianTerm(
            term_id, kind, _cyrillic(doc, entry, i, True), english, _forms(doc, entry, i, english),
            _text(doc, entry, i, "gloss", required=False), bool(entry.get("glossed_in_text", False)),
            path, doc.line(i), dates=_text(doc, entry, i, "dates", required=False),
            who=_text(doc, entry, i, "who", required=False)))
    return terms


def load_glossary(book_dir: Path) -> list[GlossaryEntry]:
    path = book_dir / GLOSSARY_FILE
    if not path.exists():
        return []
    doc = load_yaml(path)
    entries: list[GlossaryEntry] = []
    by_headword: dict[str, GlossaryEntry] = {}
    for i, entry in enumerate(_entries(doc)):
        headword = _text(doc, entry, i, "headword")
        if headword in by_headword:
            raise doc.error(f"duplicate headword '{headword}'", i, "headword")
        see_also = entry.get("see_also") or []
        if not isinstance(see_also, list):
            raise doc.error("'see_also' must be a list of headwords", i, "see_also")
        item = GlossaryEntry(
            f"gl-{slug(headword)}", headword, _cyrillic(doc, entry, i, False),
            " ".join(_text(doc, entry, i, "definition").split()), _forms(doc, entry, i, headword),
            [str(s) for s in see_also], path, doc.line(i))
        entries.append(item)
        by_headword[headword] = item
    for i, item in enumerate(entries):
        for target in item.see_also:
            if target not in by_headword:
                raise doc.error(f"see_also '{target}' is not a headword of this glossary", i, "see_also")
            item.see_also_ids.append(by_headword[target].id)
    return sorted(entries, key=lambda e: e.headword.casefold())


def load_people(book_dir: Path) -> list[RussianTerm]:
    """people.yaml: people of the register of names who have no Russian name (a British
    historian, a Hungarian communist), with `name`, `dates`, `who` and `match`; read as names
    without Cyrillic, which the register prints without the Russian column."""
    path = book_dir / PEOPLE_FILE
    if not path.exists():
        return []
    doc = load_yaml(path)
    people, seen = [], set()
    for i, entry in enumerate(_entries(doc)):
        name = _text(doc, entry, i, "name")
        person_id = _text(doc, entry, i, "id", required=False) or slug(name)
        if person_id in seen:
            raise doc.error(f"duplicate id '{person_id}'", i, "id")
        seen.add(person_id)
        who = _text(doc, entry, i, "who")
        people.append(RussianTerm(person_id, "name", "", name, _forms(doc, entry, i, name), who, False, path,
                                  doc.line(i), dates=_text(doc, entry, i, "dates", required=False), who=who))
    return people
