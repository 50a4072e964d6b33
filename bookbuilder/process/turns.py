"""Taking turns: an advisory lock (``flock``) held for a ``with``, so that two processes of
one book (a watcher and a build by hand) do not work on the same files at once. A process
that ends, however it ends, lets go of its turn with it.
"""

from __future__ import annotations

import contextlib
import fcntl
from pathlib import Path


@contextlib.contextmanager
def turn(lock: Path):
    """Wait for the lock file's turn, and hold it for the ``with``."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
