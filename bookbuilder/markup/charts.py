"""Draw the figures' charts with matplotlib: a renderer, called when an output needs them.

Each chart is drawn as vector SVG in the book's typeface and cached by a hash of its data
and style (bookbuilder/cache.py). Print keeps labels as text (WeasyPrint sets them in the
book's @font-face fonts, and they can be searched); the EPUB gets outlines, since a reading
system may lack the font.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bookbuilder import cache
from bookbuilder.source.figure_data import FIGURES_DIR, Figure, number_text, year_month

STYLE_VERSION = "2"            # bump when the drawing code changes, to refresh the cache
WIDTH_IN, HEIGHT_IN = 4.4, 2.7


TEXTS = {"text": "print", "path": "epub"}     # how labels are drawn -> the output they are for


def draw(figure: Figure, text: str = "text") -> Path:
    """The figure's SVG, from the cache when its data and style are unchanged.

    ``text="text"`` keeps labels as text (print: WeasyPrint sets them in the book's
    @font-face fonts, and they can be searched); ``"path"`` turns them into outlines
    (EPUB: a reading system may lack the font). Drawing one draws both: the figure and its
    layout are made once, and only saved twice.
    """
    targets = {way: _target(figure, way) for way in TEXTS}
    if not targets[text].exists():
        for way, svg in _render_svgs(figure).items():
            cache.write_text(targets[way], svg)
    return targets[text]


def _target(figure: Figure, text: str) -> Path:
    digest = cache.key(figure.chart, WIDTH_IN, HEIGHT_IN, STYLE_VERSION, text, length=12)
    return cache.path(TEXTS[text], FIGURES_DIR, f"{figure.id}-{digest}.svg")


def _render_svgs(figure: Figure) -> dict[str, str]:
    """The figure's SVG for each way of drawing its labels (TEXTS)."""
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _use_book_font(plt)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN))
    DRAWERS[figure.chart["kind"]](ax, figure.chart)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout(pad=0.4)
    drawn = {}
    for way in TEXTS:
        plt.rcParams["svg.fonttype"] = "none" if way == "text" else "path"   # read as it saves
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        # EPUB wants no external DTD in SVG documents
        drawn[way] = re.sub(r"<!DOCTYPE[^>]*>\s*", "", out.getvalue())
    plt.close(fig)
    return drawn


def _use_book_font(plt) -> None:
    from matplotlib import font_manager

    from bookbuilder.fonts import variable_font

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
        ax.bar_label(bars, labels=[number_text(v) for v in s["values"]], fontsize=7.5, padding=1.5)
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
        start = dt.date(*year_month(r["start"]), 1)
        end_year, end_month = year_month(r["end"])
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


def image_name(figure_id: str, path: Path, output: str) -> str:
    """Where a drawn chart sits relative to the document: figures/<file>. In print, the
    cache file's own name (the layout's base URL is the drawing cache); in the EPUB, a name
    made of the figure's id and the drawing's bytes, so that the EPUB's bytes follow the
    drawing alone, not the builder's code (which keys the cache file)."""
    if output == "print":
        return f"{FIGURES_DIR}/{path.name}"
    return f"{FIGURES_DIR}/{figure_id}-{cache.file_digest(path)}{path.suffix}"
