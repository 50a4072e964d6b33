"""Course packets built in worker processes while this one builds the book.

A packet reads its own model of its own chapters and writes its own files, so it needs
nothing from the book's build: on a machine with a spare core it is built beside it, in
a fresh (spawned) process that uses the same cache and reports warnings the same way.
Errors come back as the BookError they are (file, line, hint and all).
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from . import cache


def spare_cores(busy: bool) -> int:
    """Cores free for workers: those this process may use, less one if it is busy itself."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores - (1 if busy else 0)


class PacketWorkers:
    """Builds ``editions`` (packets) in workers started at once, or here, one after the
    other, when no core is spare or one packet alone has nothing to run beside."""

    def __init__(self, editions, book_dir: Path, out_dir: Path, busy: bool):
        self.editions, self.book_dir, self.out_dir = list(editions), Path(book_dir), Path(out_dir)
        workers = min(spare_cores(busy), len(self.editions))
        self.pool = None
        if workers >= 1 and (busy or len(self.editions) > 1):
            log = logging.getLogger("bookbuilder")
            handlers = [type(h) for h in log.handlers if type(h).__module__.startswith("bookbuilder")]
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                            initializer=_start_worker, initargs=(cache.root(), handlers))
            self.futures = [self.pool.submit(_write_packet, self.book_dir, e, self.out_dir)
                            for e in self.editions]

    def results(self):
        """(edition, files written) for each packet, in order."""
        for i, edition in enumerate(self.editions):
            if self.pool:
                yield edition, self.futures[i].result()
            else:
                yield edition, _write_packet(self.book_dir, edition, self.out_dir)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool:
            # on an error, packets not started are dropped; one being written finishes
            # (its files are written atomically either way)
            self.pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(cache_root: Path, handlers: list[type]) -> None:
    cache.set_root(cache_root)
    log = logging.getLogger("bookbuilder")
    if handlers and not log.handlers:
        for handler in handlers:
            log.addHandler(handler())
        log.propagate = False


def _write_packet(book_dir: Path, edition, out_dir: Path) -> list[Path]:
    from .packets import write_packet
    return write_packet(book_dir, edition, out_dir)
