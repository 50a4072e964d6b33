"""The speed benchmark, run by hand (never a timed test): `python bench/run.py [--repeat N]`.

Every figure is the median of N runs of the command line in a fresh process, as an
editor would run it, and is reported as a ratio to the floor measured in the same run:
a bare WeasyPrint render (no tags) of our own final print HTML. The machine is shared,
so absolute seconds are noisy; ratios within one run are what counts.

    (a) floor       HTML(string=final print HTML).write_pdf(), in-process
    (b) full        all outputs, empty cache (BOOKBUILDER_CACHE = a new temp dir)
    (c) epub        the EPUB alone, warm cache, into a new output folder
    (d) noop        the same build again, nothing changed
    (e) edit        a build after editing one paragraph of one chapter
    (f) 10x full / 10x edit: (b) and (e) for a synthetic book ten times as long,
        with peak RSS of the build process

The floor is measured again just before each build, and a figure's ratio is the median of
each run divided by the floor next to it (the load of a shared machine drifts).

Writes bench/report.json and bench/REPORT.md, and compares the ratios with the report
it replaces: a ratio more than 10 % worse is flagged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
REPORT_JSON = HERE / "report.json"
REPORT_MD = HERE / "REPORT.md"
WORSE = 1.10           # a ratio 10 % above the last report's is flagged
# targets from issue 15: ratio name -> (numerator, denominator, limit)
TARGETS = {
    "full/floor": ("full", "floor", 1.5),
    "epub/floor": ("epub", "floor", 0.3),
    "noop/floor": ("noop", "floor", 0.1),
    "edit/full": ("edit", "full", 0.4),
    "10x full/full": ("10x full", "full", 10.0),
}
RSS_LIMIT_MB = 1024


# ------------------------------------------------------------ running builds

def run_build(book: Path, out: Path, cache_dir: Path, *command: str) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `build.py` run in a fresh process."""
    env = {**os.environ, "BOOKBUILDER_CACHE": str(cache_dir), "PYTHONPATH": str(ROOT),
           "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1764028800")}
    args = [sys.executable, str(ROOT / "build.py"), *command, "--book", str(book), "--out", str(out), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (with its reaped children, e.g. pandoc), not the sum
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode:
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(command)}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024


class Floor:
    """(a): the bare engine on our final print HTML, in a child process on a pristine copy
    of the book. It is measured again just before every timed build, and each build is
    divided by the floor next to it: the load of a shared machine changes from minute to
    minute, and two runs a few seconds apart see about the same load."""

    def __init__(self, book: Path, work: Path):
        self.book = shutil.copytree(book, work / "book-floor")
        self.cache = work / "cache-floor"
        self.runs: list[float] = []

    def measure(self) -> float:
        env = {**os.environ, "BOOKBUILDER_CACHE": str(self.cache), "PYTHONPATH": str(ROOT)}
        result = subprocess.run([sys.executable, str(HERE / "floor.py"), str(self.book), "1"],
                                cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            raise SystemExit(f"floor failed:\n{result.stderr}")
        self.runs += json.loads(result.stdout.strip().splitlines()[-1])
        return self.runs[-1]

    def timed(self, *args) -> tuple[float, float, float]:
        """A build's (seconds, peak RSS, seconds / the floor measured just before it)."""
        base = self.measure()
        seconds, rss = run_build(*args)
        return seconds, rss, seconds / base

    def figure(self) -> dict:
        return {"seconds": statistics.median(self.runs), "runs": [round(r, 3) for r in self.runs], "ratio": 1.0}


def median_of(runs: list[tuple[float, float, float]]) -> dict:
    return {"seconds": statistics.median(r[0] for r in runs), "runs": [round(r[0], 3) for r in runs],
            "peak_rss_mb": round(max(r[1] for r in runs), 1),
            "ratio": round(statistics.median(r[2] for r in runs), 3)}


def edit_paragraph(book: Path, n: int) -> None:
    """Change one paragraph of the book's second chapter (different text each time)."""
    chapter = sorted((book / "chapters").glob("*.md"))[1]
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if re.match(r"[A-Z]", line) and len(line) > 200)
    lines[i] = re.sub(r"( Edited \d+\.)?\n$", f" Edited {n}.\n", lines[i])
    chapter.write_text("".join(lines), encoding="utf-8")


def measure_book(book: Path, work: Path, repeat: int, floor: Floor, label: str = "") -> dict:
    """(b) full with empty caches, (c) EPUB alone, (d) no-op, (e) edit of one paragraph."""
    figures = {}
    full = []
    for i in range(repeat):
        cache_dir = Path(tempfile.mkdtemp(dir=work, prefix="cache-"))
        full.append(floor.timed(book, work / f"out-{label}full-{i}", cache_dir))
        print(f"  {label}full run {i + 1}: {full[-1][0]:.2f} s", flush=True)
    figures[label + "full"] = median_of(full)
    warm, out = cache_dir, work / f"out-{label}full-{repeat - 1}"   # the last full build's
    if not label:
        figures["epub"] = median_of([floor.timed(book, work / f"out-epub-{i}", warm, "epub")
                                     for i in range(repeat)])
        print(f"  epub: {figures['epub']['seconds']:.2f} s", flush=True)
        figures["noop"] = median_of([floor.timed(book, out, warm) for _ in range(repeat)])
        print(f"  noop: {figures['noop']['seconds']:.2f} s", flush=True)
    edits = []
    for i in range(repeat):
        edit_paragraph(book, i)
        edits.append(floor.timed(book, out, warm))
        print(f"  {label}edit run {i + 1}: {edits[-1][0]:.2f} s", flush=True)
    figures[label + "edit"] = median_of(edits)
    return figures


# ------------------------------------------------------------ the 10x book

def synthetic_book(source: Path, target: Path, times: int = 10) -> Path:
    """The book with its chapters repeated ``times`` times; every copy's headings carry
    the copy's number and its files their own names, so no cache can share a copy's work."""
    shutil.copytree(source, target)
    config = (target / "book.yaml").read_text(encoding="utf-8")
    chapters = re.findall(r"^- (chapters/\S+\.md)$", config, flags=re.M)
    listing = []
    for k in range(times):
        for name in chapters:
            if k == 0:
                listing.append(name)
                continue
            copy = name.replace(".md", f"-copy{k}.md")
            text = (target / name).read_text(encoding="utf-8")
            text = re.sub(r"^(#+ .*)$", rf"\1 (part {k + 1})", text, flags=re.M)
            (target / copy).write_text(text, encoding="utf-8")
            listing.append(copy)
    block = "".join(f"- {name}\n" for name in listing)
    config = re.sub(r"^chapters:\n(- chapters/\S+\n)+", "chapters:\n" + block, config, flags=re.M)
    (target / "book.yaml").write_text(config, encoding="utf-8")
    return target


# ------------------------------------------------------------ report

def machine() -> dict:
    return {"node": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}


def ratios(figures: dict) -> dict:
    """Each figure's median ratio to the floor measured next to it."""
    return {name: fig["ratio"] for name, fig in figures.items()}


def target_lines(figures: dict) -> list[str]:
    lines = []
    for name, (num, den, limit) in TARGETS.items():
        if num in figures and den in figures:
            value = figures[num]["ratio"] / figures[den]["ratio"]
            lines.append(f"| {name} | {value:.2f} | ≤ {limit} | {'met' if value <= limit else 'not met'} |")
    if "10x full" in figures:
        rss = max(figures["10x full"]["peak_rss_mb"], figures.get("10x edit", {}).get("peak_rss_mb", 0))
        lines.append(f"| 10x peak RSS (MiB) | {rss:.0f} | ≤ {RSS_LIMIT_MB} | {'met' if rss <= RSS_LIMIT_MB else 'not met'} |")
    return lines


def compare(new: dict, old: dict | None) -> list[str]:
    """Ratios more than 10 % worse than in the last report."""
    if not old:
        return []
    flagged = []
    for name, ratio in new["ratios"].items():
        before = old.get("ratios", {}).get(name)
        if before and name != "floor" and ratio > before * WORSE:
            flagged.append(f"{name}: {ratio:.2f} × floor, was {before:.2f} (+{(ratio / before - 1) * 100:.0f} %)")
    return flagged


def write_report(report: dict, flagged: list[str]) -> None:
    REPORT_JSON.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    notes = ""
    if REPORT_MD.exists():
        old = REPORT_MD.read_text(encoding="utf-8")
        notes = old[old.index("## Notes"):] if "## Notes" in old else ""
    m = report["machine"]
    lines = [
        "# Speed benchmark report", "",
        f"Written by `python bench/run.py --repeat {report['repeat']}` on {report['date']}, "
        f"machine `{m['node']}` ({m['cpus']} CPUs, {m['platform']}, Python {m['python']}, "
        f"load average {m['load']:.1f} at the start).", "",
        "The machine is shared with other engineers, so absolute seconds are noisy: the ratios within "
        "one run are what counts. Each figure is the median of the runs listed; its ratio is the median of "
        "each run divided by a floor run made just before it.", "",
        "| figure | seconds | × floor | peak RSS MiB | runs |", "|---|---|---|---|---|"]
    for name, fig in report["figures"].items():
        lines.append(f"| {name} | {fig['seconds']:.2f} | {report['ratios'][name]:.2f} | "
                     f"{fig.get('peak_rss_mb', '')} | {', '.join(map(str, fig['runs']))} |")
    lines += ["", "## Targets (issue 15)", "", "| ratio | reached | target | |", "|---|---|---|---|"]
    lines += target_lines(report["figures"])
    lines += ["", "## Against the previous report", ""]
    lines += [f"- **worse**: {f}" for f in flagged] or ["- no ratio got worse by more than 10 %"]
    REPORT_MD.write_text("\n".join(lines) + "\n\n" + notes, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--book", type=Path, default=ROOT / "book")
    p.add_argument("--repeat", type=int, default=3, help="runs per figure (median); default 3")
    p.add_argument("--repeat-10x", type=int, default=1, help="runs per 10x-book figure; default 1")
    p.add_argument("--no-10x", action="store_true", help="skip the ten-times book")
    p.add_argument("--no-write", action="store_true", help="print only; keep the committed report")
    args = p.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bookbuilder-bench-"))
    try:
        book = shutil.copytree(args.book, work / "book")
        floor = Floor(book, work)
        print("(a) floor, warming its cache (untimed)", flush=True)
        floor.measure()
        floor.runs.clear()
        print("(b)-(e) the book, each run next to a floor run", flush=True)
        figures = measure_book(book, work, args.repeat, floor)
        if not args.no_10x:
            print("(f) the 10x book", flush=True)
            big = synthetic_book(args.book, work / "book10x")
            figures |= measure_book(big, work, args.repeat_10x, floor, label="10x ")
        figures = {"floor": floor.figure(), **figures}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
              "repeat": args.repeat, "figures": figures, "ratios": ratios(figures)}
    print(f"\n{'figure':12} {'seconds':>8} {'x floor':>8} {'peak MiB':>9}")
    for name, fig in figures.items():
        print(f"{name:12} {fig['seconds']:8.2f} {report['ratios'][name]:8.2f} {fig.get('peak_rss_mb', ''):>9}")
    for line in target_lines(figures):
        print(line)
    old = json.loads(REPORT_JSON.read_text(encoding="utf-8")) if REPORT_JSON.exists() else None
    flagged = compare(report, old)
    for line in flagged:
        print(f"WORSE: {line}")
    if not args.no_write:
        write_report(report, flagged)
        print(f"wrote {REPORT_JSON.relative_to(ROOT)} and {REPORT_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
