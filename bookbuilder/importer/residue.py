"""What a plain-text dump of an encyclopedia article leaves behind, and how to clean it.

The importer reads the structure (headings, lists, quotations); this module cleans the
text of each line: control characters, remnants of templates and image captions,
parentheses emptied when non-Latin text and pronunciations were stripped, citation
markers, ``_italic_`` runs, and the title phrase the lead prints in capitals.
Every pattern here is bounded so that a huge line costs linear time.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# C0/C1 control characters other than tab and newline, and invisible format marks
# a dump may carry (BOM, zero-width joiners are kept: they matter in some scripts).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")

# Template and link remnants: {{cite ...}}, [[File:...|thumb|caption]], "caption]]".
TEMPLATE = re.compile(r"\{\{[^{}\n]{0,2000}\}\}")
WIKILINK = re.compile(r"\[\[(?:[^\[\]|\n]{0,300}\|)?([^\[\]|\n]{0,300})\]\]")
RESIDUE_LINE = re.compile(r"^\s*(?:\{\{|\}\}|\|[\w\s-]{0,40}=|\[\[(?:File|Image|Category):)|\]\]\s*$", re.I)
LEFTOVER = re.compile(r"\{\{|\}\}|\[\[|\]\]")
# "thumb|upright|The canal in 1905]]": a caption with its options, up to its closing brackets
_PIPED = re.compile(r"(?:\b[\w=.:-]{1,40}\|)+[^\]|\n]{0,300}\]\]\s?")
RESIDUE_LINE_MAX = 120     # a shorter line with a remnant is all remnant (a caption); a longer one is prose

# Citation markers: "[12]", "[a]", "[note 3]" and Wikipedia's maintenance tags, glued to the
# word or punctuation before it, or after up to three spaces (``is_marker`` judges those).
# Never four digits: a year in brackets, "(1973) [1968]", is the editor's.
_TAGS = (r"citation needed|clarification needed|better source needed|page needed|failed verification|"
         r"dubious\s*[–-]\s*discuss|according to whom\?|when\?|who\?|which\?|by whom\?|"
         r"original research\?|not in citation given|verification needed|full citation needed")
CITATION = re.compile(rf"(?<=\S)(\s{{0,3}})\[(\d{{1,3}}|[a-z]|note \d{{1,3}}|nb \d{{1,3}}|{_TAGS})\](?!\w)")
# what ends a clause, or closes a quotation or another marker, just before a spaced marker
_CLAUSE_END = set(".,;:!?\"”’)]")
_NEXT_MARKER = re.compile(r"\s{0,3}\[\d{1,3}\](?!\w)")

# Parentheses whose content was stripped: "()", "( ; ; , ; )", "(; born 1900)",
# "(Russian: ; IPA: )" -> the labels with nothing after them go too.
_EMPTY_LABEL = re.compile(r"\b[A-Z][\w'’ .-]{0,30}:\s*(?=[;,]|\)|$)")
_PARENS = re.compile(r"(\s?)\(([^()\n]{0,400})\)")
_SEPARATOR_RUN = re.compile(r"^[\s;,:]+|[\s;,:]+$")
_DOUBLE_SEPARATOR = re.compile(r"\s*([;,])(?:\s*[;,])+\s*")
_LANGUAGE_CODE = re.compile(r"(?:^|\s)/[a-z]{2,3}/(?=[\s,;]|$)")
# "(; ; , ;" with no closing parenthesis after it: the parenthesis and the separators go
_UNCLOSED = re.compile(r"\s?\((?:\s{0,3}[;,]){1,40}(?![^()\n]{0,2000}\))")

# "_italic_": an underscore opening after a non-word character and closing before one.
ITALIC = re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]{1,300}?)(?<=[^\s_])_(?!\w)")

# A run of words in capitals (two letters or more each): the lead's bold title phrase.
_CAPS_WORD = r"[^\W\d_]*[A-Z][^\W\d_a-z]+(?:['’-][^\W\d_a-z]+)*"
CAPS_RUN = re.compile(rf"(?<!\w){_CAPS_WORD}(?:\s+{_CAPS_WORD})*(?!\w)")
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to"}


def strip_controls(text: str) -> str:
    """Unify line ends and drop control characters (tabs become spaces)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


@dataclass
class LineCleaner:
    """Cleans one line at a time and reports what it dropped through ``warn(line, message)``."""

    warn: object
    dropped_templates: int = 0

    def clean(self, line: str, number: int) -> str | None:
        """The cleaned line, or None when the whole line was residue."""
        if RESIDUE_LINE.search(line):
            self._dropped(number, line)
            return None
        text = TEMPLATE.sub("", line)
        text = WIKILINK.sub(r"\1", text)
        if LEFTOVER.search(text):
            if len(text) < RESIDUE_LINE_MAX:
                self._dropped(number, line)
                return None
            # a paragraph holding a remnant: keep its text, drop the remnant's markup
            text = LEFTOVER.sub("", _PIPED.sub("", text))
        if text != line:
            self.warn(number, "template residue removed from this line")
            self.dropped_templates += 1
        return clean_parentheses(text)

    def _dropped(self, number: int, line: str) -> None:
        self.dropped_templates += 1
        shown = line.strip()
        shown = shown if len(shown) <= 50 else shown[:47] + "..."
        self.warn(number, f"template or caption residue dropped: '{shown}'")


def clean_parentheses(text: str) -> str:
    """Remove what stripping non-Latin text left in parentheses, keeping real punctuation."""
    if "(" not in text:
        return text

    def fix(m: re.Match) -> str:
        inner = m.group(2)
        if not re.search(r"[;,:]|^\s*$", inner):
            return m.group(0)                   # ordinary parentheses: untouched
        tidy = _LANGUAGE_CODE.sub("", inner)     # "/ru/": a pronunciation template's remnant
        tidy = _EMPTY_LABEL.sub("", tidy)
        tidy = _DOUBLE_SEPARATOR.sub(lambda s: s.group(1) + " ", tidy)
        tidy = _SEPARATOR_RUN.sub("", tidy)
        if not tidy or not re.search(r"\w", tidy):
            return ""                           # nothing left: drop the parentheses and the space
        return f"{m.group(1)}({tidy})"

    text = _UNCLOSED.sub("", text)
    return _PARENS.sub(fix, text)


# ------------------------------------------------------------------ citations

@dataclass
class Citations:
    """Citation markers and, when the article kept its reference list, their texts."""

    references: dict[str, str] = field(default_factory=dict)     # "12" -> reference text
    removed: Counter = field(default_factory=Counter)             # marker -> times removed
    used: set = field(default_factory=set)

    def split(self, text: str) -> list[tuple[str, str]]:
        """The text as ("text", ...) and ("note", key) pieces; markers without a reference go,
        a spaced marker with the spaces before it ("trial." [42]" -> "trial."" + note)."""
        pieces, at = [], 0
        for m in CITATION.finditer(text):
            if not is_marker(text, m):
                continue
            pieces.append(("text", text[at:m.start()]))
            key = m.group(2).lower()
            if key in self.references:
                pieces.append(("note", key))
                self.used.add(key)
            else:
                self.removed[key] += 1
            at = m.end()
        pieces.append(("text", text[at:]))
        return pieces

    @property
    def removed_count(self) -> int:
        return sum(self.removed.values())


def _in_quotation(before: str) -> bool:
    """Whether the last quotation mark before here opened a quotation: “, or a straight one
    at the start or after a space or opening bracket (one after a word or stop closes)."""
    last = max(before.rfind('"'), before.rfind("“"), before.rfind("”"))
    if last < 0 or before[last] == "”":
        return False
    return before[last] == "“" or last == 0 or before[last - 1].isspace() or before[last - 1] in "([{"


def is_marker(text: str, m: re.Match) -> bool:
    """Whether a bracket CITATION found is a citation marker, not an editor's brackets.

    Glued to the text before it, it is (as it always was). After a space: a maintenance tag
    or "[note 3]" says what it is; a lone letter is an editor's word ("he was [a] traitor");
    inside an open quotation a bracket is the editor's ("under Article [58]."); otherwise a
    number is a marker where citations stand, after the end of a clause or a closing quote
    ('trial." [42]') or closing one ("the census [5]."), and stays text mid-sentence
    ("Article [58] of the code").
    """
    spaces, key = m.group(1), m.group(2)
    if not spaces:
        return True
    if not key[0].isdigit():
        return len(key) > 1
    before, after = text[:m.start()], text[m.end():]
    if _in_quotation(before):
        return False
    return (before[-1] in _CLAUSE_END or not after.strip() or after[0] in ".,;:!?"
            or bool(_NEXT_MARKER.match(after)))


REFERENCE_ITEM = re.compile(r"^\s*(?:(\d{1,3})[.)]\s+)?\^?\s*(?:[a-z]\s+){0,5}(.+)$")


def reference_entries(items: list[str], numbered: bool) -> dict[str, str]:
    """A reference list's items ("1. ^ a b Conquest 1990, p. 5") -> {"1": "Conquest 1990, p. 5"}."""
    entries = {}
    for n, item in enumerate(items, 1):
        m = REFERENCE_ITEM.match(item)
        if not m or not m.group(2).strip():
            continue
        key = m.group(1) if numbered and m.group(1) else str(n)
        entries[key] = m.group(2).strip()
    return entries


# ------------------------------------------------------------------ italics

def split_italics(text: str) -> list[tuple[bool, str]]:
    """(is_italic, text) pieces of a line written with ``_italic_`` runs."""
    pieces, at = [], 0
    for m in ITALIC.finditer(text):
        pieces.append((False, text[at:m.start()]))
        pieces.append((True, m.group(1)))
        at = m.end()
    pieces.append((False, text[at:]))
    return [(italic, piece) for italic, piece in pieces if piece]


# ------------------------------------------------------------------ title case

def restore_case(phrase: str, evidence: str) -> str:
    """The proper case of a phrase printed in capitals, from the article's own text.

    The most frequent spelling of the phrase elsewhere (not in capitals) wins; a single
    short word with no other spelling is an acronym (NKVD) and stays; otherwise title case.
    """
    words = phrase.split()
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.I)
    seen = Counter(m.group(0) for m in pattern.finditer(evidence) if not m.group(0).isupper())
    if seen:
        best = max(seen.items(), key=lambda kv: (kv[1], kv[0]))[0]
        return " ".join(best.split())
    if len(words) == 1 and len(phrase) <= 5:
        return phrase
    return " ".join(w.capitalize() if i == 0 or w.lower() not in SMALL_WORDS else w.lower()
                    for i, w in enumerate(words))


def restore_lead_case(lead: str, evidence: str) -> str:
    """Put the lead's capitalised title phrases ("The GREAT PURGE or GREAT TERROR") into proper case."""
    def fix(m: re.Match) -> str:
        phrase = m.group(0)
        if len(phrase.split()) == 1 and not _has_other_case(phrase, evidence):
            return phrase                       # an acronym: NKVD, USSR, UNESCO
        restored = restore_case(phrase, evidence)
        if m.start() == 0 or lead[:m.start()].rstrip().endswith((".", "!", "?")):
            restored = restored[:1].upper() + restored[1:]
        return restored

    return CAPS_RUN.sub(fix, lead)


def _has_other_case(word: str, evidence: str) -> bool:
    return any(not m.group(0).isupper()
               for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", evidence, re.I))


def is_shouting(text: str) -> bool:
    """A title written all in capitals (two letters or more)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def normalise_title(title: str, evidence: str) -> str:
    return restore_case(" ".join(title.split()), evidence) if is_shouting(title) else title


def wikipedia_url(title: str, site: str = "https://en.wikipedia.org/wiki/") -> str:
    """Wikipedia's rule: first letter capital, spaces to underscores (then percent-encoding)."""
    from urllib.parse import quote

    name = unicodedata.normalize("NFC", " ".join(title.split()))
    name = (name[:1].upper() + name[1:]).replace(" ", "_")
    return site + quote(name, safe="_()'!,:-.~*")
