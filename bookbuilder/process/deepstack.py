"""Run the build on one deep Python data stack: a workaround for CPython issue gh-142183.

CPython 3.11 keeps a thread's frames in chunks of 16 KiB and gives a chunk back to the system
as soon as the frames in it have returned. WeasyPrint's layout recurses deep and back up
thousands of times, across the same chunk boundary: each crossing maps a chunk and unmaps it,
with its page faults (69,000 times in a cold build of the Great Purge: half a second of the
kernel's time, a twentieth of the build). CPython 3.13.x and 3.14 keep one chunk per thread
instead, which ends it.

The build is run inside the frame of a function given tens of thousands of (unused) local
variables: CPython puts that frame in a chunk of its own, rounded up to a power of two
(1 MiB), and the build's frames fill the room left in it, a chunk that is never given back
while the build runs. The children forked by the build (process/forking.py) inherit it. Where the
function cannot be made so (another Python), the build runs as it is.
"""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")

SLOTS = 66_000      # 8 bytes each: a 528 KiB frame in a 1 MiB chunk, leaving ~490 KiB of stack


def run_deep(call: Callable[[], T]) -> T:
    """``call()``, on a data stack that stays mapped however its frames come and go."""
    deep = _deep_caller()
    return deep(call) if deep is not None else call()


def _deep_caller():
    def deep(call):
        return call()

    names = deep.__code__.co_varnames + tuple(f"_slot{i}" for i in range(SLOTS))
    try:
        code = deep.__code__.replace(co_varnames=names, co_nlocals=len(names))
    except (AttributeError, TypeError, ValueError):      # not CPython's code objects
        return None
    return type(deep)(code, deep.__globals__, "run_deep")

