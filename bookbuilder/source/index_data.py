"""The curated index's data: book/index.yaml read and checked (headwords, the forms that
match them, sub-entries, see and see also), with stable ids and a letter-by-letter order.
Marking the occurrences is passes/index.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bookbuilder import ids
from bookbuilder.core.config import YamlDoc, load_yaml


INDEX_FILE = "index.yaml"


@dataclass
class Occurrence:
    id: str
    division_id: str
    section_id: str        # nearest heading before it (the chapter itself when none)
    in_note: bool


@dataclass
class IndexEntry:
    headword: str
    match: list[str]
    see: str = ""
    see_also: list[str] = field(default_factory=list)
    sub: list["IndexEntry"] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    file: Path | None = None
    line: int | None = None
    id: str = ""           # anchor of the entry itself, for see / see also links
    see_id: str = ""
    see_also_ids: list[str] = field(default_factory=list)
    within: list[str] = field(default_factory=list)   # a sub-entry: the sections (by title) it gathers

    @property
    def used(self) -> bool:
        return bool(self.occurrences) or any(sub.occurrences for sub in self.sub)

    @property
    def sort_key(self) -> str:
        return sort_key(self.headword)

    @property
    def letter(self) -> str:
        key = self.sort_key
        return key[:1].upper() if key[:1].isalpha() else "#"


def sort_key(text: str) -> str:
    """Letter-by-letter order ignoring accents, case, quotes and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w ]+", "", plain).strip()


def load_index(book_dir: Path) -> list[IndexEntry]:
    path = book_dir / INDEX_FILE
    if not path.exists():
        return []
    doc = load_yaml(path)
    if not isinstance(doc.data, list):
        raise doc.error("expected a list of index entries")
    entries = [_entry(doc, item, (i,)) for i, item in enumerate(doc.data)]
    headwords = {e.headword for e in entries}
    for i, entry in enumerate(entries):
        for target in ([entry.see] if entry.see else []) + entry.see_also:
            if target not in headwords:
                raise doc.error(f"cross-reference '{target}' is not a headword of the index", i)
    entries.sort(key=lambda e: e.sort_key)
    taken: set[str] = set()
    for entry in entries:             # from the headword: adding an entry renames no other
        entry.id = ids.index_entry(ids.slug(entry.headword))
        while entry.id in taken:
            entry.id += "-2"
        taken.add(entry.id)
    resolve_references(entries)
    return entries


def resolve_references(entries: list[IndexEntry]) -> None:
    ids = {e.headword: e.id for e in entries}
    for entry in entries:
        entry.see_id = ids.get(entry.see, "")
        entry.see_also_ids = [ids[t] for t in entry.see_also]


def _entry(doc: YamlDoc, item, keys: tuple, parent_match: list[str] | None = None) -> IndexEntry:
    if not isinstance(item, dict) or not isinstance(item.get("headword"), str):
        raise doc.error("an index entry needs a 'headword'", *keys)
    within = _within(doc, item, keys, parent_match)
    # a sub-entry that gathers its headword's locators in some sections matches what its parent matches
    match = item.get("match") or (parent_match if within else None) or []
    see = item.get("see") or ""
    if not isinstance(match, list) or not all(isinstance(m, str) for m in match):
        raise doc.error("'match' must be a list of spellings", *keys, "match")
    if not match and not see and not item.get("sub"):
        raise doc.error(f"index entry '{item['headword']}' has neither 'match' nor 'see'", *keys)
    if not isinstance(item.get("sub") or [], list):
        raise doc.error("'sub' must be a list of index entries", *keys, "sub")
    subs = [_entry(doc, sub, keys + ("sub", j), match) for j, sub in enumerate(item.get("sub") or [])]
    see_also = item.get("see_also") or []
    if not isinstance(see_also, list):
        raise doc.error("'see_also' must be a list of headwords", *keys, "see_also")
    return IndexEntry(item["headword"], match, str(see), [str(s) for s in see_also], subs,
                      file=doc.path, line=doc.line(*keys), within=within)


def _within(doc: YamlDoc, item: dict, keys: tuple, parent_match: list[str] | None) -> list[str]:
    within = item.get("within") or []
    if isinstance(within, str):
        within = [within]
    if not isinstance(within, list) or not all(isinstance(w, str) and w.strip() for w in within):
        raise doc.error("'within' must be a list of chapter or section titles", *keys, "within")
    if within and parent_match is None:
        raise doc.error("'within' belongs to a sub-entry (under 'sub')", *keys, "within")
    return [w.strip() for w in within]
