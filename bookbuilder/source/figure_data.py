"""The figures' data: book/figures/*.yaml read and checked (line numbers kept for errors),
and a chart's numbers as a data table. Placing and numbering them is passes/figures.py;
drawing them is markup/charts.py.
"""

from __future__ import annotations

import datetime as dt
import math
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


TEXT_KEYS = ("id", "chapter", "after", "title", "source", "alt")


def _figure(doc: YamlDoc, book_dir: Path) -> Figure:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("a figure file must be a mapping")
    for key in TEXT_KEYS + ("chart",):
        if not data.get(key):
            raise doc.error(f"missing required key '{key}'")
    for key in TEXT_KEYS + ("caption",):
        value = data.get(key, "")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise doc.error(f"'{key}' must be text", key)
    chart = data["chart"]
    if not isinstance(chart, dict) or not isinstance(chart.get("kind"), str) or chart["kind"] not in KINDS:
        raise doc.error(f"chart kind must be one of {', '.join(sorted(KINDS))}", "chart", "kind")
    _validate_chart(doc, chart)
    chapter = book_dir / str(data["chapter"])
    return Figure(str(data["id"]), chapter, str(data["after"]), str(data["title"]),
                  str(data.get("caption", "")), str(data["source"]), " ".join(str(data["alt"]).split()),
                  chart, doc.path, doc.line())


# what each kind of chart's rows hold: the label is text, the rest numbers or months
NEEDED = {"proportion": ("label", "part", "whole"), "range": ("label", "low", "high"),
          "timeline": ("label", "start", "end")}


def _validate_chart(doc: YamlDoc, chart: dict) -> None:
    """Every value the data table and the drawing read, of the type they read it as: a
    wrong one is an error naming its line, never a failure when the table is made."""
    kind = chart["kind"]
    if kind == "bars":
        _validate_bars(doc, chart)
        return
    rows = chart.get("rows")
    if not rows or not isinstance(rows, list):
        raise doc.error(f"a {kind} chart needs 'rows'", "chart")
    for i, row in enumerate(rows):
        where = ("chart", "rows", i)
        if not isinstance(row, dict):
            raise doc.error(f"row {i + 1} must be a mapping of {', '.join(NEEDED[kind])}", *where)
        missing = [k for k in NEEDED[kind] if k not in row]
        if missing:
            raise doc.error(f"row {i + 1} lacks {', '.join(missing)}", *where)
        if not isinstance(row["label"], (str, int)):
            raise doc.error(f"row {i + 1}: 'label' must be text", *where, "label")
        for key in NEEDED[kind][1:]:
            if kind == "timeline":
                _month_of(doc, row[key], *where, key)
            elif not _is_number(row[key]):
                raise doc.error(f"row {i + 1}: '{key}' must be a number", *where, key)
        if kind == "proportion" and not row["whole"] > 0:
            raise doc.error(f"row {i + 1}: 'whole' must be more than 0", *where, "whole")


def _validate_bars(doc: YamlDoc, chart: dict) -> None:
    categories, series = chart.get("categories"), chart.get("series")
    if not categories or not series or not isinstance(categories, list) or not isinstance(series, list):
        raise doc.error("a bars chart needs 'categories' and 'series'", "chart")
    if not all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in categories):
        raise doc.error("'categories' must be a list of labels", "chart", "categories")
    for i, s in enumerate(series):
        where = ("chart", "series", i)
        if not isinstance(s, dict) or not isinstance(s.get("name"), (str, int)):
            raise doc.error(f"series {i + 1} must be a mapping with a 'name' and 'values'", *where)
        values = s.get("values")
        if not isinstance(values, list) or len(values) != len(categories):
            raise doc.error(f"series '{s['name']}' needs one value per category", *where)
        if not all(_is_number(v) for v in values):
            raise doc.error(f"series '{s['name']}': each value must be a number", *where, "values")


def _is_number(value) -> bool:
    """A number a table prints and a chart draws: not a boolean, not infinite or NaN."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _month_of(doc: YamlDoc, value, *keys) -> None:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value))
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1:
        raise doc.error(f"date '{value}' must be a month written YYYY-MM", *keys)


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
