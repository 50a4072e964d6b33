"""Where in a manuscript file a piece of text stands: the line a warning names.

Pandoc's HTML keeps no source positions, so a warning about an element (a tag removed, an
image missing) finds its line by searching the file for the text that made it.
"""

from __future__ import annotations

from pathlib import Path


def source_lines(source: Path) -> list[str]:
    """The file's lines, or none when it cannot be read (a warning then names the file alone)."""
    try:
        return Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def line_of(lines: list[str], *needles: str) -> int | None:
    """The first line (from 1) holding the first of ``needles`` found anywhere."""
    for needle in needles:
        if not needle:
            continue
        for n, line in enumerate(lines, 1):
            if needle in line:
                return n
    return None
