"""The term base's entries an article uses: every listed form found in one pass (Aho-Corasick,
pyahocorasick) with English endings (plurals, possessives), and a person's surname alone once
the article has named them in full ("Nikolai Yezhov ... Yezhov's deputies").

A form written with capitals must match as written (NKVD, Politburo); a lower-case form may
start a sentence (Kulaks), and only there. A surname that two people named in full share stays unmatched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import ahocorasick

from bookbuilder.importer.plain_text import Passage
from bookbuilder.source.term_base import BaseTerm, Person, TermBase

ENDINGS = ("'s", "’s", "s'", "s’", "es", "s", "")   # longest first: "kulaks'" before "kulaks"
FULL, SURNAME = "full", "surname"
MAX_FORM = 120                                      # characters: no form is longer


@dataclass
class Hit:
    entry: BaseTerm | Person
    spellings: Counter = field(default_factory=Counter)   # the forms as written (endings cut) -> times
    passages: list[int] = field(default_factory=list)      # where, by passage number (repeats kept)

    @property
    def count(self) -> int:
        return len(self.passages)

    @property
    def is_person(self) -> bool:
        return isinstance(self.entry, Person)


def surname(person: Person) -> str:
    return person.forms[0].split()[-1]


def lower_as_listed(written: str, listed: str) -> str:
    """'Kulaks' at a sentence's start is the index's 'kulaks' when the base writes it lower-case."""
    return written[:1].lower() + written[1:] if listed.islower() and written[1:].islower() else written


def find_hits(passages: list[Passage], base: TermBase) -> list[Hit]:
    """The entries ``passages`` use, in order of first use."""
    automaton = _automaton(base)
    hits: dict[str, Hit] = {}
    named: dict[str, str] = {}           # surname -> id of the person named in full ("" if two)
    for number, passage in enumerate(passages):
        for entry, kind, written in _matches(automaton, passage.text):
            if kind == SURNAME:
                if named.get(surname(entry)) != entry.id:
                    continue
            elif isinstance(entry, Person):
                key = surname(entry)
                named[key] = entry.id if named.get(key, entry.id) == entry.id else ""
            hit = hits.setdefault(entry.id, Hit(entry))
            hit.spellings[written] += 1
            hit.passages.append(number)
    return list(hits.values())


def _automaton(base: TermBase) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    values: dict[str, list] = {}
    for entry in base.terms + base.people:
        for form in entry.forms:
            values.setdefault(form.lower(), []).append((form, entry, FULL))
    for person in base.people:
        name = surname(person)
        values.setdefault(name.lower(), []).append((name, person, SURNAME))
    for key, candidates in values.items():
        automaton.add_word(key, candidates)
    automaton.make_automaton()
    return automaton


def _matches(automaton, text: str):
    """(entry, FULL or SURNAME, the form as written) for each whole-word match, leftmost-longest.
    The automaton serves as a trie: from each word start, the longest key that ends a word."""
    lowered = _lower_keeping_length(text)
    at = 0
    while at < len(text):
        found = None
        if text[at].isalnum() and not (at and _joined(text[at - 1])):
            found = _longest_at(automaton, lowered, text, at)
        if found is None:
            at += 1
            continue
        at, entry, kind, written = found
        yield entry, kind, written


def _longest_at(automaton, lowered: str, text: str, start: int):
    """The longest key starting at ``start`` that ends a word (after an English ending)."""
    best = None
    for stop in range(start + 1, min(len(text), start + MAX_FORM) + 1):
        prefix = lowered[start:stop]
        if not automaton.match(prefix):
            break
        value = automaton.get(prefix, None)
        if value is None:
            continue
        end = _word_end(text, stop)
        if end is None:
            continue
        for form, entry, kind in sorted(value, key=lambda c: c[2] != FULL):
            if _case_fits(form, text[start:stop], _sentence_start(text, start)):
                best = (end, entry, kind, _without_possessive(text[start:end]))
                break
    return best


def _joined(char: str) -> bool:
    """A character that glues a match to the word before or after it (as passes/matching does)."""
    return char.isalnum() or char == "-"


def _word_end(text: str, stop: int) -> int | None:
    for ending in ENDINGS:
        end = stop + len(ending)
        if text.startswith(ending, stop) and not _continues(text, end):
            return end
    return None


def _continues(text: str, end: int) -> bool:
    if end >= len(text):
        return False
    return text[end].isalnum() or (text[end] == "-" and end + 1 < len(text) and text[end + 1].isalnum())


def _case_fits(form: str, written: str, at_start: bool) -> bool:
    """As listed; a lower-case form capitalised only where a sentence starts (Kulaks were...),
    as 'Soviet Russia' is not the council a 'soviet' is."""
    if form == written:
        return True
    return at_start and form.islower() and written == form[:1].upper() + form[1:]


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?:;"


def _without_possessive(written: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if written.endswith(ending):
            return written[: -len(ending)]
    return written


def _lower_keeping_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
