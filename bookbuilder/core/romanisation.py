"""Romanisation of Russian through iuliia's schemes (never a hand-written letter table)."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

import iuliia

from bookbuilder.errors import ConfigError

DEFAULT_SCHEME = "ala_lc"
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")


@dataclass
class LetterRow:
    cyrillic_upper: str
    cyrillic_lower: str
    latin_upper: str
    latin_lower: str


@dataclass
class Scheme:
    """A named romanisation scheme from iuliia."""

    name: str

    def __post_init__(self):
        if not iuliia.schemas.has(self.name):
            raise ConfigError(f"unknown transliteration scheme '{self.name}'",
                              hint="one of: " + ", ".join(sorted(iuliia.schemas.names())))
        self._schema = iuliia.schemas.get(self.name)

    @property
    def label(self) -> str:
        """Human name, e.g. 'ALA-LC' from 'ALA-LC transliteration schema.'"""
        description = self._schema.description or self.name
        return description.split(" transliteration")[0].strip().rstrip(".")

    @property
    def url(self) -> str:
        return self._definition().get("url") or ""

    def romanise(self, text: str) -> str:
        return self._latin_only(self._schema.translate(text))

    def _latin_only(self, text: str) -> str:
        """Some iuliia schemes pass a letter through unchanged (ALA-LC: ё -> ё, still Cyrillic).
        Such a letter is decomposed, its base letter romanised by the same scheme and its
        diacritic kept: ё -> e + diaeresis -> ë."""
        def fix(m: re.Match) -> str:
            base, *marks = unicodedata.normalize("NFD", m.group(0))
            if not marks:
                return m.group(0)
            latin = self._mapping().get(base.lower(), base)     # the letter's plain, context-free form
            if base.isupper():
                latin = latin[:1].upper() + latin[1:]
            return unicodedata.normalize("NFC", latin + "".join(marks))
        return CYRILLIC_LETTER.sub(fix, text)

    def _mapping(self) -> dict:
        if not hasattr(self, "_base_mapping"):
            self._base_mapping = self._definition()["mapping"]
        return self._base_mapping

    def _definition(self) -> dict:
        with open(self._schema.path, encoding="utf-8") as fh:
            return json.load(fh)

    def letter_table(self) -> list[LetterRow]:
        """The scheme's own letter mapping for the Russian alphabet, both cases."""
        mapping = self._mapping()
        rows = []
        for lower in russian_alphabet():
            latin = self._latin_only(mapping[lower]) if lower in mapping else self.romanise(lower)
            rows.append(LetterRow(lower.upper(), lower, latin[:1].upper() + latin[1:], latin))
        return rows

    def context_rules(self) -> list[tuple[str, str, str]]:
        """Context-dependent mappings (word-initial, before a letter, word endings) as (where, from, to)."""
        definition = self._definition()
        rules = []
        for key, where in (("prev_mapping", "after/at start"), ("next_mapping", "before"),
                           ("ending_mapping", "word ending")):
            for source, target in (definition.get(key) or {}).items():
                rules.append((where, source, target))
        return rules


def russian_alphabet() -> list[str]:
    """а…я with ё after е: the 33 letters, from Unicode order."""
    letters = [chr(c) for c in range(ord("а"), ord("я") + 1)]
    letters.insert(letters.index("е") + 1, "ё")
    return letters


def all_schemes() -> list[Scheme]:
    return [Scheme(name) for name in sorted(iuliia.schemas.names())]


# Spellings the usual romanisation schemes disagree on, reduced to one key: a text that writes
# Yezhov, Ezhov or Ježov means one name; a mistyped letter (Yezhoy) still differs.
SCHEME_VARIANTS = [("shch", "sc"), ("sch", "sc"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("tz", "c"),
                   ("ya", "ia"), ("yu", "iu"), ("yo", "io"), ("ye", "e"), ("ja", "ia"), ("ju", "iu"),
                   ("y", "i"), ("j", "i"), ("ii", "i")]


def fold(word: str) -> str:
    """Lowercase without diacritics or combining ties: 'T͡svetaeva' -> 'tsvetaeva'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


def skeleton(word: str) -> str:
    """A spelling key on which the usual romanisation schemes agree."""
    key = fold(word)
    for source, target in SCHEME_VARIANTS:
        key = key.replace(source, target)
    return key


SPELLING_SCHEMES = ("wikipedia", "bgn_pcgn")   # the schemes English texts mostly follow


def written_from(form: str, cyrillic: str) -> bool:
    """Whether ``form`` is the Cyrillic romanised (by a usual scheme, up to their variants),
    word for word: 'kulaks' is written from 'кулаки', 'NKVD' from 'НКВД', 'Red Army' is a
    translation of 'Красная армия', not a romanisation."""
    wanted = [skeleton(w) for w in form.split()]
    if not wanted or not all(wanted):
        return False
    for name in SPELLING_SCHEMES:
        words = [skeleton(w) for w in Scheme(name).romanise(cyrillic).split()]
        if words == wanted or (cyrillic.isupper() and ["".join(words)] == wanted):
            return True
        if cyrillic.isupper() and len(wanted) == 1 and _spoken_letters(wanted[0], "".join(words)):
            return True
        if len(wanted) == len(words) and all(_same_stem(w, r) for w, r in zip(wanted, words)):
            return True
    return False


def _spoken_letters(written: str, letters: str) -> bool:
    """An abbreviation said as a word, by its last letters at least: Cheka for (В)ЧК, Gulag."""
    consonants = re.sub("[aeiou]", "", written)
    return len(consonants) >= 2 and re.sub("[aeiou]", "", letters).endswith(consonants)


def _same_stem(written: str, romanised: str) -> bool:
    """An inflected or English plural ending (kulaki / kulaks), or the same consonants where
    English keeps an older spelling or spells the letters out (Politburo for Politbyuro,
    Cheka for ЧК)."""
    if written.startswith(romanised[:max(4, len(romanised) - 2)]) and len(written) - len(romanised) <= 3:
        return True
    consonants = [re.sub("[aeiou]", "", w) for w in (written, romanised)]
    return len(consonants[0]) >= 2 and consonants[0] == consonants[1]
