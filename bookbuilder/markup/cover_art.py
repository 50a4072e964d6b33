"""A typographic cover for the EPUB: title, subtitle and attribution in EB Garamond,
drawn once with matplotlib as a PNG (reading systems want a raster cover) and cached
by a hash of its text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bookbuilder.core.config import BookConfig
from bookbuilder import cache

STYLE_VERSION = "1"
WIDTH_IN, HEIGHT_IN, DPI = 6.25, 10, 256          # 1600 × 2560 pixels
INK, PAPER, ACCENT = "#f4efe4", "#2b2422", "#a8322d"


def draw_cover(meta: BookConfig) -> Path:
    text = [meta.title, meta.subtitle, meta.creator, meta.based_on]
    target = cache.path("epub", f"cover-{cache.key(text, STYLE_VERSION, length=12)}.png")
    if not target.exists():
        with cache.atomic_path(target) as tmp:
            _render(meta, tmp)
    return target


def _render(meta: BookConfig, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from bookbuilder.fonts import variable_font

    font_manager.fontManager.addfont(str(variable_font()))
    font_manager.fontManager.addfont(str(variable_font(italic=True)))
    fig = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=PAPER)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.plot([0.2, 0.8], [0.66, 0.66], color=ACCENT, linewidth=3)
    title = "\n".join(textwrap.wrap(meta.title, 16))
    ax.text(0.5, 0.7, title, ha="center", va="bottom", color=INK, fontsize=46,
            family="EB Garamond", linespacing=1.1)
    if meta.subtitle:
        ax.text(0.5, 0.62, "\n".join(textwrap.wrap(meta.subtitle, 30)), ha="center", va="top",
                color=INK, fontsize=19, family="EB Garamond", style="italic", linespacing=1.25)
    ax.text(0.5, 0.12, meta.creator.upper(), ha="center", va="bottom", color=INK, fontsize=13,
            family="EB Garamond")
    ax.text(0.5, 0.08, meta.based_on, ha="center", va="bottom",
            color=INK, fontsize=12, family="EB Garamond", style="italic")
    fig.savefig(path, dpi=DPI, facecolor=PAPER, metadata={"Software": None})
    plt.close(fig)
