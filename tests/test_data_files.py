"""The data files (book.yaml, glossary.yaml, russian-terms.yaml, people.yaml, index.yaml, figures/*.yaml) and
the captions of the author's images are user input: whatever they hold, reading the book and
enriching it either succeeds or stops at one line naming the file and line, never an internal
error. Fuzzed with hypothesis; reading and enrichment only (no layout), so it stays quick."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbuilder.core.config import load_config
from bookbuilder.core.packet_specs import declared_packets
from bookbuilder.errors import BookError, ConfigError
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from test_small_books import make_book

GLOSSARY = """- headword: Lorem
  cyrillic: лорем
  definition: A word of *filler* text.
  match: [Lorem, lorem]
  see_also: [ipsum]
- headword: ipsum
  definition: The filler's second word.
"""
RUSSIAN = """- id: dolor
  kind: term
  cyrillic: долор
  english: dolor
  match: [dolor]
  gloss: "pain, in the filler"
- kind: name
  cyrillic: Амет Ситов
  english: Amet
  dates: 1900–1950
"""
INDEX = """- headword: "Lorem"
  match: ["Lorem"]
  sub:
    - headword: "in chapter 1"
      match: ["chapter 1"]
  see_also: ["amet"]
- headword: "amet"
  match: ["amet"]
- headword: "sit"
  see: "amet"
"""
FIGURE = """id: counts
chapter: chapters/01.md
after: Paragraph 0 of chapter 1
title: Counts
caption: Made up.
source: Made up for the test.
alt: Bars of counts.
chart:
  kind: bars
  categories: ["1790", "1791"]
  series: [{name: Locks, values: [3, 5]}]
"""
TIMELINE = """id: periods
chapter: chapters/02.md
after: Paragraph 0 of chapter 2
title: Periods
source: Made up.
alt: Two periods.
chart:
  kind: timeline
  rows: [{label: One, start: 1936-09, end: 1937-07}, {label: Two, start: 1937-07, end: 1938-11}]
"""
PACKETS = """packets:
  - id: week-1
    title: Week one
    chapters: 1-2
    impose: [booklet]
"""
PEOPLE = """- name: Lorem Ipsum
  dates: 1890–1950
  who: A made-up historian.
  match: [Lorem Ipsum]
"""
INDEX_WITHIN = """- headword: "amet"
  match: ["amet"]
  sub:
    - headword: "in the first chapter"
      within: ["Chapter 1"]
"""
DATA_FILES = {"glossary.yaml": GLOSSARY, "russian-terms.yaml": RUSSIAN, "index.yaml": INDEX + INDEX_WITHIN.replace(
              '"amet"', '"dolor"', 2), "people.yaml": PEOPLE,
              "figures/counts.yaml": FIGURE, "figures/periods.yaml": TIMELINE}


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    """A small book with every data file, which reads and enriches cleanly."""
    book = make_book(tmp_path_factory.mktemp("seed"), chapters=2, paragraphs=2)
    (book / "figures").mkdir()
    for name, text in DATA_FILES.items():
        (book / name).write_text(text, encoding="utf-8")
    with (book / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(PACKETS)
    enriched = enrich(read_book(book))
    assert enriched.glossary and enriched.terms and enriched.index and len(enriched.figures) == 2
    assert enriched.people
    return book


def _fresh(seed_book: Path, tmp_path: Path) -> Path:
    book = tmp_path / "book"
    if book.exists():
        shutil.rmtree(book)
    shutil.copytree(seed_book, book)
    return book


def _read(book: Path) -> None:
    """What a build does with the data before it lays anything out."""
    config = load_config(book)
    declared_packets(config)
    enrich(read_book(book))


def _assert_one_line(exc: BookError, path: Path, text: str) -> None:
    """``file:LINE: error: ...``, one line, with a line that is in the file."""
    message = str(exc)
    m = re.match(rf"{re.escape(str(path))}:(\d+): error: ", message)
    assert m and "\n" not in message, message
    assert 1 <= int(m.group(1)) <= len(text.splitlines()) + 1, (message, text)


# ------------------------------------------------------------------ control characters, one by one

NAMES = ["book.yaml", *DATA_FILES]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\ufffe"])
def test_a_control_character_in_a_data_file_is_an_error_naming_its_line(seed_book, tmp_path, name, char):
    book = _fresh(seed_book, tmp_path)
    lines = (book / name).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1][:-1] + char + "\n"            # at the end of the second line's value
    (book / name).write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        _read(book)
    assert str(info.value).startswith(f"{book / name}:2: error: "), str(info.value)
    assert f"U+{ord(char):04X}" in str(info.value)
    assert info.value.exit_code == 2


BAD_YAML = {
    "escaped control character": ('title: "Small\\aBook"\n', 1),
    "impossible date": ("edition_date: 2026-13-01\n", 1),
    "impossible time zone": ("edition_date: 2001-12-14t21:59:43.10+99:00\n", 1),
    "integer that is not": ("trim: !!int abc\n", 1),
    "boolean that is not": ("trim: !!bool maybe\n", 1),
    "timestamp that is not": ("trim: !!timestamp x\n", 1),
    "unknown tag": ("trim: !foo x\n", 1),
    "python object": ("trim: !!python/object:os.system x\n", 1),
    "list as a key": ("? [a]\n: b\n", 1),
    "mapping as a key": ("? {a: 1}\n: 2\n", 1),
    "alias to itself": ("notes: &x [*x]\n", 1),
    "aliases expanding without end": ("".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" if i else
                                              "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" for i in range(12)), 6),
    "nesting 900 deep": ("notes: " + "[" * 900 + "]" * 900 + "\n", 1),
    "not UTF-8": (b"notes: caf\xe9\n".decode("latin-1"), 1),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_yaml_the_reader_refuses_is_an_error_naming_its_line(seed_book, tmp_path, case):
    text, line = BAD_YAML[case]
    book = _fresh(seed_book, tmp_path)
    path = book / "book.yaml"
    before = path.read_bytes()
    extra = text.encode("latin-1") if case == "not UTF-8" else text.encode("utf-8")
    path.write_bytes(before + extra)
    with pytest.raises(ConfigError) as info:
        _read(book)
    expected = before.count(b"\n") + line
    assert str(info.value).startswith(f"{path}:{expected}: error: "), str(info.value)


# ------------------------------------------------------------------ fuzzing

# fragments that tend to break readers: controls, escapes, tags, anchors, flow and block marks
_NASTY = st.sampled_from([
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\r", "\t", "\\", '"\\a"', '"\\x07"',
    "\udcff", "!!int", "!!bool", "!!timestamp", "!!binary", "!foo", "!!python/name:os.system", "&a", "*a", "<<:",
    "? ", ": ", "- ", "[", "]", "{", "}", ",", "#", "|", ">", "'", '"', "%YAML 1.1", "---", "...", "~", "null",
    "2026-13-01", "1937-07", "1e999", ".nan", "0x1F", "-1", "0", "", "yes", "é", "ж", "Лорем", "[[File:x]]",
    "\n  ", "\n- ", "\n  - ", "\nkey: ", "chapters/01.md", "../../etc/passwd", "/etc/passwd", "Lorem",
])
_insert = st.one_of(_NASTY, st.text(max_size=12), st.lists(_NASTY, max_size=4).map("".join))


@st.composite
def _mutated(draw, seed: str) -> bytes:
    """The seed file with a few splices of nasty text, as UTF-8 (lone surrogates passed through
    as the bytes an editor could have saved)."""
    text = seed
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        text = text[:at] + draw(_insert) + text[at + cut:]
    return text.encode("utf-8", errors="surrogatepass")


_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.text(max_size=20), _NASTY, st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
_value = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8) | _NASTY, inner,
                                                                       max_size=4)), max_leaves=12)


def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, path + (i,))


@st.composite
def _restructured(draw, seed: str) -> bytes:
    """The seed's data with one or two of its values (or keys' values) replaced by any YAML
    value: the wrong type where a reader expects another, written as a YAML writer would."""
    data = yaml.safe_load(seed)
    for _ in range(draw(st.integers(1, 2))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        if not path:
            data = draw(_value)
            continue
        holder = data
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = draw(_value)
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", errors="surrogatepass")


def _seed(seed_book: Path, name: str) -> str:
    return (seed_book / name).read_text(encoding="utf-8")


FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _fuzz_one(seed_book: Path, tmp_path: Path, name: str, data: bytes) -> None:
    book = _fresh(seed_book, tmp_path)
    (book / name).write_bytes(data)
    try:
        _read(book)
    except BookError as exc:
        _assert_one_line(exc, book / name, data.decode("utf-8", errors="replace"))


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.data())
def test_fuzzed_data_files_read_or_stop_at_one_line(seed_book, tmp_path, name, data):
    seed = _seed(seed_book, name)
    how = data.draw(st.sampled_from(["mutated", "restructured", "bytes"]))
    if how == "mutated":
        content = data.draw(_mutated(seed))
    elif how == "restructured":
        content = data.draw(_restructured(seed))
    else:
        content = data.draw(st.binary(max_size=200))
    _fuzz_one(seed_book, tmp_path, name, content)


@FUZZ
@given(caption=st.lists(_insert, max_size=8).map("".join))
def test_fuzzed_image_captions_read_or_stop_at_one_line(seed_book, tmp_path, caption):
    """An image whose caption is anything: it may hold index, glossary and Russian terms
    (Lorem, dolor), Markdown, controls; reading and enrichment succeed or name the line."""
    from PIL import Image

    book = _fresh(seed_book, tmp_path)
    (book / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), (200, 220, 240)).save(book / "images" / "a.png")
    chapter = book / "chapters" / "01.md"
    text = chapter.read_text(encoding="utf-8") + f"\n![Lorem dolor {caption} amet](images/a.png)\n\nAfter.\n"
    chapter.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        _read(book)
    except BookError as exc:
        _assert_one_line(exc, chapter, text)
