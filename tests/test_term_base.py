"""The term base (bookbuilder/termbase/, issue 23) held to itself: each Cyrillic form, romanised
by iuliia's Wikipedia and BGN/PCGN schemes, comes out close to a form the entry lists (a
mistyped letter does not); dates are plausible; no two entries claim one form."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from bookbuilder.check.lint import skeleton
from bookbuilder.core.romanisation import Scheme
from bookbuilder.errors import ConfigError
from bookbuilder.source.term_base import load_term_base

SCHEMES = ("wikipedia", "bgn_pcgn")


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9 ]+", "", "".join(c for c in plain if not unicodedata.combining(c))).strip()


def spellings(cyrillic: str, scheme: Scheme) -> set[str]:
    """The Cyrillic romanised whole, its last word (a surname), and the initials of its words
    (an abbreviation spelled out: НКВД is written NKVD)."""
    whole = fold(scheme.romanise(cyrillic))
    words = whole.split()
    found = {whole, words[-1]}
    if cyrillic.isupper() or len(words) > 2:
        found.add("".join(w[0] for w in words))
    return found


def close(a: str, b: str) -> bool:
    """One spelling, word for word, up to what romanisation schemes vary in (check/lint.skeleton:
    kh/h, ya/ia, y/i...): a mistyped letter is not (Ежов typed Ежоы: Yezhoy, not Yezhov)."""
    return [skeleton(w) for w in a.split()] == [skeleton(w) for w in b.split()]


def candidates(forms) -> set[str]:
    out = set()
    for form in forms:
        folded = fold(form)
        if folded:
            out |= {folded, folded.split()[-1]}
    return out


@pytest.fixture(scope="module")
def base():
    return load_term_base()


@pytest.mark.parametrize("scheme_name", SCHEMES)
def test_every_cyrillic_form_romanises_close_to_a_listed_form(base, scheme_name):
    scheme = Scheme(scheme_name)
    far = []
    for entry in base.terms + base.people:
        if entry.cyrillic and not any(close(s, c) for s in spellings(entry.cyrillic, scheme)
                                      for c in candidates(entry.forms)):
            far.append(f"{entry.file.name}:{entry.line}: {entry.id}: {scheme.romanise(entry.cyrillic)} ~ {entry.forms}")
    assert not far, "\n".join(far)


def test_a_mistyped_letter_is_caught():
    """The check above fails on a real typo: Ежов spelled Ежоы, Сталин spelled Стадин."""
    scheme = Scheme("wikipedia")
    assert not any(close(s, c) for s in spellings("Николай Ежоы", scheme) for c in candidates(["Yezhov"]))
    assert any(close(s, c) for s in spellings("Николай Ежов", scheme) for c in candidates(["Yezhov"]))


def test_dates_are_plausible(base):
    wrong = [f"{p.file.name}:{p.line}: {p.id} {p.born}-{p.died}" for p in base.people
             if not 1780 <= p.born <= 1991 or (p.died is not None and not p.born < p.died <= 2026)
             or (p.died is not None and p.died - p.born > 105)]
    assert not wrong, wrong


def test_no_two_entries_claim_one_form(base):
    claims = Counter(form for entry in base.terms + base.people for form in {fold(f) for f in entry.forms})
    shared = sorted(form for form, n in claims.items() if n > 1)
    assert not shared, shared


def test_every_entry_says_where_its_facts_came_from(base):
    assert base.terms and base.people
    assert all(entry.source for entry in base.terms + base.people)


def test_a_bad_entry_is_one_error_naming_file_and_line(tmp_path):
    (tmp_path / "terms.yaml").write_text("- id: ok\n  kind: term\n  forms: [ok]\n  gloss: fine\n  source: x\n"
                                         "- id: Bad Id\n  kind: term\n  forms: [x]\n  gloss: y\n  source: z\n",
                                         encoding="utf-8")
    (tmp_path / "people.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_term_base(tmp_path)
    assert info.value.line == 6 and "terms.yaml" in str(info.value.file)
