"""The figures' data: book/figures/*.yaml read and checked (line numbers kept for errors),
and a chart's numbers as a data table. Placing and numbering them is passes/figures.py;
drawing them is markup/charts.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from bookbuilder.core.config import YamlDoc, load_yaml
from bookbuilder.errors import ConfigError
from bookbuilder.words import words


FIGURES_DIR = "figures"


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
    note_id: str = ""                # its source note, set when placed
    title_html: str = ""
    caption_html: str = ""
    source_html: str = ""
    table: dict = field(default_factory=dict)   # {"columns": [...], "rows": [[...]]}

    @property
    def element_id(self) -> str:
        return f"fig-{self.id}"


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


def data_table(figure: Figure, language: str = "en") -> dict:
    """The chart's numbers as a table, for readers who cannot see the chart. Every column,
    the rows' labels included, has a heading (a screen reader announces it with each cell)."""
    chart = figure.chart
    kind = chart["kind"]
    w = words(language)["table"]
    row_heading = str(chart.get("row_heading") or words(language)["row_headings"].get(kind, ""))
    if kind == "proportion":
        return {"columns": [row_heading, w["removed"], w["holding_rank"], w["share"]],
                "rows": [[r["label"], f"{r['part']:,}", f"{r['whole']:,}",
                          f"{100 * r['part'] / r['whole']:.0f}%"] for r in chart["rows"]]}
    if kind == "bars":
        return {"columns": [row_heading] + [s["name"] for s in chart["series"]],
                "rows": [[c] + [number_text(s["values"][i]) for s in chart["series"]]
                         for i, c in enumerate(chart["categories"])]}
    if kind == "range":
        return {"columns": [w["source"], w["low"], w["high"]],
                "rows": [[r["label"], f"{r['low']:,}", f"{r['high']:,}"] for r in chart["rows"]]}
    return {"columns": [w["period"], w["from"], w["to"]],
            "rows": [[r["label"], _month(r["start"]), _month(r["end"])] for r in chart["rows"]]}


def number_text(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _month(value) -> str:
    year, month = year_month(value)
    return dt.date(year, month, 1).strftime("%B %Y")


def year_month(value) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value))
    if not m:
        raise ConfigError(f"date '{value}' must be written YYYY-MM")
    return int(m.group(1)), int(m.group(2))
