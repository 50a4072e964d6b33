"""Figures: charts drawn from numbers declared in book/figures/*.yaml.

Each chart is drawn once with matplotlib as a vector SVG in the book's typeface and
cached by a hash of its data and style; the same file goes into the PDF and the EPUB.
A figure is placed after the paragraph its numbers come from, numbered by chapter
("Figure 6.1"), and cites its source in a footnote.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, ids
from .config import YamlDoc, load_yaml
from .errors import ConfigError
from .matching import normalise

FIGURES_DIR = "figures"
STYLE_VERSION = "2"            # bump when the drawing code changes, to refresh the cache
WIDTH_IN, HEIGHT_IN = 4.4, 2.7
KINDS = {"proportion", "bars", "range", "timeline"}


@dataclass
class Figure:
    id: str
    chapter: Path
    after: str
    title: str
    caption: str
    source: str
    alt: str
    chart: dict
    file: Path
    line: int | None
    number: str = ""                 # "6.1", set when placed
    svg: Path | None = None          # the chart for print: text as text, set in the book's fonts
    svg_epub: Path | None = None     # the chart for e-readers: text as outlines, no font needed
    title_html: str = ""
    caption_html: str = ""
    source_html: str = ""
    table: dict = field(default_factory=dict)   # {"columns": [...], "rows": [[...]]}

    @property
    def element_id(self) -> str:
        return f"fig-{self.id}"

    @property
    def image_name(self) -> str:
        """Path of the SVG relative to the document: figures/<file> in both outputs."""
        return f"{FIGURES_DIR}/{self.svg.name}"


def load_figures(book_dir: Path) -> list[Figure]:
    folder = book_dir / FIGURES_DIR
    if not folder.is_dir():
        return []
    figures, seen = [], set()
    for path in sorted(folder.glob("*.yaml")):
        doc = load_yaml(path)
        figure = _figure(doc, book_dir)
        if figure.id in seen:
            raise doc.error(f"duplicate figure id '{figure.id}'", "id")
        seen.add(figure.id)
        figures.append(figure)
    return figures


def _figure(doc: YamlDoc, book_dir: Path) -> Figure:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("a figure file must be a mapping")
    for key in ("id", "chapter", "after", "title", "source", "alt", "chart"):
        if not data.get(key):
            raise doc.error(f"missing required key '{key}'")
    chart = data["chart"]
    if not isinstance(chart, dict) or chart.get("kind") not in KINDS:
        raise doc.error(f"chart kind must be one of {', '.join(sorted(KINDS))}", "chart", "kind")
    _validate_chart(doc, chart)
    chapter = book_dir / data["chapter"]
    return Figure(str(data["id"]), chapter, str(data["after"]), str(data["title"]),
                  str(data.get("caption", "")), str(data["source"]), " ".join(str(data["alt"]).split()),
                  chart, doc.path, doc.line())


def _validate_chart(doc: YamlDoc, chart: dict) -> None:
    kind = chart["kind"]
    needed = {"proportion": ("label", "part", "whole"), "range": ("label", "low", "high"),
              "timeline": ("label", "start", "end")}
    if kind == "bars":
        categories, series = chart.get("categories"), chart.get("series")
        if not categories or not series:
            raise doc.error("a bars chart needs 'categories' and 'series'", "chart")
        for i, s in enumerate(series):
            if len(s.get("values", [])) != len(categories):
                raise doc.error(f"series '{s.get('name')}' needs one value per category",
                                "chart", "series", i)
        return
    rows = chart.get("rows")
    if not rows:
        raise doc.error(f"a {kind} chart needs 'rows'", "chart")
    for i, row in enumerate(rows):
        missing = [k for k in needed[kind] if k not in row]
        if missing:
            raise doc.error(f"row {i + 1} lacks {', '.join(missing)}", "chart", "rows", i)


# ------------------------------------------------------------------ data tables

# heading of the first column (the rows' labels) when a chart does not name it (`row_heading`)
ROW_HEADINGS = {"proportion": "Group", "bars": "Category"}


def data_table(figure: Figure) -> dict:
    """The chart's numbers as a table, for readers who cannot see the chart. Every column,
    the rows' labels included, has a heading (a screen reader announces it with each cell)."""
    chart = figure.chart
    kind = chart["kind"]
    row_heading = str(chart.get("row_heading") or ROW_HEADINGS.get(kind, ""))
    if kind == "proportion":
        return {"columns": [row_heading, "Removed", "Holding the rank", "Share"],
                "rows": [[r["label"], f"{r['part']:,}", f"{r['whole']:,}",
                          f"{100 * r['part'] / r['whole']:.0f}%"] for r in chart["rows"]]}
    if kind == "bars":
        return {"columns": [row_heading] + [s["name"] for s in chart["series"]],
                "rows": [[c] + [_number(s["values"][i]) for s in chart["series"]]
                         for i, c in enumerate(chart["categories"])]}
    if kind == "range":
        return {"columns": ["Source", "Low", "High"],
                "rows": [[r["label"], f"{r['low']:,}", f"{r['high']:,}"] for r in chart["rows"]]}
    return {"columns": ["Period", "From", "To"],
            "rows": [[r["label"], _month(r["start"]), _month(r["end"])] for r in chart["rows"]]}


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _month(value) -> str:
    year, month = _year_month(value)
    return dt.date(year, month, 1).strftime("%B %Y")


def _year_month(value) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value))
    if not m:
        raise ConfigError(f"date '{value}' must be written YYYY-MM")
    return int(m.group(1)), int(m.group(2))


# ------------------------------------------------------------------ drawing

def draw(figure: Figure, text: str = "text") -> Path:
    """The figure's SVG, from the cache when its data and style are unchanged.

    ``text="text"`` keeps labels as text (print: WeasyPrint sets them in the book's
    @font-face fonts, and they can be searched); ``"path"`` turns them into outlines
    (EPUB: a reading system may lack the font).
    """
    digest = cache.key(figure.chart, WIDTH_IN, HEIGHT_IN, STYLE_VERSION, text, length=12)
    target = cache.path("print" if text == "text" else "epub", FIGURES_DIR, f"{figure.id}-{digest}.svg")
    if not target.exists():
        cache.write_text(target, _render_svg(figure, text))
    return target


def _render_svg(figure: Figure, text: str) -> str:
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _use_book_font(plt)
    plt.rcParams["svg.fonttype"] = "none" if text == "text" else "path"
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN))
    DRAWERS[figure.chart["kind"]](ax, figure.chart)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout(pad=0.4)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    # EPUB wants no external DTD in SVG documents
    return re.sub(r"<!DOCTYPE[^>]*>\s*", "", out.getvalue())


def _use_book_font(plt) -> None:
    from matplotlib import font_manager

    from .fonts import variable_font

    font_manager.fontManager.addfont(str(variable_font()))
    plt.rcParams.update({
        "font.family": "EB Garamond", "font.size": 8.5, "svg.fonttype": "path", "svg.hashsalt": "book",
        "axes.edgecolor": "#333333", "axes.linewidth": 0.6, "xtick.major.width": 0.6,
        "ytick.major.width": 0.6, "xtick.color": "#333333", "ytick.color": "#333333",
        "axes.labelcolor": "#222222", "legend.frameon": False,
    })


GREYS = ["#3a3a3a", "#a5a5a5", "#6b6b6b", "#d0d0d0"]


def _proportion(ax, chart) -> None:
    rows = list(reversed(chart["rows"]))
    labels = [r["label"] for r in rows]
    shares = [100 * r["part"] / r["whole"] for r in rows]
    ax.barh(labels, [100] * len(rows), color="#e4e4e4", height=0.62)
    ax.barh(labels, shares, color=GREYS[0], height=0.62)
    for i, r in enumerate(rows):
        ax.text(101, i, f"{r['part']} of {r['whole']}", va="center", fontsize=8)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(chart.get("unit", ""))
    ax.tick_params(axis="y", length=0)


def _bars(ax, chart) -> None:
    categories, series = chart["categories"], chart["series"]
    width = 0.8 / len(series)
    for n, s in enumerate(series):
        xs = [i + (n - (len(series) - 1) / 2) * width for i in range(len(categories))]
        bars = ax.bar(xs, s["values"], width * 0.92, label=s["name"], color=GREYS[n % len(GREYS)])
        ax.bar_label(bars, labels=[_number(v) for v in s["values"]], fontsize=7.5, padding=1.5)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylabel(chart.get("unit", ""))
    ax.yaxis.set_major_formatter(matplotlib_formatter())
    ax.margins(y=0.15)
    ax.legend(fontsize=8, loc="upper right")


def matplotlib_formatter():
    from matplotlib.ticker import FuncFormatter
    return FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1000 or v == int(v) else f"{v:g}")


def _range(ax, chart) -> None:
    rows = list(reversed(chart["rows"]))
    for i, r in enumerate(rows):
        if r["low"] == r["high"]:
            ax.plot([r["low"]], [i], marker="D", color=GREYS[0], markersize=4.5)
        else:
            ax.plot([r["low"], r["high"]], [i, i], color=GREYS[0], linewidth=5, solid_capstyle="butt")
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows])
    if chart.get("log"):
        from matplotlib.ticker import LogLocator, NullFormatter
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(matplotlib_formatter())
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlabel(chart.get("unit", ""))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)


def _timeline(ax, chart) -> None:
    import matplotlib.dates as mdates

    rows = list(reversed(chart["rows"]))
    for i, r in enumerate(rows):
        start = dt.date(*_year_month(r["start"]), 1)
        end_year, end_month = _year_month(r["end"])
        end = dt.date(end_year + end_month // 12, end_month % 12 + 1, 1)     # to the end of that month
        ax.barh(i, mdates.date2num(end) - mdates.date2num(start), left=mdates.date2num(start),
                color=GREYS[i % 2 * 2], height=0.55)
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows])
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)


DRAWERS = {"proportion": _proportion, "bars": _bars, "range": _range, "timeline": _timeline}


# ------------------------------------------------------------------ placing

def paragraph_after(figure: Figure, body):
    """The block whose text contains the figure's `after` phrase."""
    wanted = normalise(figure.after)
    for el in body.iter("p", "li", "blockquote", "dd"):
        if wanted in normalise(el.text_content()):
            return el.getparent() if el.tag == "li" else el
    raise ConfigError(f"'after: {figure.after}' is not found in {figure.chapter.name}",
                      figure.file, figure.line, hint="quote a phrase from the paragraph the numbers come from")


def place_figures(book) -> None:
    """Insert each figure after the paragraph its numbers come from; number them by chapter;
    draw the charts; give each its source note."""
    from lxml import html

    from .model import Note
    from .render import environment

    template = environment().get_template("shared/figure.html.j2")
    by_source = {d.source.resolve(): d for d in book.chapters}
    placed = {}
    for figure in book.figures:
        division = by_source.get(figure.chapter.resolve())
        if division is None:
            raise ConfigError(f"chapter '{figure.chapter.name}' is not one of the book's chapters",
                              figure.file, figure.line)
        anchor = paragraph_after(figure, division.body)
        placeholder = html.Element("figure", {"data-figure": figure.id})
        anchor.addnext(placeholder)
        placeholder.tail, anchor.tail = anchor.tail, None
        placed[figure.id] = (figure, division)
    ordered = []
    for division in book.chapters:
        for n, slot in enumerate([el for el in division.body.iter("figure") if el.get("data-figure")], 1):
            figure, _ = placed[slot.get("data-figure")]
            figure.number = f"{division.number}.{n}"
            figure.svg = draw(figure, "text")
            figure.svg_epub = draw(figure, "path")
            figure.table = data_table(figure)
            note_id = ids.figure_source_note(division.id, figure.id)
            # the figure, then its data table (a sibling: a caption must be a figure's last child)
            figure_el, *after = html.fragments_fromstring(template.render(f=figure, note_id=note_id).strip())
            last = after[-1] if after else figure_el
            last.tail = slot.tail
            slot.getparent().replace(slot, figure_el)
            for el in reversed(after):
                figure_el.addnext(el)
            source = html.fragment_fromstring(f"<p>{figure.source_html}</p>")
            content = html.Element("div")
            content.append(source)
            division.notes.append(Note(note_id, "source", content))
            ordered.append(figure)
    book.figures = ordered
