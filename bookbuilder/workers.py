"""Course packets built in worker processes while this one builds the book.

A packet reads its own model of its own chapters and writes its own files, so it needs
nothing from the book's build: on a machine with a spare core it is built beside it, by
``python -m bookbuilder.workers`` (a plain child process: nothing of the caller's program
is imported again, and nothing is inherited from a process that has laid out a book). The
child uses the same cache, prints warnings the same way, and answers with one JSON line a
packet: the files written, or the BookError it met (file, line and hint and all).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from . import cache, errors

PACKAGE_HOME = Path(__file__).resolve().parent.parent


def spare_cores(busy: bool) -> int:
    """Cores free for workers: those this process may use, less one if it is busy itself."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores - (1 if busy else 0)


class PacketWorkers:
    """Builds ``editions`` (packets declared in book.yaml) in child processes started at
    once, or here, one after the other, when no core is spare or a single packet has
    nothing to run beside."""

    def __init__(self, editions, book_dir: Path, out_dir: Path, busy: bool):
        self.editions, self.book_dir, self.out_dir = list(editions), Path(book_dir), Path(out_dir)
        workers = min(spare_cores(busy), len(self.editions))
        self.children: list[subprocess.Popen] = []
        if workers >= 1 and (busy or len(self.editions) > 1):
            # the same cache, and this very bookbuilder (not another one the path may hold)
            env = {**os.environ, cache.ENV_VAR: str(cache.root()),
                   "PYTHONPATH": os.pathsep.join(filter(None, (str(PACKAGE_HOME), os.environ.get("PYTHONPATH"))))}
            for n in range(workers):
                slugs = [e.slug for e in self.editions[n::workers]]
                self.children.append(subprocess.Popen(
                    [sys.executable, "-m", "bookbuilder.workers", str(self.book_dir), str(self.out_dir), *slugs],
                    env=env, stdout=subprocess.PIPE, text=True))

    def results(self):
        """(edition, files written) for each packet; raises the first error a packet met."""
        if not self.children:
            for edition in self.editions:
                yield edition, write_packet(self.book_dir, edition, self.out_dir)
            return
        by_slug = {e.slug: e for e in self.editions}
        for child in self.children:
            for line in child.stdout:
                answer = json.loads(line)
                if "error" in answer:
                    raise _error(answer["error"])
                yield by_slug[answer["slug"]], [Path(f) for f in answer["files"]]
            if child.wait():
                raise errors.RenderError(f"a packet worker stopped with exit code {child.returncode}")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for child in self.children:          # on an error here, packets not yet written are dropped
            if child.poll() is None:
                child.terminate()            # their files are written atomically: nothing half-made
            child.wait()
            child.stdout.close()


def write_packet(book_dir: Path, edition, out_dir: Path) -> list[Path]:
    from .packets import write_packet as write
    return write(book_dir, edition, out_dir)


def _error(found: dict) -> errors.BookError:
    kind = getattr(errors, found["kind"], errors.BookError)
    return kind(found["message"], found["file"], found["line"], found["hint"])


def main(argv: list[str]) -> int:
    """The child: build the named packets of the book, one JSON line each."""
    import logging

    from .cli import WarningLine
    from .config import load_config
    from .packets import declared_packets

    log = logging.getLogger("bookbuilder")
    log.addHandler(WarningLine())
    log.propagate = False
    answers, sys.stdout = sys.stdout, sys.stderr      # stdout carries the answers alone
    book_dir, out_dir, slugs = Path(argv[0]), Path(argv[1]), argv[2:]
    try:
        packets = {e.slug: e for e in declared_packets(load_config(book_dir))}
        for slug in slugs:
            files = write_packet(book_dir, packets[slug], out_dir)
            print(json.dumps({"slug": slug, "files": [str(f) for f in files]}), file=answers, flush=True)
    except errors.BookError as exc:
        print(json.dumps({"error": {"kind": type(exc).__name__, "message": exc.message, "line": exc.line,
                                    "file": str(exc.file) if exc.file else None, "hint": exc.hint}}), file=answers, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
