"""A typographic cover for the EPUB: title, subtitle and attribution in EB Garamond,
drawn once with matplotlib as a PNG (reading systems want a raster cover) and cached
by a hash of its text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bookbuilder.core.config import BookConfig
from bookbuilder import cache

STYLE_VERSION = "2"          # 2: long titles and attributions fitted, not cut off
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
    fit = _fitter(fig, ax)
    # a long title (a book of several articles) steps down in size until it fits above the rule
    fit(meta.title, 0.7, "bottom", (46, 40, 34, 29, 25, 21), 16 * 46, (0.06, 0.7, 0.94, 0.96),
        linespacing=1.1)
    if meta.subtitle:
        fit(meta.subtitle, 0.62, "top", (19, 17, 15, 13), 30 * 19, (0.08, 0.24, 0.92, 0.62),
            style="italic", linespacing=1.25)
    ax.text(0.5, 0.12, meta.creator.upper(), ha="center", va="bottom", color=INK, fontsize=13,
            family="EB Garamond")
    fit(meta.based_on, 0.105, "top", (12, 11, 10, 9), 62 * 12, (0.05, 0.02, 0.95, 0.105),
        style="italic", linespacing=1.2)
    fig.savefig(path, dpi=DPI, facecolor=PAPER, metadata={"Software": None})
    plt.close(fig)


def _fitter(fig, ax):
    """``fit(text, y, va, sizes, wrap, box, **style)``: the text centred at ``y``, wrapped at
    ``wrap`` / size characters, in the first size whose lines stay inside ``box`` (x0, y0, x1,
    y1 as fractions of the cover); the smallest if none does."""
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height

    def fit(text: str, y: float, va: str, sizes, wrap: int, box, **style):
        for size in sizes:
            drawn = ax.text(0.5, y, "\n".join(textwrap.wrap(text, max(8, wrap // size))), ha="center",
                            va=va, color=INK, fontsize=size, family="EB Garamond", **style)
            extent = drawn.get_window_extent(renderer)
            inside = (extent.x0 >= box[0] * width and extent.x1 <= box[2] * width
                      and extent.y0 >= box[1] * height and extent.y1 <= box[3] * height)
            if inside or size == sizes[-1]:
                return drawn
            drawn.remove()
    return fit
