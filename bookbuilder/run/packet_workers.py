"""Course packets built in forked children (process/forking.py) while this process builds
the book (run/packets.py says what a packet is made of).

A packet reads its own model of its own chapters and writes its own files, so it needs
nothing from the book's build: on a machine with a spare core it is built beside it. The
child prints warnings the same way and answers with one JSON line a packet: the files
written, or the BookError it met (file, line and hint and all).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import TextIO

from bookbuilder import errors
from bookbuilder.process import forking

PACKET_NICENESS = 10


class PacketWorkers:
    """Builds ``editions`` (packets declared in book.yaml) in child processes started at
    once, or here, one after the other, when no core is spare or a single packet has
    nothing to run beside."""

    def __init__(self, editions, book_dir: Path, out_dir: Path, busy: bool):
        """``busy``: this process builds the book meanwhile."""
        self.editions, self.book_dir, self.out_dir = list(editions), Path(book_dir), Path(out_dir)
        # niced (PACKET_NICENESS), they take what the book's build leaves of every core, and
        # all of them once it is done: as many as cores, not only the spare ones
        workers = min(forking.spare_cores(busy=False), len(self.editions))
        self.children: list[forking.Child] = []
        if workers >= 1 and (busy or len(self.editions) > 1):
            # WeasyPrint imported once, before the forks; the book's charts are drawn after, as they read their chapters
            importlib.import_module("bookbuilder.layout.engine")
            for n in range(workers):
                editions = self.editions[n::workers]
                self.children.append(forking.Child(
                    lambda _requests, answers, mine=editions: build_packets(self.book_dir, mine, self.out_dir, answers),
                    niceness=PACKET_NICENESS))

    def results(self):
        """(edition, files written) for each packet; raises the first error a packet met."""
        if not self.children:
            for edition in self.editions:
                yield edition, write_packet(self.book_dir, edition, self.out_dir)
            return
        by_slug = {e.slug: e for e in self.editions}
        for child in self.children:
            for line in child.answers:
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
            child.close()                    # their files are written atomically: nothing half-made


def write_packet(book_dir: Path, edition, out_dir: Path) -> list[Path]:
    from bookbuilder.run.packets import write_packet as write
    return write(book_dir, edition, out_dir)


def _error(found: dict) -> Exception:
    if found.get("bug"):
        return RuntimeError(f"{found['kind']} in a packet worker: {found['message']}")
    kind = getattr(errors, found["kind"], errors.BookError)
    return kind(found["message"], found["file"], found["line"], found["hint"])


def build_packets(book_dir: Path, editions: list, out_dir: Path, answers: TextIO) -> None:
    """Build ``editions`` (packets of the book), one JSON line of answer each."""
    def answer(what) -> None:
        answers.write(json.dumps(what) + "\n")

    try:
        for edition in editions:
            files = write_packet(book_dir, edition, out_dir)
            answer({"slug": edition.slug, "files": [str(f) for f in files]})
    except errors.BookError as exc:
        answer({"error": {"kind": type(exc).__name__, "message": exc.message, "line": exc.line,
                          "file": str(exc.file) if exc.file else None, "hint": exc.hint}})
    except Exception as exc:        # a bug: the build reports it as its own one-line internal error
        answer({"error": {"kind": type(exc).__name__, "message": str(exc), "bug": True}})
