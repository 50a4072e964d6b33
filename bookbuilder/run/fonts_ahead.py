"""The web editions' fonts made ahead: a cold build forks a niced child that writes the WOFF2
subsets of the body faces (fonts.make_web_fonts, about a second of a core each, Brotli and
WOFF2's glyph transform) while the book is laid out, when a core is often idle; the web
edition of the book and of each packet takes the same turn on the fonts before it needs them,
so it waits for the child instead of making them again beside it (three times at once in a
build with two packets, as it was).

Measured in bench/run.py (docs/internals.md, "Process tricks and what each buys").
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from bookbuilder import cache
from bookbuilder.fonts import make_web_fonts, web_fonts_ready
from bookbuilder.process import forking
from bookbuilder.process.turns import turn

NICENESS = 10


def fonts_turn() -> Path:
    """The lock file every maker of web fonts holds while it makes them."""
    return cache.path("fonts", "web-fonts.lock")


@contextlib.contextmanager
def fonts_ahead(needed: bool):
    """For the ``with``: a child making the web fonts, when ``needed`` and they are not in the
    cache. On the way out it is waited for (it is usually done), or ended if the build failed
    (what it writes, it writes atomically)."""
    if not needed or not forking.can_fork() or web_fonts_ready():
        yield
        return
    child = forking.Child(lambda _requests, _answers: _make(), niceness=NICENESS)
    try:
        yield
    except BaseException:
        child.close()
        raise
    child.wait()
    child.close()


def _make() -> None:
    with turn(fonts_turn()):
        make_web_fonts()
