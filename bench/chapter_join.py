"""Experiment for issue 15 (chapter-level layout), run by hand: `python bench/chapter_join.py`.

Question: could an edit lay out one chapter instead of the book? Measures, in one
process: the whole draft layout; the front matter alone (the template always adds it);
each chapter laid out alone (minus the front matter); then joins the front matter and
the chapters' own pages with WeasyPrint's ``Document.copy`` and checks what survives:
page count and every anchor's page against the whole layout, bookmarks, links, folios,
and whether the joined document writes as a tagged PDF.
"""

from __future__ import annotations

import copy
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bookbuilder.enrich import enrich  # noqa: E402
from bookbuilder.manuscript import read_book  # noqa: E402
from bookbuilder.pdf import draft_pages, render, tag_languages  # noqa: E402
from bookbuilder.render import print_html  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def alone(book, divisions, repaired):
    part = copy.copy(book)
    part.divisions = divisions
    return timed(lambda: render(print_html(part, new_page_notes=frozenset(repaired), draft=True)))


def main() -> None:
    book = enrich(read_book(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "book"))
    repaired = draft_pages(book)[1].notes          # the notes sent to a new page
    whole, t_whole = timed(lambda: render(print_html(book, new_page_notes=frozenset(repaired), draft=True)))
    front_doc, t_front = alone(book, book.front, repaired)
    pages, t_chapters = list(front_doc.pages), 0.0
    for chapter in book.chapters + book.back:
        doc, t = alone(book, book.front + [chapter], repaired)
        t_chapters += t - t_front
        start = next(i for i, p in enumerate(doc.pages) if chapter.id in p.anchors)
        if (len(pages) - start) % 2:        # a recto opener: keep the blank verso the layout put before it
            start -= 1
        pages += doc.pages[start:]
    joined = front_doc.copy(pages)

    def first_pages(document):      # an element spanning pages is an anchor on each: keep its first
        found = {}
        for i, page in enumerate(document.pages):
            for anchor in page.anchors:
                found.setdefault(anchor, i)
        return found

    where, there = first_pages(whole), first_pages(joined)
    moved = [a for a, i in there.items() if where.get(a, i) != i]
    print(f"whole draft layout        {t_whole:7.2f} s, {len(whole.pages)} pages")
    print(f"front matter alone        {t_front:7.2f} s")
    print(f"chapters, back alone (sum)      {t_chapters:7.2f} s  (largest chapter is what an edit would pay)")
    print(f"joined pages              {len(joined.pages)} (whole: {len(whole.pages)}); anchors on another page: {len(moved)}")
    print(f"  e.g. {sorted(moved)[:6]}")
    print(f"bookmarks joined/whole    {sum(len(p.bookmarks) for p in joined.pages)}/"
          f"{sum(len(p.bookmarks) for p in whole.pages)}")
    print(f"links joined/whole        {sum(len(p.links) for p in joined.pages)}/{sum(len(p.links) for p in whole.pages)}")
    tag_languages()
    _, t_write = timed(lambda: joined.write_pdf(io.BytesIO(), pdf_tags=True))
    print(f"joined tagged write_pdf   {t_write:7.2f} s (ok)")
    print("folios: each chapter laid out alone restarts counter(page) at 1 (@page opening:nth(1 of opening)),"
          " and the ToC's target-counter() cannot see other documents: both would need the page map instead")


if __name__ == "__main__":
    main()
