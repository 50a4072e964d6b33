"""Layout quality, read off the PDF as a reader sees it: the words and their positions.

Three faults a reader notices first, each found from the printed words alone (pdfplumber),
so the same code judges the build's own layout and any PDF a test hands it:

- a justified line stretched until a gap between two words is wider than 1.5 em
  (``stretched_lines``);
- a page whose text stops above 60 % of the text block while its division goes on
  over the page (``underfull_pages``): the blank a figure too tall for the page leaves;
- a Contents or Figures entry whose page number is not on the line of its title, or
  not flush with the other numbers (``contents_problems``).

The page geometry comes from the PDF itself (the right edge of justified lines is the most
common right edge on the page's side of the spread); only the top and bottom margins are
those of ``templates/print/book.css.j2``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TOP_MARGIN = 0.75 * 72          # pt, as in book.css.j2 (running heads live above it)
BOTTOM_MARGIN = 0.8 * 72        # pt (folios live below it)
MAX_GAP_EM = 1.5                # widest acceptable space in a justified line
MIN_FILL = 0.6                  # a page continuing its division is filled at least this far down
MIN_ROOM = 3 * 14.2             # pt: blank room under the text that makes a page underfull (3 lines)
OPENER_SIZE = 15                # pt: division titles (16 pt front matter, 19 pt chapters)
LEADER = re.compile(r"^\.+$")
FOLIO = re.compile(r"^(\d+|[ivxlc]+)$")
CONTENTS_TITLES = ("Contents", "Figures")
UNCHECKED_DIVISIONS = ("Contents", "Figures", "Index")     # leaders and columns, not justified text


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class Line:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The size of most of the line's letters (a note call does not count)."""
        sizes = Counter()
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def widest_gap(self) -> tuple[float, int]:
        """(width, index of the word after it) of the widest space between two words."""
        gaps = [(b.x0 - a.x1, i + 1) for i, (a, b) in enumerate(zip(self.words, self.words[1:]))]
        return max(gaps, default=(0.0, 0))


@dataclass
class Page:
    index: int
    width: float
    height: float
    lines: list[Line]                       # lines of the text block, footnotes included
    graphics_bottom: float                  # lowest drawing (a chart) in the text block
    rule_top: float | None                  # the footnote rule, if the page has notes
    folio: str = ""
    division: str = ""                      # title of the division the page belongs to
    opens_division: bool = False

    @property
    def block_top(self) -> float:
        return TOP_MARGIN

    @property
    def block_bottom(self) -> float:
        return self.height - BOTTOM_MARGIN

    def body_lines(self) -> list[Line]:
        """The running text: lines above the footnote rule."""
        if self.rule_top is None:
            return self.lines
        return [line for line in self.lines if line.bottom <= self.rule_top]


@dataclass(frozen=True)
class Problem:
    kind: str               # "stretched", "underfull", "contents"
    page: int               # page index in the PDF
    folio: str              # the printed page number
    line: int               # line on the page (1 = first line of the text block), 0 for a page
    message: str
    text: str = ""          # the words of the line at fault

    def __str__(self) -> str:
        where = f"page {self.folio}" + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.message}"


@dataclass
class Report:
    pages: list[Page]
    problems: list[Problem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Problem]:
        return [p for p in self.problems if p.kind == kind]


# ------------------------------------------------------------------ reading the PDF

def read_pages(pdf) -> list[Page]:
    """Every page's lines of words (pdfplumber), its folio and the division it belongs to.

    ``pdf`` is a path or a binary file object.
    """
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as doc:
        for index, page in enumerate(doc.pages):
            pages.append(_read_page(index, page))
    _assign_divisions(pages)
    return pages


def _read_page(index: int, page) -> Page:
    # a tight tolerance: WeasyPrint draws no space glyph between inline boxes, and the
    # narrow spaces of a tight justified line are still spaces
    raw = page.extract_words(x_tolerance=1.5, extra_attrs=["size"], keep_blank_chars=False)
    words = [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"]) for w in raw]
    top, bottom = TOP_MARGIN - 1, page.height - BOTTOM_MARGIN + 1
    block = [w for w in words if w.top >= top and w.bottom <= bottom]
    folios = [w.text for w in words if w.top > bottom and FOLIO.match(w.text)]
    drawings = [g for g in page.rects + page.lines + page.curves
                if g["top"] >= top and g["bottom"] <= bottom]
    rule = _footnote_rule(drawings, block, page.height - BOTTOM_MARGIN)
    art = [g["bottom"] for g in drawings if rule is None or g["bottom"] < rule - 1]
    return Page(index, page.width, page.height, _lines(block), max(art, default=0.0), rule,
                folio=folios[-1] if folios else "")


def _footnote_rule(drawings, words: list[Word], block_bottom: float) -> float | None:
    """The top of the footnote area: WeasyPrint draws its top border as a box the width of
    the text block reaching down to the block's bottom, with only note-sized text inside."""
    areas = [g for g in drawings if g["x1"] - g["x0"] > 100 and g["bottom"] >= block_bottom - 1
             and g["bottom"] - g["top"] > 5]
    for area in sorted(areas, key=lambda g: g["top"]):
        inside = [w for w in words if w.top > area["top"]]
        if inside and all(w.size < 9.5 for w in inside):
            return area["top"]
    return None


def _lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines: a word belongs to the line whose middle it overlaps
    (a raised note call belongs to the line it is called from)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in lines[-3:]:
            anchor = max(line, key=lambda w: w.size)
            if anchor.top <= middle <= anchor.bottom or word.top <= (anchor.top + anchor.bottom) / 2 <= word.bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    return [Line(sorted(line, key=lambda w: w.x0)) for line in sorted(lines, key=lambda l: min(w.top for w in l))]


def _assign_divisions(pages: list[Page]) -> None:
    """A page opens a division when it carries a division title (large type); the pages up
    to the next opener belong to it."""
    current = ""
    for page in pages:
        big = [line for line in page.lines if line.size >= OPENER_SIZE]
        if big:
            page.opens_division = True
            current = big[0].text
        page.division = current


# ------------------------------------------------------------------ the checks

def check_pdf(pdf) -> Report:
    pages = read_pages(pdf)
    report = Report(pages)
    report.problems += stretched_lines(pages) + underfull_pages(pages) + contents_problems(pages)
    return report


def _right_edges(pages: list[Page]) -> dict[int, float]:
    """The right edge of the text block on even and odd pages: the most common right end
    of long lines (mirrored margins put it elsewhere on each side of the spread)."""
    edges: dict[int, Counter] = {0: Counter(), 1: Counter()}
    for page in pages:
        for line in page.lines:
            if len(line.words) >= 6:
                edges[page.index % 2][round(line.x1 * 2) / 2] += 1
    return {side: (counter.most_common(1)[0][0] if counter else 0.0) for side, counter in edges.items()}


def stretched_lines(pages: list[Page], max_gap_em: float = MAX_GAP_EM) -> list[Problem]:
    """Justified lines (running to the right edge) with a space wider than ``max_gap_em``."""
    edges = _right_edges(pages)
    problems = []
    for page in pages:
        if page.division in UNCHECKED_DIVISIONS:
            continue
        for number, line in enumerate(page.lines, 1):
            if len(line.words) < 2 or abs(line.x1 - edges[page.index % 2]) > 1 or any(
                    LEADER.match(w.text) for w in line.words):
                continue
            gap, after = line.widest_gap()
            if gap > max_gap_em * line.size:
                problems.append(Problem(
                    "stretched", page.index, page.folio, number,
                    f"a space of {gap / line.size:.1f} em between “{line.words[after - 1].text}” and "
                    f"“{line.words[after].text}” in “{_excerpt(line)}”", line.text))
    return problems


def _excerpt(line: Line, words: int = 8) -> str:
    text = line.text
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words // 2] + ["…"] + parts[-words // 2:])


def reach(page: Page) -> float:
    """How far down the page (a fraction of its height) its running text and drawings reach."""
    bottom = max([line.bottom for line in page.body_lines()] + [page.graphics_bottom], default=page.block_top)
    return bottom / page.height


def room_left(page: Page) -> float:
    """Points of text block left empty under the running text (above any footnotes)."""
    limit = page.rule_top if page.rule_top is not None else page.block_bottom
    return limit - reach(page) * page.height


def underfull_pages(pages: list[Page], min_fill: float = MIN_FILL) -> list[Problem]:
    """Pages whose text stops above ``min_fill`` of the page height, with room for more
    below it, while their division goes on over the page."""
    problems = []
    for page, after in zip(pages, pages[1:]):
        if not page.division or after.opens_division or not after.lines or after.division != page.division:
            continue
        if page.division in UNCHECKED_DIVISIONS or not page.lines or not page.folio:
            continue                        # unnumbered pages are display pages (title, imprint)
        if reach(page) < min_fill and room_left(page) > MIN_ROOM:
            last = page.body_lines()[-1] if page.body_lines() else None
            problems.append(Problem(
                "underfull", page.index, page.folio, 0,
                f"the text stops {reach(page):.0%} down the page and “{page.division}” goes on overleaf"
                + (f" (last line: “{_excerpt(last)}”)" if last else ""), last.text if last else ""))
    return problems


def contents_problems(pages: list[Page]) -> list[Problem]:
    """Contents and Figures: every page number on the line of its title, all flush right."""
    problems = []
    for page in pages:
        if page.division not in CONTENTS_TITLES:
            continue
        entries = [(n, line) for n, line in enumerate(page.lines, 1)
                   if line.size < OPENER_SIZE and FOLIO.match(line.words[-1].text)]
        for number, line in entries:
            title = [w for w in line.words[:-1] if not LEADER.match(w.text)]
            if not title:
                problems.append(Problem("contents", page.index, page.folio, number,
                                        f"page number {line.words[-1].text} is on a line of its own"))
        edges = Counter(round(line.x1, 1) for _, line in entries)
        if len(edges) > 1:
            edge = edges.most_common(1)[0][0]
            for number, line in entries:
                if abs(line.x1 - edge) > 0.5:
                    problems.append(Problem(
                        "contents", page.index, page.folio, number,
                        f"page number {line.words[-1].text} ends {edge - line.x1:+.1f} pt from the others"))
    return problems


def check_file(path: Path) -> Report:
    with open(path, "rb") as stream:
        return check_pdf(stream)
