"""The chapter worker: a forked child laying out, beside the build, the later chapters of a
cold build (and then the index) into the cache, where the build finds them (layout/parts.py).

The child is forked with the book read, WeasyPrint imported and the charts drawn; it is told
through a pipe which divisions to lay out, one JSON line each way (process/forking.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, TextIO

from bookbuilder import cache
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap
from bookbuilder.markup.expand import chart_files
from bookbuilder.process import forking

# lay_out_one(book, division id[, page_map=the page numbers it prints]): lays the division out into the cache
LayOutOne = Callable[..., object]

MIN_CHAPTERS_APART = 4  # fewer chapters to lay out are not worth a child (about a second to start)
CHILD_SHARE = 0.5       # of their text: the child reads the book while this process does too


def later_chapters(todo: list) -> list[str]:
    """Of the chapters to lay out, the later ones a worker takes: none when they are too few
    to pay for its start, else the last ones holding about CHILD_SHARE of their text."""
    if len(todo) < MIN_CHAPTERS_APART:
        return []
    sizes = [len(d.body.text_content()) for d in todo]
    share, later, cut = sum(sizes) * CHILD_SHARE, 0, len(todo)
    while cut > 1 and later + sizes[cut - 1] <= share:
        cut -= 1
        later += sizes[cut]
    return [d.id for d in todo[cut:]]


class ChapterWorker:
    """A forked child (process/forking.py) laying out, into the cache, the later chapters of
    those the cache does not hold (later_chapters), while this process lays out the earlier
    ones: a cold build on two cores. A chapter it did not lay out (an error, a child gone) is
    laid out here, which meets and reports the error."""

    def __init__(self, book: Book | None, lay_out_one: LayOutOne, chapter_ids: list[str] | None = None):
        """``book``: None for no child (the cache holds the book, or no core is spare);
        ``lay_out_one(book, division_id[, page_map=...])``: what the child does for each
        division asked (parts.lay_out_chapter); ``chapter_ids``: the chapters to lay out, or
        None: told later by ``expect`` (a child started as soon as the book is read, before
        this process knows what the cache holds)."""
        self.waiting: set[str] = set()
        self.child = None
        if book is not None and forking.spare_cores(busy=True) >= 1:
            chart_files(book, "print")      # drawn once, before the fork: both processes use them
            self.child = forking.Child(lambda requests, answers: lay_out_chapters(book, lay_out_one, requests, answers))
            if chapter_ids is not None:
                self.expect(chapter_ids)

    @classmethod
    def beside(cls, book: Book, todo: list, lay_out_one: LayOutOne) -> "ChapterWorker":
        later = later_chapters(todo)
        return cls(book if later else None, lay_out_one, later)

    def expect(self, chapter_ids: list[str]) -> None:
        """The chapters this process leaves to the child (its first request)."""
        self.waiting = set(chapter_ids)
        if self.child is not None:
            self.child.ask(chapter_ids)

    def also(self, division_id: str, page_map: PageMap) -> None:
        """One more division for the child to lay out alone, printing ``page_map``'s numbers."""
        if self.child is None:
            return
        where = cache.path("layout", f"aside-{division_id}-{cache.key(page_map.page_of, page_map.folios)}.json")
        cache.write_json(where, page_map.to_json())
        self.waiting.add(division_id)
        self.child.ask({"division": division_id, "page_map": str(where)})

    def wait_for(self, chapter_id: str) -> None:
        while self.child is not None and chapter_id in self.waiting:
            answer = self.child.answer()
            if "done" not in answer:            # it met an error or ended: the rest is done here
                self.close()
                break
            self.waiting.discard(answer["done"])

    def close(self) -> None:
        if self.child is not None:
            self.child.close()
            self.child = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def lay_out_chapters(book: Book, lay_out_one: LayOutOne, requests: TextIO, answers: TextIO) -> None:
    """Lay out divisions of the book alone into the cache (ChapterWorker): those of
    the JSON list the first request holds, then each division a later request names with the
    page map to print. One JSON line of answer for each; on any error, say so and stop: the
    build lays the rest out and reports it."""
    def answer(what) -> None:
        answers.write(json.dumps(what) + "\n")

    try:
        for chapter_id in json.loads(requests.readline() or "[]"):
            lay_out_one(book, chapter_id)
            answer({"done": chapter_id})
        for line in requests:
            asked = json.loads(line)
            saved = json.loads(Path(asked["page_map"]).read_text(encoding="utf-8"))
            lay_out_one(book, asked["division"], page_map=PageMap.from_json(saved))
            answer({"done": asked["division"]})
    except Exception as exc:                    # reported by the build, which meets it again
        answer({"error": str(exc)})
