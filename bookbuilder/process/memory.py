"""Letting layouts go: each before the next is made, at little cost.

A WeasyPrint layout's boxes refer to each other, so only Python's cycle collector frees
them, and a long book's layout holds hundreds of megabytes: each is collected as soon as
it is let go. A full collection walks every object the process holds, though: WeasyPrint's,
matplotlib's and pikepdf's modules and the book's model, about 0.1 s a time, as long as a
short chapter's layout. So once the book is read and its first layout collected, what is
left alive is long-lived and frozen (``gc.freeze``): later collections walk the layouts'
objects alone.
"""

from __future__ import annotations

import gc

_frozen = False


def collect() -> None:
    """Free the layouts let go of. The caller holds no layout when it calls this (a layout
    still referenced would be frozen with the rest, for the life of the process)."""
    global _frozen
    gc.collect()
    if not _frozen:
        gc.freeze()
        _frozen = True
