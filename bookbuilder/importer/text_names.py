"""Names and key phrases drawn from an article's own text, for the drafted index: people,
places, organisations, events, works (italic titles) and the article's recurring concepts.

No model is downloaded: a run of capitalised words is a name when the text gives evidence for
it. A capitalised word that starts a sentence and also appears in lower case elsewhere is an
ordinary word ("After", "Many", "The"); a month or a weekday is a date; a first name from
termbase/name-words.yaml makes a person, indexed surname first; a word like Committee or Trial
at the end makes an organisation or an event.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from bookbuilder.core.config import load_yaml
from bookbuilder.importer.plain_text import Passage

WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?\.?|\d+")
SENTENCE_END = set('.!?:;"“‘([—–')
CONNECTORS = {"of", "the", "for", "de", "von", "van", "der", "du", "la", "le"}
PARTICLES = {"de", "von", "van", "der", "du", "la", "le"}     # inside a person's name: Wilhelm von Mirbach
INITIAL = re.compile(r"[A-Z]\.")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
ROMAN = re.compile(r"[IVXL]+")
# Russian, Japanese, Polish, Welsh, French, Soviet, Allied, Russian-language
ADJECTIVE = re.compile(r"(?:an|ese|ish|lsh|nch|ic|ern|et|ied|-[a-z]+)$")
PERSON, ORGANISATION, EVENT, WORK, CONCEPT, NAME = "person", "organisation", "event", "work", "concept", "name"
MIN_CONCEPT_USES = 3
MIN_KEY_NOUN_USES = 4
# an abstract noun by its ending (execution, repression, terrorism, resettlement, nobility)
KEY_NOUN = re.compile(r"(?<![\w'’-])[a-z]{3,}(?:tions?|sions?|isms?|ments?|ity|ities|ances?|ences?)(?![\w'’-])")


@dataclass
class Name:
    kind: str
    headword: str                                      # as the index prints it ("Conquest, Robert")
    forms: Counter = field(default_factory=Counter)    # spellings in the text -> times
    passages: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.passages)


@functools.lru_cache(maxsize=1)
def name_words() -> dict[str, frozenset[str]]:
    doc = load_yaml(Path(str(resources.files("bookbuilder") / "termbase" / "name-words.yaml")))
    return {key: frozenset(str(w) for w in words) for key, words in doc.data.items()}


def find_names(passages: list[Passage], given_names: set[str] = frozenset()) -> list[Name]:
    """Names and concepts the passages hold, each with its spellings and passages."""
    words = name_words()
    given = words["given"] | given_names
    lower_vocabulary = {w.group(0) for p in passages for w in WORD.finditer(p.text) if w.group(0).islower()}
    runs = [(n, run) for n, p in enumerate(passages) for run in _capitalised_runs(_without_titles(p))]
    mid_sentence = Counter(run[0][0] for _, run in runs if not run[0][1])
    names: dict[str, Name] = {}
    for n, run in runs:
        phrase = _trim(run, words, lower_vocabulary, mid_sentence)
        if phrase:
            _add(names, _classify(phrase, given, words), phrase, n)
    _people_by_surname(names, lower_vocabulary)
    _merge_surnames(names)
    for n, p in enumerate(passages):
        for title in p.italics:
            if _is_title(title):
                _add(names, WORK, title, n)
    for phrase, uses in _concepts(passages, words).items():
        for n, spelling in uses:                   # every spelling is a form: execution, executions
            _add(names, CONCEPT, spelling, n)
        if names[name_key(phrase)].kind == CONCEPT:
            names[name_key(phrase)].headword = phrase      # the spelling the text uses most
    return [name for name in names.values() if _sound(name, words, lower_vocabulary)]


def _capitalised_runs(text: str) -> list[list[tuple[str, bool]]]:
    """Runs of capitalised words, as (word, starts a sentence), joined by single spaces and by
    connectors (Commission of Inquiry, Union of Soviet Socialist Republics)."""
    runs, run, pending, last_end = [], [], [], 0
    for m in WORD.finditer(text):
        word, gap = m.group(0), text[last_end:m.start()]
        if CYRILLIC.search(word):
            word = "x"                      # Russian text is tagged and never indexed by name
        joined = run and gap == " "
        if (word[0].isupper() or _numbers(word, run, pending)) and (joined or not run):
            run += pending + [(_unstop(word), _starts_sentence(text, m.start()))]
            pending = []
            if _closes_run(word) and word not in name_words()["joining"] or word.isdigit():
                runs.append(run)
                run = []
        elif word in CONNECTORS and joined and (_may_join(word, pending) or _epithet(word, run, pending)):
            pending.append((word, False))
        else:
            if run:
                runs.append(run)
            run, pending = ([(_unstop(word), _starts_sentence(text, m.start()))]
                            if word[0].isupper() else []), []
        last_end = m.end()
    if run:
        runs.append(run)
    return runs


def _may_join(word: str, pending: list) -> bool:
    """'of' and 'of the' join two capitalised words (Union of Soviet.., Marshal of the Soviet
    Union); 'the' alone does not (in the Caucasus the Red Army)."""
    if not pending:
        return word != "the"
    return len(pending) == 1 and pending[0][0] in ("of", "for") and word == "the"


def _epithet(word: str, run, pending) -> bool:
    """Ivan the Terrible, Peter the Great: 'the' after a first name."""
    return word == "the" and not pending and len(run) == 1 and _is_given(run[0][0], name_words()["given"])


def _numbers(word: str, run, pending) -> bool:
    """A number ends a name after a capitalised word (Article 58, Order No. 00447), never
    after a month or a preposition (In 1922 the Cheka, 20 December 1917)."""
    if not (word.isdigit() and run and not pending):
        return False
    words = name_words()
    return run[-1][0] not in words["months"] and run[-1][0] not in words["function"]


def _without_titles(passage: Passage) -> str:
    """The passage with its italic runs blanked: a title's words are not names of their own
    (Darkness at Noon); the title itself is taken whole."""
    text = passage.text
    # each title once (the longest first): a replace for every italic run made a line of
    # thousands of the same italics quadratic
    for title in sorted(set(passage.italics), key=len, reverse=True):
        text = text.replace(title, " ; " + "x" * max(0, len(title) - 6) + " ; ")
    return text


def _closes_run(word: str) -> bool:
    """A sentence ends after 'Terror.' (not after an initial 'J.'); a possessive ends a name
    (Stalin's Great Purge is about Stalin and the Great Purge)."""
    return (word.endswith(".") and len(word) > 2 and "." not in word[:-1]) or re.search(r"['’]s?$", word) is not None


def _unstop(word: str) -> str:
    """'Terror.' -> 'Terror'; an initial or an abbreviation keeps its point ('J.', 'U.S.S.R.')."""
    return word if len(word) <= 2 or "." in word[:-1] else word.rstrip(".")


def _starts_sentence(text: str, at: int) -> bool:
    # looks back over the gap only: copying text[:at] for every word made a long passage quadratic
    at -= 1
    while at >= 0 and text[at].isspace():
        at -= 1
    return at < 0 or text[at] in SENTENCE_END


def _trim(run, words, lower_vocabulary, mid_sentence) -> str:
    """The name a run holds: leading ordinary words, titles and dates cut, possessive dropped."""
    tokens = [w for w, _ in run]
    start, end = 0, len(tokens)            # indices, not slices: a run can be thousands of words long
    while start < end and _ordinary_opening(tokens[start:start + 2], start == 0 and run[0][1], words,
                                            lower_vocabulary):
        start += 1
    while start < end and (tokens[end - 1] in CONNECTORS or tokens[end - 1] in words["function"]
                           or tokens[end - 1] in words["months"]):
        end -= 1
    if end - start > 40:
        return ""                          # no name runs to forty words; the rest only costs time
    tokens = tokens[start:end]
    tokens = _before_owner(tokens, words)
    tokens = _from_given_name(tokens, words)
    while tokens and tokens[0] in CONNECTORS:          # Commissar for Internal Affairs: not a name
        tokens = tokens[1:]
    if not tokens or len(tokens) > 6 or all(t in words["months"] or t.isdigit() for t in tokens):
        return ""
    at_start = run[0][1] and len(tokens) == len(run)
    if len(tokens) == 1 and (len(tokens[0]) < 3 or not mid_sentence[tokens[0]] and at_start):
        return ""          # a single word seen only at sentence starts: no evidence it is a name
    phrase = " ".join(tokens)
    return re.sub(r"['’]s$|['’]$", "", phrase).rstrip(".")


def _ordinary_opening(pair: list[str], at_sentence_start: bool, words, lower_vocabulary) -> bool:
    """The first word of a run is no part of a name: a function word, a day, a number, a month
    (unless an event follows: October Revolution), a sentence-start word the text also writes in
    lower case, a connector, an abbreviation with a point."""
    first = pair[0]
    return (first in words["function"] or first in words["days"] or first.isdigit()
            or (first in words["months"] and not _event_follows(pair, words))
            or (at_sentence_start and first.lower() in lower_vocabulary)
            or first in CONNECTORS or first.endswith(".") and len(first) > 3)


def _before_owner(tokens: list[str], words) -> list[str]:
    """'Hetmanate of Pavlo Skoropadsky', 'Russian Army of Pyotr Wrangel': the thing, not its owner."""
    for i, token in enumerate(tokens[1:-1], 1):
        if token == "of" and _is_given(tokens[i + 1], words["given"]):
            return tokens[:i]
    return tokens


def _from_given_name(tokens: list[str], words) -> list[str]:
    """Ranks and titles before a name go: 'Commander Ivan Fedko', 'NKVD Commissar Nikolai Yezhov'."""
    for i, token in enumerate(tokens[1:], 1):
        prior = tokens[i - 1]
        if INITIAL.fullmatch(prior) or _is_given(prior, words["given"]):
            break                                             # J. Arch Getty, Joseph E. Davies
        if (_is_given(token, words["given"]) or INITIAL.fullmatch(token)) and 2 <= len(tokens) - i <= 4 \
                and tokens[i - 1] not in CONNECTORS:
            return tokens[i:]
    for i, token in enumerate(tokens[:-1]):
        if token in words["titles"] and len(tokens) - i <= 4 and tokens[i + 1] not in CONNECTORS:
            rest = tokens[i + 1:]                             # NKVD Commissar Yezhov (not Commissar of Trade)
            while len(rest) > 1 and rest[0] in words["titles"]:
                rest = rest[1:]                               # Consul General Garegin Apresoff
            return rest
    return tokens


def _is_given(token: str, given) -> bool:
    return token in given or token.split("-")[0] in given          # Jean-Paul


def _event_follows(tokens: list[str], words) -> bool:
    return len(tokens) > 1 and tokens[1] in words["event"]          # October Revolution


def _classify(phrase: str, given: set[str], words) -> str:
    tokens = phrase.split()
    if any(t in words["organisation"] for t in tokens[1:]):
        return ORGANISATION
    if tokens[-1] in words["event"]:
        return EVENT
    if 2 <= len(tokens) <= 4 and (_is_given(tokens[0], given) or INITIAL.fullmatch(tokens[0])) \
            and all(t[0].isupper() or t in PARTICLES for t in tokens) and tokens[-1][0].isupper():
        return PERSON
    return NAME


def _add(names: dict[str, Name], kind: str, phrase: str, passage: int) -> None:
    key = name_key(phrase)
    if kind == PERSON:                      # Oleg Khlevniuk and Oleg V. Khlevniuk are one person
        words = phrase.split()
        key = name_key(f"{words[0]} {words[-1]}")
    name = names.get(key)
    if name is None:
        name = names[key] = Name(kind, _headword(kind, phrase))
    name.forms[phrase] += 1
    name.passages.append(passage)


def name_key(phrase: str) -> str:
    """Singular and plural, cases and quotes as one entry: 'Moscow trial' and 'Moscow Trials'."""
    key = phrase.casefold().replace("’", "'")
    return re.sub(r"(?<=[a-z])(?:es|s)$", "", key)


def _headword(kind: str, phrase: str) -> str:
    if kind != PERSON or ROMAN.fullmatch(phrase.split()[-1]):
        return phrase                       # Louis XVI is indexed as he is named
    *given, last = phrase.split()
    particles = []
    while given and given[-1] in PARTICLES:
        particles.insert(0, given.pop())
    return f"{last}, {' '.join(given + particles)}"              # Mirbach, Wilhelm von


def _people_by_surname(names: dict[str, Name], lower_vocabulary: set[str]) -> None:
    """'Maximilien Robespierre' is a person when the text also names 'Robespierre' alone: a
    first name the word list lacks is recognised by the surname's reuse."""
    keys_by_word = _keys_by_word(names)
    for key, name in list(names.items()):
        tokens = name.headword.split()
        if name.kind == NAME and 2 <= len(tokens) <= 3 and tokens[0][1:].islower() \
                and tokens[-1][1:].islower() and not ADJECTIVE.search(tokens[0]) \
                and all(t[:1].isupper() for t in tokens) and not ROMAN.fullmatch(tokens[-1]):
            alone = names.get(name_key(tokens[-1]))
            first_alone = names.get(name_key(tokens[0]))          # Moscow Bolsheviks: Moscow is a place
            if alone is not None and alone.kind == NAME and tokens[0].lower() not in lower_vocabulary \
                    and first_alone is None and tokens[0] not in name_words()["descriptive"] \
                    and not ADJECTIVE.search(tokens[-1].rstrip("s")) and not keys_by_word[tokens[0]] - {key}:
                name.kind, name.headword = PERSON, _headword(PERSON, name.headword)


def _keys_by_word(names: dict[str, Name]) -> dict[str, set[str]]:
    """Which names hold each word: a first name belongs to its person; a word in other names too
    (Nazi Germany, Nazi Party) describes. One pass, so a text of many names stays linear."""
    keys: dict[str, set[str]] = defaultdict(set)
    for key, name in names.items():
        for word in name.headword.replace("-", " ").split():
            keys[word].add(key)
    return keys


def _merge_surnames(names: dict[str, Name]) -> None:
    """A surname alone ("Conquest") joins the one person named in full with it."""
    people: dict[str, list[Name]] = {}
    for name in names.values():
        if name.kind == PERSON:
            people.setdefault(name_key(name.headword.split(",")[0]), []).append(name)
    for key, same in people.items():
        alone = names.get(key)
        if len(same) == 1 and alone is not None and alone.kind == NAME:
            same[0].forms.update(alone.forms)
            same[0].passages += alone.passages
            del names[key]


def _is_title(text: str) -> bool:
    """An italic run that reads as the title of a work: two or more words, mostly capitalised."""
    tokens = text.split()
    capitals = sum(t[:1].isupper() for t in tokens if t.lower() not in CONNECTORS | {"a", "an", "in", "on", "to"})
    return 2 <= len(tokens) <= 12 and capitals >= max(2, len(tokens) // 2) and tokens[0][:1].isupper()


def _concepts(passages: list[Passage], words) -> dict[str, list[tuple[int, str]]]:
    """Two-word phrases in lower case ("show trials", "mass graves") the article comes back to,
    and key single nouns: headword -> (passage, spelling) of each use."""
    stop = {w.lower() for w in words["function"]} | {w.lower() for w in words["months"]}
    uses: dict[str, list[int]] = {}
    spelled: dict[str, Counter] = {}
    for n, passage in enumerate(passages):
        tokens = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(passage.text)]
        for (a, _, end), (b, start, _) in zip(tokens, tokens[1:]):
            if passage.text[end:start] != " " or not (a.isalpha() and b.isalpha()):
                continue
            if not (a.islower() and b.islower()) or a in stop or b in stop or len(a) < 4 or len(b) < 4:
                continue
            if a.endswith("ly") or b.endswith("ly") or b.endswith("ed"):
                continue          # adverbs and verbs make no headword ("largely executed")
            key = name_key(f"{a} {b}")
            uses.setdefault(key, []).append((n, f"{a} {b}"))
            spelled.setdefault(key, Counter())[f"{a} {b}"] += 1
    found = {spelled[k].most_common(1)[0][0]: v for k, v in uses.items()
             if len(v) >= MIN_CONCEPT_USES and len({n for n, _ in v}) >= 2}
    return found | _key_nouns(passages, words)


def _key_nouns(passages: list[Passage], words) -> dict[str, list[tuple[int, str]]]:
    """Single words the article is about: an abstract noun ("executions", "repression",
    "interrogation") it uses four times or more, in three passages and two sections, that is
    not one of English's everyday abstractions (name-words.yaml, ``everyday_nouns``)."""
    everyday = words["everyday_nouns"]
    uses: dict[str, list[int]] = {}
    spelled: dict[str, Counter] = {}
    for n, passage in enumerate(passages):
        for m in KEY_NOUN.finditer(passage.text):
            word = m.group(0)
            if _singular(word) in everyday:
                continue
            key = name_key(word)
            uses.setdefault(key, []).append((n, word))
            spelled.setdefault(key, Counter())[word] += 1
    return {spelled[k].most_common(1)[0][0]: v for k, v in uses.items()
            if len(v) >= MIN_KEY_NOUN_USES and len({n for n, _ in v}) >= 3
            and len({passages[n].section for n, _ in v}) >= 2}


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ities") else word[:-1] if word.endswith("s") else word


def _sound(name: Name, words, lower_vocabulary: set[str]) -> bool:
    """Not a junk headword: an adjective of nationality alone ("German"), a lone title, a word
    the text also writes in lower case ("Terror" in a title; the text speaks of terror), a number."""
    tokens = name.headword.split()
    if name.kind != CONCEPT and len(tokens) == 1:
        word = tokens[0]
        if word.lower() in lower_vocabulary:
            return False
        generic = words["titles"] | words["given"] | words["organisation"] | words["event"]
        if word in generic or (ADJECTIVE.search(word) and not word.isupper()):
            return False
    return not name.headword.replace(",", "").replace(" ", "").isdigit()
