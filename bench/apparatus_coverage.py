"""Issue 23's measures of a drafted apparatus, on articles a person has judged
(bench/apparatus_judged.yaml; tests/articles/unseen/judged.yaml, judged by a
person who wrote those articles and did not see the drafting's output): run by hand, `python bench/apparatus_coverage.py [ARTICLE...]`.

For each article: import it (timing the drafting), read the book as a build does (no layout),
and report the share of its Russian words used twice that get a note or a glossary entry, of
the people it names in full that are in the register and in the index, the index's main
entries per 50 words, and the share of index marks whose text holds the headword.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bookbuilder.importer.book_import import import_article  # noqa: E402
from bookbuilder.passes.enrich import enrich  # noqa: E402
from bookbuilder.source.manuscript import read_book  # noqa: E402


def covered(word: str, forms: set[str]) -> bool:
    """A word is explained when a note's or glossary entry's form starts with its stem."""
    stem = word.casefold()[: max(4, len(word) - 2)] if len(word) > 4 else word.casefold()
    return any(f.startswith(stem) for f in forms)


def measure(article: Path, judged: dict) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        book_dir = Path(scratch) / "book"
        start = time.perf_counter()
        import_article(article, book_dir, warn=lambda *_: None)
        seconds = time.perf_counter() - start
        book = enrich(read_book(book_dir))
        words = sum(len(d.body.text_content().split()) for d in book.chapters)
        noted = {f.casefold() for t in book.terms for f in t.match}
        glossed = {f.casefold() for e in book.glossary for f in e.match + [e.headword]}
        russian = judged.get("russian") or []
        explained = [w for w in russian if covered(w, noted | glossed)]
        people = judged.get("people") or []
        surnames = [p.split()[-1].split("-")[0] for p in people]
        named = [t for t in book.terms if t.kind == "name"] + book.people
        registered = {t.english.split()[-1].split("-")[0] for t in named}
        registered |= {f.split()[-1].split("-")[0] for t in named for f in t.match}
        indexed = {w for e in book.index for f in e.match for w in f.replace("-", " ").split()}
        main = [e for e in book.index if not e.see and e.used]
        marks = [(e, o) for e in book.index for item in [e] + e.sub for o in item.occurrences]
        sample = random.Random(23).sample(marks, min(50, len(marks)))
        holds = sum(_holds(book, entry, occurrence) for entry, occurrence in sample)
        return {
            "article": article.name, "words": words, "drafting_s": round(seconds, 2),
            "russian_explained": f"{len(explained)}/{len(russian)}",
            "missing_russian": sorted(set(russian) - set(explained)),
            "people_in_register": f"{sum(s in registered for s in surnames)}/{len(people)}",
            "people_in_index": f"{sum(s in indexed for s in surnames)}/{len(people)}",
            "missing_from_index": [p for p, s in zip(people, surnames) if s not in indexed],
            "index_main_entries": len(main), "words_per_entry": round(words / max(1, len(main)), 1),
            "sampled_marks_holding_headword": f"{holds}/{len(sample)}",
        }


def _holds(book, entry, occurrence) -> bool:
    division = next(d for d in book.chapters if d.id == occurrence.division_id)
    roots = [division.body] + [n.content for n in division.notes if n.content is not None]
    for root in roots:
        found = root.xpath(f'.//*[@id="{occurrence.id}"]')
        if found:
            text = found[0].text_content().casefold()
            heads = {entry.headword.split(",")[0].casefold(), *(f.casefold() for f in entry.match)}
            return any(re.sub(r"['’]s$", "", h) in text or text in h for h in heads)
    return False


def main(paths: list[str]) -> None:
    judged = {}
    for lists in (ROOT / "bench" / "apparatus_judged.yaml", ROOT / "tests" / "articles" / "unseen" / "judged.yaml"):
        if lists.exists():
            judged.update(yaml.safe_load(lists.read_text(encoding="utf-8")))
    for name in paths or list(judged):
        print(yaml.safe_dump(measure(ROOT / name, judged.get(name, {})), allow_unicode=True, sort_keys=False))


if __name__ == "__main__":
    main(sys.argv[1:])
