"""Work done in child processes (children.py): course packets while this process builds
the book, and chapters of a book laid out beside it (bookparts.py).

A packet reads its own model of its own chapters and writes its own files, so it needs
nothing from the book's build: on a machine with a spare core it is built beside it. The
child prints warnings the same way and answers with one JSON line a packet: the files
written, or the BookError it met (file, line and hint and all).

"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from . import children, errors

PACKET_NICENESS = 10


class PacketWorkers:
    """Builds ``editions`` (packets declared in book.yaml) in child processes started at
    once, or here, one after the other, when no core is spare or a single packet has
    nothing to run beside."""

    def __init__(self, editions, book_dir: Path, out_dir: Path, busy: bool):
        self.editions, self.book_dir, self.out_dir = list(editions), Path(book_dir), Path(out_dir)
        # niced (PACKET_NICENESS), they take what the book's build leaves of every core, and
        # all of them once it is done: as many as cores, not only the spare ones
        workers = min(children.spare_cores(busy=False), len(self.editions))
        self.children: list[subprocess.Popen] = []
        if workers >= 1 and (busy or len(self.editions) > 1):
            for n in range(workers):
                slugs = [e.slug for e in self.editions[n::workers]]
                self.children.append(subprocess.Popen(
                    children.command("packets", str(self.book_dir), str(self.out_dir), *slugs),
                    env=children.environment(), stdout=subprocess.PIPE, text=True))

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


def _error(found: dict) -> Exception:
    if found.get("bug"):
        return RuntimeError(f"{found['kind']} in a packet worker: {found['message']}")
    kind = getattr(errors, found["kind"], errors.BookError)
    return kind(found["message"], found["file"], found["line"], found["hint"])


def main(argv: list[str]) -> int:
    """The child (children.py): ``packets BOOK OUT SLUG...`` or ``chapters BOOK [ID...]``."""
    errors.report_warnings()
    return chapters(argv[1:]) if argv[0] == "chapters" else packets(argv[1:])


def chapters(argv: list[str]) -> int:
    """Lay out divisions of the book alone into the cache (bookparts.ChapterWorker): the named
    chapters, else those of a JSON list on stdin once the parent knows them; then each
    division a later stdin line names with the page map to print. One JSON line on stdout
    for each; on any error, say so and stop: the parent lays the rest out and reports it."""
    from .bookparts import lay_out_chapter
    from .enrich import enrich
    from .manuscript import read_book
    from .pages import PageMap

    answers, sys.stdout = sys.stdout, sys.stderr
    try:
        with _quiet():                          # what reading the book finds, the parent says
            book = enrich(read_book(Path(argv[0])))
        for chapter_id in argv[1:] or json.loads(sys.stdin.readline() or "[]"):
            lay_out_chapter(book, chapter_id)
            print(json.dumps({"done": chapter_id}), file=answers, flush=True)
        for line in sys.stdin:
            asked = json.loads(line)
            saved = json.loads(Path(asked["page_map"]).read_text(encoding="utf-8"))
            lay_out_chapter(book, asked["division"], page_map=PageMap(saved["page_of"], saved["folios"]))
            print(json.dumps({"done": asked["division"]}), file=answers, flush=True)
    except Exception as exc:                    # reported by the parent, which meets it again
        print(json.dumps({"error": str(exc)}), file=answers, flush=True)
    return 0


@contextlib.contextmanager
def _quiet():
    """The builder's warnings left unsaid for the time of a ``with``."""
    log = logging.getLogger("bookbuilder")
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = False


def packets(argv: list[str]) -> int:
    """Build the named packets of the book, one JSON line each on stdout."""
    from .config import load_config
    from .packets import declared_packets

    answers, sys.stdout = sys.stdout, sys.stderr      # stdout carries the answers alone
    # the book's own layout (and a cold build's chapter worker) come first: a packet takes
    # the cores they leave, and all of one when it is the last thing to do
    os.nice(PACKET_NICENESS)
    book_dir, out_dir, slugs = Path(argv[0]), Path(argv[1]), argv[2:]
    try:
        packets = {e.slug: e for e in declared_packets(load_config(book_dir))}
        for slug in slugs:
            files = write_packet(book_dir, packets[slug], out_dir)
            print(json.dumps({"slug": slug, "files": [str(f) for f in files]}), file=answers, flush=True)
    except errors.BookError as exc:
        print(json.dumps({"error": {"kind": type(exc).__name__, "message": exc.message, "line": exc.line,
                                    "file": str(exc.file) if exc.file else None, "hint": exc.hint}}),
              file=answers, flush=True)
    except Exception as exc:        # a bug: the parent reports it as its own one-line internal error
        print(json.dumps({"error": {"kind": type(exc).__name__, "message": str(exc), "bug": True}}),
              file=answers, flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:       # Ctrl-C reaches the whole process group: the parent says it
        sys.exit(130)
