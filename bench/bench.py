"""Benchmark the build stages by hand: `python bench/bench.py [--book DIR] [--repeat N]`.

Times and peak memory are machine-dependent, so each stage is reported as a ratio to a
baseline measured in the same run: laying out one plain chapter of the same book.
Never use these numbers as assertions in tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bookbuilder.passes.enrich import enrich  # noqa: E402
from bookbuilder.core.editions import reader_edition  # noqa: E402
from bookbuilder.epub.container import write_epub  # noqa: E402
from bookbuilder.run.epub_pages import epub_pages  # noqa: E402
from bookbuilder.source.manuscript import read_book  # noqa: E402
from bookbuilder.layout.reference import layout, write_pdf  # noqa: E402


def measure(fn, repeat: int) -> tuple[float, float]:
    """Median seconds of fn(), then peak MiB of Python allocations in one more, traced run
    (tracing slows the code down, so it is kept out of the timed runs)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--book", type=Path, default=ROOT / "book")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    out = Path(tempfile.mkdtemp())
    book = enrich(read_book(args.book))
    one_chapter = enrich(read_book(args.book))
    one_chapter.divisions = one_chapter.chapters[:1]

    stages = {
        "baseline: lay out chapter 1 only": lambda: layout(one_chapter),
        "read + enrich manuscript": lambda: enrich(read_book(args.book)),
        "lay out whole PDF": lambda: layout(book),
        "write PDF": lambda: write_pdf(book, out / "b.pdf"),
        "write EPUB": lambda: write_epub(book, out / "b.epub", None, epub_pages(book, reader_edition(book.config))),
    }
    results = {name: measure(fn, args.repeat) for name, fn in stages.items()}
    base_t, base_m = results["baseline: lay out chapter 1 only"]
    print(f"{'stage':36} {'seconds':>8} {'x base':>7} {'peak MiB':>9} {'x base':>7}")
    for name, (t, m) in results.items():
        print(f"{name:36} {t:8.2f} {t / base_t:7.1f} {m:9.1f} {m / base_m:7.1f}")


if __name__ == "__main__":
    main()
