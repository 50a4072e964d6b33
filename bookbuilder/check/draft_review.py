"""The weak spots of an apparatus `import` drafted (files still carrying the drafting header):
index entries with one locator, people indexed without dates, and words the article uses twice
that look Russian or are abbreviations but have no note or glossary entry (the term base lacks
them: an editor adds them to the book's data, or to the term base for every book)."""

from __future__ import annotations

import re
from collections import Counter

from bookbuilder.check.findings import Finding, SourceLine
from bookbuilder.core.model import Book
from bookbuilder.source.term_base import is_drafted

ABBREVIATION = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")
ITALIC_WORD = re.compile(r"(?<![\w*])\*([a-z][a-z'’-]{3,})\*(?!\w)")      # *spetzpereselentsy*
ROMAN = re.compile(r"[IVXLC]+")
# Russian endings and letter groups English words rarely have
RUSSIAN_LOOKING = re.compile(r"(?:shch|zh|kh|ts|yy|iy|oy|aya|ovo|evo|nik|niki|stvo|ovka|kiy|skiy|skaya|ya|yo|yu)")


def check_drafted(book: Book, lines: list[SourceLine]) -> list[Finding]:
    findings = []
    index_file = book.config.root / "index.yaml"
    if is_drafted(index_file):
        findings += _one_locator(book) + _undated_people(book)
    terms_file = book.config.root / "russian-terms.yaml"
    if is_drafted(terms_file) or is_drafted(index_file):
        findings += _unexplained_words(book, lines)
    return findings


def _one_locator(book: Book) -> list[Finding]:
    return [Finding(e.file, e.line or 1, "d-001", f"'{e.headword}' has one locator")
            for e in book.index if not e.see and not e.sub and len(e.occurrences) == 1]


def _undated_people(book: Book) -> list[Finding]:
    """Headwords read as people ("Surname, Given") that the register of names lacks."""
    named = [t for t in book.terms if t.kind == "name"] + book.people
    registered = {f"{t.english.split()[-1]}, {' '.join(t.english.split()[:-1])}" for t in named}
    return [Finding(e.file, e.line or 1, "d-002", f"'{e.headword}' has no dates (add the person to "
                    "russian-terms.yaml as kind: name, or people.yaml, or the term base)")
            for e in book.index if re.fullmatch(r"[^,]+, [A-Z][^,]*", e.headword) and e.headword not in registered]


def _unexplained_words(book: Book, lines: list[SourceLine]) -> list[Finding]:
    explained = {f.casefold() for t in book.terms for f in t.match + [t.english]}
    explained |= {f.casefold() for e in book.glossary for f in e.match + [e.headword]}
    chapter_files = {d.source for d in book.chapters}
    seen: Counter = Counter()
    first: dict[str, SourceLine] = {}
    for line in lines:
        if line.file not in chapter_files or line.text.startswith("#"):
            continue
        words = [w for w in ABBREVIATION.findall(line.text) if not ROMAN.fullmatch(w)]
        words += [w for w in ITALIC_WORD.findall(line.text) if RUSSIAN_LOOKING.search(w)]
        for word in words:
            seen[word] += 1
            first.setdefault(word, line)
    return [Finding(first[w].file, first[w].number, "d-003", f"'{w}' is used {n} times and nothing explains it")
            for w, n in seen.items() if n >= 2 and w.casefold() not in explained]
