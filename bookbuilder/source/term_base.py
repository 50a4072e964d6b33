"""The term base shipped with the package (bookbuilder/termbase/*.yaml, package data): terms,
institutions, places and people of Russian and Soviet history, about 1860-1991, that an
imported article's apparatus can be drafted from (issue 23; not yet used by the build).

Read and checked here with line numbers, like the book's own data: a mistake in an entry is a
one-line error naming the file and line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bookbuilder.core.config import YamlDoc, load_yaml

TERMBASE = "termbase"
DRAFT_MARK = "DRAFTED by `bookbuilder import`"    # the header of a data file drafted from the term base
TERM_KINDS = {"term", "organisation", "place", "event", "rank", "movement"}
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
CYRILLIC = re.compile(r"^[\u0400-\u04FF0-9\s.,'’()«»№-]+$")


@dataclass(frozen=True)
class BaseTerm:
    id: str
    kind: str
    cyrillic: str              # "" for a term with no Russian original (an English concept)
    forms: tuple[str, ...]     # as an English text writes it; the usual form first
    gloss: str                 # one line, for a transliteration note
    definition: str            # a glossary definition
    source: str
    file: Path
    line: int | None


@dataclass(frozen=True)
class Person:
    id: str
    cyrillic: str              # "" for a person with no Russian name
    forms: tuple[str, ...]     # the full name first, then the surname alone and variants
    born: int
    died: int | None           # None: living
    who: str
    source: str
    file: Path
    line: int | None


@dataclass(frozen=True)
class TermBase:
    terms: tuple[BaseTerm, ...]
    people: tuple[Person, ...]


def folder() -> Path:
    return Path(str(resources.files("bookbuilder") / TERMBASE))


@functools.lru_cache(maxsize=4)
def load_term_base(where: Path | None = None) -> TermBase:
    """The term base in ``where`` (by default the package's), every entry checked."""
    where = Path(where) if where else folder()
    terms_doc, people_doc = load_yaml(where / "terms.yaml"), load_yaml(where / "people.yaml")
    terms = tuple(_term(terms_doc, item, i) for i, item in enumerate(_entries(terms_doc)))
    people = tuple(_person(people_doc, item, i) for i, item in enumerate(_entries(people_doc)))
    seen: dict[str, int] = {}
    for doc, entries in ((terms_doc, terms), (people_doc, people)):
        for i, entry in enumerate(entries):
            if entry.id in seen:
                raise doc.error(f"the id '{entry.id}' is used twice", i, "id")
            seen[entry.id] = i
    return TermBase(terms, people)


def _entries(doc: YamlDoc) -> list:
    if not isinstance(doc.data, list):
        raise doc.error("expected a list of entries")
    return doc.data


def _text(doc: YamlDoc, item: dict, i: int, key: str, required: bool = True) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise doc.error(f"entry {i + 1} needs '{key}' (text)", i, key)
    return " ".join(value.split())


def _common(doc: YamlDoc, item, i: int, cyrillic_required: bool) -> tuple[str, str, tuple[str, ...], str]:
    if not isinstance(item, dict):
        raise doc.error(f"entry {i + 1} is not a mapping", i)
    entry_id = _text(doc, item, i, "id")
    if not ID.fullmatch(entry_id):
        raise doc.error(f"id '{entry_id}' must be lowercase letters, digits and hyphens", i, "id")
    cyrillic = _text(doc, item, i, "cyrillic", required=cyrillic_required)
    if cyrillic and not CYRILLIC.match(cyrillic):
        raise doc.error(f"'{cyrillic}' is not Cyrillic only", i, "cyrillic")
    forms = item.get("forms")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise doc.error(f"entry '{entry_id}' needs 'forms': a list of the forms an English text uses", i, "forms")
    return entry_id, cyrillic, tuple(" ".join(f.split()) for f in forms), _text(doc, item, i, "source")


def _term(doc: YamlDoc, item, i: int) -> BaseTerm:
    entry_id, cyrillic, forms, source = _common(doc, item, i, cyrillic_required=False)
    kind = item.get("kind")
    if kind not in TERM_KINDS:
        raise doc.error(f"kind '{kind}' is not one of {', '.join(sorted(TERM_KINDS))}", i, "kind")
    gloss, definition = _text(doc, item, i, "gloss", False), _text(doc, item, i, "definition", False)
    if not gloss and not definition:
        raise doc.error(f"entry '{entry_id}' needs a 'gloss' or a 'definition'", i)
    return BaseTerm(entry_id, kind, cyrillic, forms, gloss, definition, source, doc.path, doc.line(i))


def _person(doc: YamlDoc, item, i: int) -> Person:
    # a person of this history with no Russian name (a Western historian, a foreign communist) has no Cyrillic
    entry_id, cyrillic, forms, source = _common(doc, item, i, cyrillic_required=False)
    born, died = item.get("born"), item.get("died")
    if not isinstance(born, int) or not (died is None or isinstance(died, int)):
        raise doc.error(f"'{entry_id}': born and died are years", i, "born")
    return Person(entry_id, cyrillic, forms, born, died, _text(doc, item, i, "who"), source, doc.path, doc.line(i))


def is_drafted(path: Path) -> bool:
    """Whether a data file still carries the drafting header (the checker's cue)."""
    try:
        return DRAFT_MARK in path.read_text(encoding="utf-8")[:400]
    except OSError:
        return False
