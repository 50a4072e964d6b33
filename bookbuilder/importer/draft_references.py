"""references.yaml drafted from an article's reading list and reference list: each line that
reads as a book (authors, year, title, place and publisher) or a journal article (authors,
year, quoted title, journal, volume, pages) becomes a CSL entry, marked ``drafted: true``
(Pandoc's citeproc ignores the field; an editor removes it once the entry is checked).

The article keeps its numbered notes and its reading list as before: the drafted entries are
there to be cited (``[@conquest1973, 45]``) or listed (``nocite:`` in book.yaml) once reviewed.
Lines that read as neither (a short citation like "Horvat 2010, p. 11", a web page) are left.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from importlib import resources
from pathlib import Path

import yaml

from bookbuilder import cache

NAME = "references.yaml"
_AUTHORS = r"(?P<authors>—+|[^()\"\[\]]+?)"
_YEAR = r"\((?P<year>1[5-9]\d\d|20\d\d)\)(?:\s*\[(?P<original>\d{4})\])?"
BOOK = re.compile(
    _AUTHORS + r"(?P<editors>,? eds?\.)?\s*" + _YEAR + r"[.,]\s+(?P<title>[^\"\s].+?)"
    r"(?:\s*\((?P<edition>[^()]*?) ed\.\))?[.,]\s+(?:(?P<place>[A-Z][^.:,;]*(?:, [A-Z]{2})?):\s*)?"
    r"(?P<publisher>[A-Z][^.,;:]*?)(?:[.,]|$)(?:\s*ISBN\s*(?P<isbn>[\d-]+[\dX]))?")
ARTICLE = re.compile(
    _AUTHORS + r"\s*" + _YEAR + r"\.\s*\"(?P<title>[^\"]+?)[.,]?\"(?:\s*\(PDF\))?\.?\s*(?P<journal>[A-Z][^.]+?)\.\s*"
    r"(?P<volume>\d+)\s*\((?P<issue>\d+)\):\s*(?P<page>\d+[–-]\d+)")
ARTICLE_VOLUME_YEAR = re.compile(
    r"(?P<authors>—+|[^\"()]+?)\.?\s*\"(?P<title>[^\"]+?)[.,]?\"\s*(?P<journal>[A-Z][^\"()]+?)\s+"
    r"(?:(?P<volume>\d+)\.(?P<issue>\d+)\s+)?\((?P<year>\d{4})\):\s*(?P<page>\d+[–-]\d+)")


def draft_references(book_dir: Path, lines: list[str], warn) -> int:
    """Write (or extend) references.yaml with the entries ``lines`` read as; returns how many
    were added."""
    entries = read_entries(lines)
    target = book_dir / NAME
    if not entries:
        return 0
    if not target.exists():
        header = (resources.files("bookbuilder") / "templates" / "drafts" / f"{NAME}.txt").read_text(encoding="utf-8")
        cache.write_text(target, header + "\n" + yaml.safe_dump({"references": entries}, allow_unicode=True,
                                                                sort_keys=False, width=100))
        return len(entries)
    try:
        existing = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        warn(0, f"{NAME} left as it is (it does not read as YAML); the drafted entries were not added")
        return 0
    have = {str(e.get("id")) for e in (existing.get("references") or []) if isinstance(e, dict)}
    new = [e for e in entries if e["id"] not in have]
    if new:
        text = target.read_text(encoding="utf-8").rstrip("\n")
        added = f"\n# --- added by import on {datetime.date.today()}: review as the header says\n"
        cache.write_text(target, text + added + yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=100))
    return len(new)


def read_entries(lines: list[str]) -> list[dict]:
    """The CSL entries the lines read as, keys made from the first surname and the year."""
    entries, keys, previous = [], set(), None
    for line in lines:
        line = " ".join(line.split()).lstrip("^ ").strip()
        entry = read_entry(line, previous)
        if entry is None:
            continue
        previous = entry.get("author") or entry.get("editor")
        names = previous or [{"family": "anon"}]
        base = _ascii(names[0].get("family") or names[0].get("literal") or "anon") + str(entry["issued"]["date-parts"][0][0])
        key, n = base, 0
        while key in keys:
            n += 1
            key = base + "abcdefghijklmnopqrstuvwxyz"[n - 1]
        keys.add(key)
        entries.append({"id": key, **entry, "drafted": True})
    return entries


def read_entry(line: str, previous: list[dict] | None = None) -> dict | None:
    """One line as a CSL entry (without its id), or None when it reads as no book or article."""
    if m := ARTICLE.match(line) or ARTICLE_VOLUME_YEAR.match(line):
        entry = {"type": "article-journal"}
        people = _people(m.group("authors"), previous)
        if not people:
            return None
        entry["author"] = people
        entry["title"] = m.group("title").strip()
        entry["container-title"] = m.group("journal").strip()
        for field in ("volume", "issue"):
            if m.group(field):
                entry[field] = m.group(field)
        entry["page"] = m.group("page").replace("-", "–")
        entry["issued"] = {"date-parts": [[int(m.group("year"))]]}
        return entry
    if m := BOOK.match(line):
        people = _people(m.group("authors"), previous)
        if not people:
            return None
        entry = {"type": "book", "editor" if m.group("editors") else "author": people,
                 "title": m.group("title").strip()}
        if m.group("edition"):
            entry["edition"] = m.group("edition").strip()
        entry["publisher"] = m.group("publisher").strip()
        if m.group("place"):
            entry["publisher-place"] = m.group("place").strip()
        if m.group("isbn"):
            entry["ISBN"] = m.group("isbn")
        entry["issued"] = {"date-parts": [[int(m.group("year"))]]}
        if m.group("original"):
            entry["original-date"] = {"date-parts": [[int(m.group("original"))]]}
        return entry
    return None


def _people(text: str, previous: list[dict] | None) -> list[dict] | None:
    """'Karlsson, Klas-Göran; Schoenhals, Michael' as CSL names; '——' repeats the line before's."""
    text = text.strip().rstrip(",")
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):
        text = text[:-1]            # "Whitewood, Peter." but "Chase, William J."
    if set(text) <= {"—", "-"}:
        return previous
    people = []
    for name in text.split(";"):
        name = name.strip()
        if not name or len(name) > 60 or any(ch.isdigit() for ch in name):
            return None
        family, _, given = name.partition(",")
        if not family[:1].isupper():
            return None
        people.append({"family": family.strip(), "given": given.strip()} if given.strip() else {"literal": family})
    return people


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower()) or "anon"
