"""The back-of-book index: curated terms (book/index.yaml) marked in the text.

Every occurrence of a headword's forms in the chapters, and in the manuscript's own
footnotes, is wrapped in a span with an id. The layout then says on which page each
landed (pages.PageMap); the EPUB links to each by section.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bookbuilder.core.config import YamlDoc, load_yaml
from bookbuilder.passes.matching import compile_forms, element, normalise, replace_matches
from bookbuilder import ids
from bookbuilder.core.model import Book

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
    _resolve_references(entries)
    return entries


def _resolve_references(entries: list[IndexEntry]) -> None:
    ids = {e.headword: e.id for e in entries}
    for entry in entries:
        entry.see_id = ids.get(entry.see, "")
        entry.see_also_ids = [ids[t] for t in entry.see_also]


def prune_index(book: Book) -> list[IndexEntry]:
    """Drop entries (and sub-entries) that matched nothing, and cross-references to them.
    Returns the dropped entries, for the checker."""
    dropped = [e for e in book.index if not e.see and not e.used]
    live = [e for e in book.index if e.see or e.used]
    headwords = {e.headword for e in live if not e.see}
    kept = []
    for entry in live:
        entry.sub = [sub for sub in entry.sub if sub.occurrences]
        entry.see_also = [t for t in entry.see_also if t in headwords]
        if entry.see and entry.see not in headwords:
            dropped.append(entry)
            continue
        kept.append(entry)
    book.index = kept
    _resolve_references(kept)
    return dropped


def _entry(doc: YamlDoc, item, keys: tuple) -> IndexEntry:
    if not isinstance(item, dict) or not isinstance(item.get("headword"), str):
        raise doc.error("an index entry needs a 'headword'", *keys)
    match = item.get("match") or []
    see = item.get("see") or ""
    if not isinstance(match, list) or not all(isinstance(m, str) for m in match):
        raise doc.error("'match' must be a list of spellings", *keys, "match")
    if not match and not see and not item.get("sub"):
        raise doc.error(f"index entry '{item['headword']}' has neither 'match' nor 'see'", *keys)
    subs = [_entry(doc, sub, keys + ("sub", j)) for j, sub in enumerate(item.get("sub") or [])]
    see_also = item.get("see_also") or []
    if not isinstance(see_also, list):
        raise doc.error("'see_also' must be a list of headwords", *keys, "see_also")
    return IndexEntry(item["headword"], match, str(see), [str(s) for s in see_also], subs,
                      file=doc.path, line=doc.line(*keys))


def mark_index_occurrences(book: Book) -> int:
    """Wrap every occurrence of every form in a span with an id; returns how many."""
    by_form: dict[str, IndexEntry] = {}
    for entry in book.index:
        for item in [entry] + entry.sub:
            for form in item.match:
                by_form[normalise(form)] = item
    pattern = compile_forms(by_form)
    if pattern is None:
        return 0
    count = 0
    for division in book.chapters:
        targets = [(division.body, False)] + [(n.content, True) for n in division.notes if n.kind == "footnote"]
        in_chapter = 0          # marks are numbered within their chapter: an edit elsewhere moves none
        for root, in_note in targets:

            def mark(match, el, division=division, in_note=in_note):
                nonlocal count, in_chapter
                item = by_form.get(normalise(match.group(0)))
                if item is None:
                    return None
                count += 1
                in_chapter += 1
                mark_id = ids.index_mark(division.id, in_chapter)
                section_id = division.id if in_note else _section_of(el, division.id)
                item.occurrences.append(Occurrence(mark_id, division.id, section_id, in_note))
                return [element("span", match.group(0), class_="ix", id=mark_id)]

            replace_matches(root, pattern, mark)
    return count


def _section_of(el, default: str) -> str:
    """Id of the last heading before ``el`` in document order."""
    node = el
    while node is not None:
        for sibling in [node, *node.itersiblings(preceding=True)]:
            if isinstance(sibling.tag, str) and sibling.tag in ("h2", "h3", "h4") and sibling.get("id"):
                return sibling.get("id")
        node = node.getparent()
    return default


CAPITALISED_RUN = re.compile(r"\b(?:[A-Z][a-z’'-]+)(?:\s+(?:of\s+|the\s+)?[A-Z][a-z’'-]+){0,3}")
SENTENCE_STARTERS = {"The", "A", "An", "In", "On", "After", "During", "It", "He", "She", "They", "This",
                     "These", "Those", "According", "Although", "However", "Many", "Some", "When", "While"}


def propose_candidates(book: Book, minimum: int = 2) -> list[tuple[str, int]]:
    """Capitalised names in the chapters that no index form covers, most frequent first:
    a starting point for an editor, never written into index.yaml by itself."""
    from collections import Counter

    known = {normalise(f) for e in book.index for item in [e] + e.sub for f in item.match}
    known |= {normalise(f) for e in book.glossary for f in e.match}
    counts: Counter = Counter()
    import calendar
    import copy

    skip = SENTENCE_STARTERS | set(calendar.month_name[1:])
    for division in book.chapters:
        body = copy.deepcopy(division.body)
        for figure in list(body.iter("figure")):          # captions are the builder's words
            figure.drop_tree()
        for m in CAPITALISED_RUN.finditer(body.text_content()):
            words = m.group(0).split()
            while words and words[0] in skip:
                words = words[1:]
            phrase = normalise(" ".join(words)).removesuffix("'s")
            if len(phrase) > 3 and phrase not in known:
                counts[phrase] += 1
    return [(p, n) for p, n in counts.most_common() if n >= minimum]
