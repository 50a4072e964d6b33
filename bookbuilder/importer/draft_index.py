"""The drafted index (index.yaml): the term base's entries the article uses and the names and
concepts drawn from its text, merged; people surname first; `see` entries for abbreviations and
variant spellings; sub-entries by section for a headword with many locators.
"""

from __future__ import annotations

import re
from collections import Counter

from bookbuilder.core.romanisation import skeleton
from bookbuilder.importer.plain_text import Passage
from bookbuilder.importer.term_base_hits import Hit, lower_as_listed, surname
from bookbuilder.importer.text_names import PERSON, ROMAN, Name, name_key

SUB_ENTRIES_FROM = 12     # locators: a headword with more is broken down by section
MIN_SUB_LOCATORS = 2      # a section must hold this many to make a sub-entry
MAX_SUB_ENTRIES = 8


def draft_index(hits: list[Hit], names: list[Name], passages: list[Passage]) -> list[dict]:
    """index.yaml entries, in alphabetical order."""
    entries: dict[str, dict] = {}
    covered: set[str] = set()
    proper = {w for n in names if n.kind != "concept" for f in n.forms for w in f.split()}
    proper |= {w for hit in hits for f in hit.spellings for w in f.split() if not f.islower()}
    proper |= {w + s for w in list(proper) for s in ("'s", "’s")}
    for hit in hits:
        entry = _hit_entry(hit)
        entries[entry["headword"]] = _with_subs(entry, hit.passages, passages, proper)
        covered |= {name_key(s) for s in hit.spellings} | {name_key(f) for f in hit.entry.forms}
        if hit.is_person:
            covered.add(name_key(surname(hit.entry)))
    surnames = Counter(name_key(n.headword.split(",")[0]) for n in names if n.kind == PERSON)
    people = {skeleton(surname(hit.entry)): _hit_headword(hit) for hit in hits if hit.is_person}
    spelled = " | ".join(s.casefold() for hit in hits for s in hit.spellings)
    for name in names:
        if covered & {name_key(f) for f in name.forms} or name.headword in entries:
            continue
        same = people.get(skeleton(name.headword.split(",")[0])) if name.kind == PERSON else None
        if same is not None:            # Oleg V. Khlevniuk; Yuri Piatakov for Georgy Pyatakov
            _join_variant(entries, same, name)
            continue
        if name.kind != PERSON and len(name.headword.split()) > 1 and name_key(name.headword.split()[-1]) in covered \
                and any(hit.is_person and name.headword.endswith(surname(hit.entry)) for hit in hits):
            continue                    # two names side by side: "during the Civil War Bukharin edited"
        if name.count == 1 and any(re.search(rf"(?<!\w){re.escape(f.casefold())}(?!\w)", spelled) for f in name.forms):
            continue                    # a piece of a term the base knows: Tridtsat' (sed'moy god)
        entry = {"headword": name.headword, "match": sorted(name.forms)}
        last = name.headword.split(",")[0]
        if name.kind == PERSON and surnames[name_key(last)] == 1 and last not in entry["match"]:
            entry["match"].append(last)          # later mentions by surname alone
        entries[name.headword] = _with_subs(entry, name.passages, passages, proper)
    _drop_unreachable(entries, passages)
    for hit in hits:
        main = entries.get(_hit_headword(hit))
        for see in _see_entries(hit, main["headword"]) if main else []:
            entries.setdefault(see["headword"], see)
    return sorted(entries.values(), key=lambda e: e["headword"].casefold())


def _drop_unreachable(entries: dict[str, dict], passages: list[Passage]) -> None:
    """The build marks the longest form first (passes/matching.py): an entry whose every use
    sits inside a longer entry's form ('Butovo' only in 'Butovo firing range') would index
    nothing. Find the forms as the build will, and drop what nothing reaches."""
    owner = {form: headword for headword, e in entries.items() for form in e.get("match", [])}
    if not owner:
        return
    alternation = "|".join(re.escape(f) for f in sorted(owner, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w\-])(?:{alternation})(?![\w]|-\w)")
    reached = {owner[m.group(0)] for p in passages for m in pattern.finditer(p.text) if m.group(0) in owner}
    for headword in [h for h, e in entries.items() if e.get("match") and h not in reached]:
        del entries[headword]


def _join_variant(entries: dict[str, dict], headword: str, name: Name) -> None:
    """A person the base knows, spelled otherwise: the spellings join its entry, and a variant
    spelling of the surname gets a `see` entry."""
    later = {name.headword.split(",")[0]}              # later mentions by the variant surname
    entries[headword]["match"] = sorted(set(entries[headword]["match"]) | set(name.forms) | later)
    if name.headword.split(",")[0] != headword.split(",")[0]:
        entries.setdefault(name.headword, {"headword": name.headword, "see": headword})


def _hit_headword(hit: Hit) -> str:
    first = hit.entry.forms[0]
    if hit.is_person:
        *given, last = first.split()
        return f"{last}, {' '.join(given)}" if given and not ROMAN.fullmatch(last) else first
    written = first if first in hit.spellings else hit.spellings.most_common(1)[0][0]
    return lower_as_listed(written, first)


def _hit_entry(hit: Hit) -> dict:
    match = set(hit.spellings)
    if hit.is_person:
        match.add(surname(hit.entry))
    return {"headword": _hit_headword(hit), "match": sorted(match)}


def _see_entries(hit: Hit, headword: str) -> list[dict]:
    """An abbreviation or a variant name the text also uses points at the headword."""
    out = []
    for spelling in hit.spellings:
        variant = len(spelling.split()) > 1 or spelling.isupper()
        if variant and name_key(spelling) != name_key(headword) and spelling != hit.entry.forms[0] \
                and not (hit.is_person and spelling.split()[-1] == surname(hit.entry)):
            out.append({"headword": spelling, "see": headword})
    return out


def _with_subs(entry: dict, uses: list[int], passages: list[Passage], proper: set[str]) -> dict:
    """Break a long run of locators down by the sections that hold them."""
    # the lead (chapter 0) summarises everything: its locators stay on the main entry
    sections = Counter(passages[n].section for n in uses if passages[n].chapter)
    if len(uses) < SUB_ENTRIES_FROM or len(sections) < 3:
        return entry
    subs = [{"headword": _sub_headword(title, proper), "within": [title]}
            for title, count in sections.most_common(MAX_SUB_ENTRIES) if count >= MIN_SUB_LOCATORS]
    if len(subs) >= 2:
        entry["sub"] = sorted(subs, key=lambda s: s["headword"].casefold())
    return entry


def _sub_headword(title: str, proper: set[str]) -> str:
    """A section's title as a sub-entry: 'Rehabilitation' reads 'rehabilitation'; 'Moscow
    trials' keeps its capital, as Moscow is a name the index holds."""
    first, _, rest = title.partition(" ")
    return title if first in proper or not first[1:].islower() else f"{first.lower()} {rest}".strip()
