"""The back-of-book index: curated terms (book/index.yaml, source/index_data.py) marked in the text.

Every occurrence of a headword's forms in the chapters, and in the manuscript's own
footnotes, is wrapped in a span with an id. The layout then says on which page each
landed (core/pagemap.PageMap); the EPUB links to each by section.
"""

from __future__ import annotations

import re

from bookbuilder import ids
from bookbuilder.core.model import Book
from bookbuilder.passes.matching import compile_forms, element, normalise, replace_matches
from bookbuilder.source.index_data import IndexEntry, Occurrence, resolve_references


def prune_index(book: Book) -> list[IndexEntry]:
    """Drop entries (and sub-entries) that matched nothing, and cross-references to them.
    Returns the dropped entries, for the checker."""
    dropped = [e for e in book.index if not e.see and not e.used]
    live = [e for e in book.index if e.see or e.used]
    headwords = {e.headword for e in live if not e.see}
    kept = []
    for entry in live:
        entry.sub = [sub for sub in entry.sub if sub.occurrences]
        entry.see_also = [t for t in entry.see_also if t in headwords]
        if entry.see and entry.see not in headwords:
            dropped.append(entry)
            continue
        kept.append(entry)
    book.index = kept
    resolve_references(kept)
    return dropped


def mark_index_occurrences(book: Book) -> int:
    """Wrap every occurrence of every form in a span with an id; returns how many."""
    by_form: dict[str, IndexEntry] = {}
    for entry in book.index:
        for item in [entry] + [sub for sub in entry.sub if not sub.within]:
            for form in item.match:
                by_form[normalise(form)] = item
    pattern = compile_forms(by_form)
    if pattern is None:
        return 0
    count = 0
    for division in book.chapters:
        targets = [(division.body, False)] + [(n.content, True) for n in division.notes if n.kind == "footnote"]
        in_chapter = 0          # marks are numbered within their chapter: an edit elsewhere moves none
        for root, in_note in targets:

            def mark(match, el, division=division, in_note=in_note):
                nonlocal count, in_chapter
                item = by_form.get(normalise(match.group(0)))
                if item is None:
                    return None
                count += 1
                in_chapter += 1
                mark_id = ids.index_mark(division.id, in_chapter)
                section_id = division.id if in_note else _section_of(el, division.id)
                item = _gathering_sub(item, el, division, in_note)
                item.occurrences.append(Occurrence(mark_id, division.id, section_id, in_note))
                return [element("span", match.group(0), class_="ix", id=mark_id)]

            replace_matches(root, pattern, mark)
    return count


def _section_of(el, default: str) -> str:
    """Id of the last heading before ``el`` in document order."""
    heading = _heading_before(el)
    return heading.get("id") if heading is not None else default


def _heading_before(el):
    node = el
    while node is not None:
        for sibling in [node, *node.itersiblings(preceding=True)]:
            if isinstance(sibling.tag, str) and sibling.tag in ("h2", "h3", "h4") and sibling.get("id"):
                return sibling
        node = node.getparent()
    return None


def _gathering_sub(item: IndexEntry, el, division, in_note: bool) -> IndexEntry:
    """The sub-entry whose `within` names the section (or chapter) ``el`` is in, else ``item``."""
    if not any(sub.within for sub in item.sub):
        return item
    heading = None if in_note else _heading_before(el)
    titles = {_title_key(division.title)}
    if heading is not None:
        titles.add(_title_key(heading.text_content()))
    for sub in item.sub:
        if titles & {_title_key(t) for t in sub.within}:
            return sub
    return item


def _title_key(title: str) -> str:
    return re.sub(r"\W+", " ", normalise(title).casefold()).strip()


CAPITALISED_RUN = re.compile(r"\b(?:[A-Z][a-z’'-]+)(?:\s+(?:of\s+|the\s+)?[A-Z][a-z’'-]+){0,3}")
SENTENCE_STARTERS = {"The", "A", "An", "In", "On", "After", "During", "It", "He", "She", "They", "This",
                     "These", "Those", "According", "Although", "However", "Many", "Some", "When", "While"}


def propose_candidates(book: Book, minimum: int = 2) -> list[tuple[str, int]]:
    """Capitalised names in the chapters that no index form covers, most frequent first:
    a starting point for an editor, never written into index.yaml by itself."""
    from collections import Counter

    known = {normalise(f) for e in book.index for item in [e] + e.sub for f in item.match}
    known |= {normalise(f) for e in book.glossary for f in e.match}
    counts: Counter = Counter()
    import calendar
    import copy

    skip = SENTENCE_STARTERS | set(calendar.month_name[1:])
    for division in book.chapters:
        body = copy.deepcopy(division.body)
        for figure in list(body.iter("figure")):          # captions are the builder's words
            figure.drop_tree()
        for m in CAPITALISED_RUN.finditer(body.text_content()):
            words = m.group(0).split()
            while words and words[0] in skip:
                words = words[1:]
            phrase = normalise(" ".join(words)).removesuffix("'s")
            if len(phrase) > 3 and phrase not in known:
                counts[phrase] += 1
    return [(p, n) for p, n in counts.most_common() if n >= minimum]
