"""`python build.py watch`: rebuild on every save.

The folder is watched with watchfiles (inotify through Rust's notify, with debouncing
and a filter for editor backups and hidden files: nothing to write by hand). Each save
rebuilds what an editor looks at first, the reader's PDF, then the other outputs (the print
edition, the EPUB, the web edition, the packets); outputs whose inputs did not change are skipped (freshness.py). A manuscript
error prints its one line and the watcher waits for the next save.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import watchfiles

from bookbuilder.run.build import ALL_FORMATS, build
from bookbuilder.errors import BookError

FIRST = ("pdf",)               # the reader's PDF, before anything else
READY_MS = 200                  # the first empty yield: the watcher is set up


def phases(formats) -> list[tuple[str, ...]]:
    first = tuple(f for f in FIRST if f in formats)
    later = tuple(f for f in formats if f not in FIRST)
    return [p for p in (first, later) if p]


def rebuild(book_dir: Path, out_dir: Path, formats, say: Callable[[str], None]) -> None:
    """Build each phase, saying what was rebuilt and how long it took; errors are said, not raised."""
    for phase in phases(formats):
        start = time.perf_counter()
        try:
            outputs = build(book_dir, out_dir, phase, quiet=True)
        except BookError as exc:
            say(str(exc))
            return
        except Exception as exc:  # a bug: say it and keep watching, the next save may avoid it
            say(f"internal error: {type(exc).__name__}: {exc}")
            return
        written = [p.name for p in outputs if p not in outputs.unchanged]
        took = time.perf_counter() - start
        say(f"rebuilt {', '.join(written)} in {took:.1f} s" if written else f"{', '.join(phase)}: nothing changed")


def watch(book_dir: Path, out_dir: Path, formats=ALL_FORMATS, say: Callable[[str], None] = print) -> int:
    """Watch ``book_dir`` until Ctrl-C; returns the exit code."""
    book_dir = Path(book_dir)
    try:
        changes = watchfiles.watch(book_dir, yield_on_timeout=True, rust_timeout=READY_MS,
                                   raise_interrupt=True)
        next(changes)               # watching from here on: saves during the first build count
        rebuild(book_dir, out_dir, formats, say)
        say(f"watching {book_dir} (Ctrl-C to stop)")
        for batch in changes:
            if not batch:
                continue
            names = sorted({_relative(path, book_dir) for _, path in batch})
            say(f"changed: {', '.join(names)}")
            rebuild(book_dir, out_dir, formats, say)
    except KeyboardInterrupt:
        say("stopped")
    return 0


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path
