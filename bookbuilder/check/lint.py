"""`python build.py check`: a manuscript linter, in the spirit of `se lint`.

Findings print as ``file:line: code: message``. Codes are stable; the letter says what
they are about (m = manuscript structure, r = Russian, g = glossary and term data) and
CODES says whether a finding is an error (non-zero exit) or a warning.
Nothing here knows about a particular article.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

from bookbuilder import ids
from bookbuilder.core.romanisation import fold, skeleton
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.passes.matching import compile_forms
from bookbuilder.core.model import Book
from bookbuilder.source.sanitize import CODE_SPAN, HTML_TAG
from bookbuilder.core.romanisation import all_schemes
from bookbuilder.check.draft_review import check_drafted
from bookbuilder.check.findings import Finding, SourceLine

LAYOUT_CODES = {"stretched": "l-001", "underfull": "l-002", "contents": "l-003"}

CYRILLIC = re.compile(r"[\u0400-\u04FF]+")
TAGGED_RUSSIAN = re.compile(r"\[[^\]]*\]\{[^}]*lang=\"?ru\"?[^}]*\}")
HEADING = re.compile(r"^(#{1,6})\s")
FENCE = re.compile(r"^:{3,}")                 # Pandoc fenced div markers are not text
MIN_NAME = 4                                  # shorter words are too ambiguous to compare
PROPER_NOUN = re.compile(r"(?<![\w’'-])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?![\w-])")
# Letter groups that different romanisation schemes write differently (я: ya/ia/ja/â, …).
VOWELS = set("aeiouy")


def check_book(book_dir: Path, layout: bool = False) -> list[Finding]:
    book = enrich(read_book(book_dir))
    lines = manuscript_lines(book)
    findings = (check_list_introductions(lines) + check_empty_sections(lines)
                + check_list_like_headings(lines) + check_possible_quotations(lines)
                + check_raw_html(lines) + check_images(book_dir, lines)
                + check_untagged_cyrillic(lines) + check_variant_spellings(book, lines)
                + check_term_data(book, lines) + check_drafted(book, lines) + check_references(book))
    if layout:
        findings += check_layout(book, lines)
    return sorted(set(findings), key=lambda f: (str(f.file), f.line, f.code))


def check_layout(book: Book, lines: list[SourceLine]) -> list[Finding]:
    """Lay the book out as the build does and read the PDF as a reader would
    (layout_quality.py): each fault is reported at the manuscript line its words come from."""
    import tempfile
    from io import BytesIO

    from bookbuilder.layout.parts import write_book_pdf
    from bookbuilder.core.editions import reader_edition
    from bookbuilder.check.layout_quality import check_pdf

    with tempfile.TemporaryDirectory(prefix="bookbuilder-check-") as scratch:
        pdf = write_book_pdf(book, Path(scratch) / "book.pdf", reader_edition(book.config))
        report = check_pdf(BytesIO(pdf.read_bytes()))
    by_title = {" ".join(d.title.split()): d for d in book.divisions}
    findings = []
    for problem in report.problems:
        division = by_title.get(" ".join(report.pages[problem.page].division.split()))
        file = division.source if division else book.config.file
        findings.append(Finding(file, _source_line(lines, file, problem.text), LAYOUT_CODES[problem.kind],
                                str(problem)))
    return findings


def _source_line(lines: list[SourceLine], file: Path, text: str) -> int:
    """The manuscript line holding the printed words (hyphenation undone), else 1."""
    words = [w for w in re.sub(r"[\u2010-]$", "", text).split() if len(w) > 1][:3]
    for line in lines:
        if line.file == file and words and all(w.rstrip("‐") in line.text for w in words):
            return line.number
    return 1


def manuscript_lines(book: Book) -> list[SourceLine]:
    """Every line of the manuscript files, in reading order."""
    result = []
    for division in book.divisions:
        if division.generated:
            continue
        for n, text in enumerate(division.source.read_text(encoding="utf-8").splitlines(), 1):
            result.append(SourceLine(division.source, n, text))
    return result


def _blocks(lines: list[SourceLine]):
    """Group lines into blocks (runs of non-blank lines) per file."""
    for _, file_lines in itertools.groupby(lines, key=lambda l: l.file):
        block: list[SourceLine] = []
        for line in file_lines:
            if line.text.strip() and not FENCE.match(line.text):
                block.append(line)
            elif block:
                yield block
                block = []
        if block:
            yield block
        yield None     # end of file


# ------------------------------------------------------------------ structure

def check_list_introductions(lines: list[SourceLine]) -> list[Finding]:
    """A paragraph ending in ':' followed by a heading or the end of the file."""
    findings = []
    previous = None
    for block in _blocks(lines):
        nothing_follows = block is None or HEADING.match(block[0].text)
        if previous is not None and nothing_follows:
            last = previous[-1]
            if last.text.rstrip().endswith(":") and not HEADING.match(previous[0].text):
                findings.append(Finding(last.file, last.number, "m-001",
                                        "this introduces a list or quotation, but nothing follows it"))
        previous = block
    return findings


def check_empty_sections(lines: list[SourceLine]) -> list[Finding]:
    findings = []
    previous = None
    for block in _blocks(lines):
        if previous is not None and (m := HEADING.match(previous[0].text)) and len(m.group(1)) > 1:
            following = HEADING.match(block[0].text) if block else None
            if block is None or (following and len(following.group(1)) <= len(m.group(1))):
                findings.append(Finding(previous[0].file, previous[0].number, "m-002",
                                        f"section '{previous[0].text.lstrip('# ').strip()}' is empty"))
        previous = block
    return findings


LIST_LIKE_HEADING = re.compile(r"^#{2,6}\s+(?:\d{1,3}[.)]\s|.*[.,;]\s*$|.{80,})")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s")
QUOTED = re.compile(r'^["“‘].{40,}["”’]\W{0,3}$')


def check_list_like_headings(lines: list[SourceLine]) -> list[Finding]:
    """A heading that reads like a list item: numbered, ending in punctuation, or very long."""
    return [Finding(line.file, line.number, "m-003",
                    f"heading '{line.text.lstrip('# ').strip()[:60]}' reads like a list item; "
                    "make it one ('- ...') or shorten the heading")
            for line in lines if LIST_LIKE_HEADING.match(line.text)]


def check_possible_quotations(lines: list[SourceLine]) -> list[Finding]:
    """After a line ending in ':', a plain paragraph of prose or a list of long sentences may be
    a quotation the plain text lost; so may a paragraph that is one quotation from end to end."""
    findings = []
    previous = None
    for block in _blocks(lines):
        if block is None:
            previous = None
            continue
        first = block[0].text.strip()
        plain = not HEADING.match(first) and not first.startswith(">") and not LIST_ITEM.match(first)
        after_colon = previous is not None and previous[-1].text.rstrip().endswith(":") \
            and not HEADING.match(previous[0].text)
        sentence = len(first) > 150 and first.rstrip().endswith((".", "!", "?", '"', "”"))
        if after_colon and sentence and (plain or LIST_ITEM.match(first)):
            what = "paragraph" if plain else "list"
            findings.append(Finding(block[0].file, block[0].number, "m-004",
                                    f"this {what} follows a line ending in ':' and may be a quotation; "
                                    "if so, start it with '> '"))
        elif plain and QUOTED.match(first) and len(block) == 1:
            findings.append(Finding(block[0].file, block[0].number, "m-004",
                                    "this paragraph is one quotation; if it is a block quotation, start it with '> '"))
        previous = block
    return findings


DANGEROUS_TAGS = {"script", "iframe", "frame", "style", "link", "object", "embed", "applet", "meta",
                  "base", "form", "svg", "math"}
EVENT_ATTRIBUTE = re.compile(r"(?<![\w-])on[a-z]{3,}\s*=|\bstyle\s*=|javascript:", re.I)
RESOURCE_ATTRIBUTE = re.compile(r"\b(?:src|srcset|data|poster|background)\s*=|url\(", re.I)
MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def _prose_lines(lines: list[SourceLine]):
    """Lines outside code fences, with inline code removed: code is meant to print as typed."""
    fenced = False
    for line in lines:
        if line.text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield line, CODE_SPAN.sub("", line.text)


def check_raw_html(lines: list[SourceLine]) -> list[Finding]:
    """HTML is text in a manuscript (README, "Raw HTML"): report it so the author rewrites it."""
    findings = []
    for line, text in _prose_lines(lines):
        for m in HTML_TAG.finditer(text):
            tag = (m.group(1) or "!--").lower()
            if tag in DANGEROUS_TAGS or EVENT_ATTRIBUTE.search(m.group(0)) or RESOURCE_ATTRIBUTE.search(m.group(0)):
                findings.append(Finding(line.file, line.number, "h-001",
                                        f"<{tag}> is never rendered: delete it"))
            else:
                findings.append(Finding(line.file, line.number, "h-002",
                                        f"<{tag}> prints as text; use Markdown (*em*, **strong**, ^sup^, ~sub~)"))
        if "{" in text and EVENT_ATTRIBUTE.search(text) and not HTML_TAG.search(text):
            findings.append(Finding(line.file, line.number, "h-001",
                                    "event handlers, style and javascript: attributes are removed from the output"))
    return findings


def check_images(book_dir: Path, lines: list[SourceLine]) -> list[Finding]:
    from bookbuilder.source.image_refs import judge

    findings = []
    for line, text in _prose_lines(lines):
        for m in MD_IMAGE.finditer(text):
            verdict = judge(m.group(1), line.file, book_dir)
            if verdict.path is None:
                findings.append(Finding(line.file, line.number, "h-003", verdict.problem))
    return findings


def check_untagged_cyrillic(lines: list[SourceLine]) -> list[Finding]:
    findings = []
    for line in lines:
        rest = TAGGED_RUSSIAN.sub("", line.text)
        for m in CYRILLIC.finditer(rest):
            findings.append(Finding(line.file, line.number, "r-002",
                                    f"'{m.group(0)}' is not tagged as Russian; write [{m.group(0)}]{{lang=ru}}"))
    return findings


# ------------------------------------------------------------------ spelling variants

def vowel_variant(a: str, b: str) -> bool:
    """Same length, one vowel differs inside the word (Kurapaty / Kuropaty)."""
    if len(a) != len(b) or len(a) < 6 or a[0] != b[0]:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return (len(diffs) == 1 and 0 < diffs[0] < len(a) - 2
            and a[diffs[0]] in VOWELS and b[diffs[0]] in VOWELS)


def check_variant_spellings(book: Book, lines: list[SourceLine]) -> list[Finding]:
    first_seen: dict[str, SourceLine] = {}
    counts: Counter = Counter()
    for line in lines:
        if HEADING.match(line.text):
            continue
        for m in PROPER_NOUN.finditer(line.text):
            counts[m.group(0)] += 1
            first_seen.setdefault(m.group(0), line)
    pairs: set[tuple[str, str]] = set()
    words = sorted(w for w in first_seen if len(w) >= MIN_NAME)
    by_skeleton: dict[str, list[str]] = {}
    for word in words:
        by_skeleton.setdefault(skeleton(word), []).append(word)
    for group in by_skeleton.values():
        pairs.update(itertools.combinations(sorted(group), 2))
    folded = {w: fold(w) for w in words}
    for a, b in itertools.combinations(words, 2):
        if vowel_variant(folded[a], folded[b]):
            pairs.add((a, b))
    pairs.update(_scheme_pairs(book, first_seen))
    findings = []
    for a, b in sorted(pairs):
        # report at the rarer spelling: that is the one an editor will change
        rare, usual = (a, b) if (counts[a], a) < (counts[b], b) else (b, a)
        line = first_seen[rare]
        findings.append(Finding(line.file, line.number, "r-001",
                                f"'{rare}' ({counts[rare]}×) and '{usual}' ({counts[usual]}×) look like "
                                "two spellings of one name; choose one"))
    return findings


def _scheme_pairs(book: Book, first_seen: dict[str, SourceLine]) -> set[tuple[str, str]]:
    """Words in the text that some iuliia scheme makes of a Russian term's Cyrillic,
    besides the spelling the term data uses."""
    schemes = all_schemes()
    text_words = {fold(w): w for w in first_seen if len(w) >= MIN_NAME}
    pairs = set()
    for term in book.terms:
        english_words = [w for w in re.findall(r"[A-Za-z]+", term.english) if w[:1].isupper()]
        for cyrillic_word in term.cyrillic.split():
            spellings = {fold(s.romanise(cyrillic_word)) for s in schemes}
            found = [text_words[s] for s in spellings if s in text_words]
            for word in found:
                for english in english_words:
                    if english in first_seen and english != word and fold(english) in spellings:
                        pairs.add(tuple(sorted((english, word))))
    return pairs


# ------------------------------------------------------------------ term data

def check_term_data(book: Book, lines: list[SourceLine]) -> list[Finding]:
    findings = []
    for entry in book.glossary:
        if not entry.uses:
            findings.append(Finding(entry.file, entry.line or 1, "g-001",
                                    f"glossary entry '{entry.headword}' matches nothing in the chapters "
                                    f"(forms: {', '.join(entry.match)})"))
    # found in the chapters: noted, registered, or (organisations with notes: terms) matched
    chapter_files = {d.source for d in book.chapters}
    chapter_lines = [l for l in lines if l.file in chapter_files]
    noted = {ids.term_of_translit_note(note.id) for d in book.chapters for note in d.notes if note.kind == "translit"}
    noted |= {entry.term.id for entry in book.register}
    noted |= {t.id for t in book.terms if t.id not in noted and _first_line(compile_forms(t.match), chapter_lines)}
    for term in book.terms:
        if term.id not in noted:
            findings.append(Finding(term.file, term.line or 1, "g-002",
                                    f"'{term.english}' is never found in the chapters (forms: {', '.join(term.match)})"))
    glossary_cyrillic = {e.cyrillic.casefold() for e in book.glossary if e.cyrillic}
    glossary_forms = {f.casefold() for e in book.glossary for f in e.match + [e.headword]}
    chapter_files = {d.source for d in book.chapters}
    for term in book.terms:
        if term.kind not in ("term", "organisation") or term.id not in noted:
            continue
        if term.cyrillic.casefold() in glossary_cyrillic or any(f.casefold() in glossary_forms for f in term.match):
            continue
        where = _first_line(compile_forms(term.match), [l for l in lines if l.file in chapter_files])
        if where:
            findings.append(Finding(where.file, where.number, "g-003",
                                    f"'{term.english}' is a Russian term used here but has no glossary entry"))
    for entry in book.index_unused:
        findings.append(Finding(entry.file, entry.line or 1, "i-001",
                                f"index entry '{entry.headword}' matches nothing in the chapters"
                                + (f" (see '{entry.see}' is gone)" if entry.see else "")))
    return findings


def check_references(book: Book) -> list[Finding]:
    """Citation keys no reference has (c-001) and cross-references to no known id (x-001): the
    build prints them as the key with a question mark and as '??'."""
    return [Finding(u.file, u.line or 1, "c-001", f"citation key '{u.key}' is not in the book's references")
            for u in book.unknown_citations] + [
        Finding(u.file, u.line or 1, "x-001", f"cross-reference '@{u.key}' names no figure, chapter or section")
        for u in book.unknown_crossrefs]


def _first_line(pattern, lines: list[SourceLine]) -> SourceLine | None:
    for line in lines:
        if not HEADING.match(line.text) and pattern.search(line.text):
            return line
    return None
