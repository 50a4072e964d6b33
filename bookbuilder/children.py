"""Child processes of a build: how they are started (workers.py is what they run).

A child is a plain ``python -m bookbuilder.workers ...``: nothing of the caller's program is
imported again, and nothing is inherited from a process that has laid out a book. It uses
the same cache and this very bookbuilder (not another one the path may hold).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import cache

PACKAGE_HOME = Path(__file__).resolve().parent.parent


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bookbuilder.workers", *args]


def environment() -> dict:
    return {**os.environ, cache.ENV_VAR: str(cache.root()),
            "PYTHONPATH": os.pathsep.join(filter(None, (str(PACKAGE_HOME), os.environ.get("PYTHONPATH"))))}


def spare_cores(busy: bool) -> int:
    """Cores free for workers: those this process may use, less one if it is busy itself."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores - (1 if busy else 0)
