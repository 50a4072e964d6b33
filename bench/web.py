"""The web edition's speed, run by hand (never a timed test): `python bench/web.py [--repeat N]`.

Every figure is a ratio to a full build measured in the same run (the machine is shared:
seconds are noisy, ratios within one run are what counts):

    full      every output (PDFs, EPUB, web edition, packets), empty cache
    web       the web edition alone, warm cache, into a new output folder (search index included)
    preview   from a saved edit of one paragraph to its page written: what `preview` does on a
              save before the browser reloads (the book read again, every page rendered, the
              changed ones written; no search index, which follows the reload)
    pdf-edit  from the same edit to the new reader's PDF (what watch and preview make first)

Prints the figures and writes bench/web-report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import edit_paragraph, run_build  # noqa: E402  (bench/run.py)

PREVIEW_SCRIPT = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from run import edit_paragraph
from bookbuilder.run.preview import Site
site = Site(Path({book!r}), Path({out!r}))
site.refresh()                       # the preview's first build (not timed)
runs = []
for i in range({repeat}):
    edit_paragraph(Path({book!r}), 100 + i)
    start = time.perf_counter()
    changed = site.refresh()
    runs.append(time.perf_counter() - start)
    assert any(c.endswith(".html") for c in changed), changed
print(json.dumps(runs))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--book", type=Path, default=ROOT / "book")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        book = shutil.copytree(args.book, work / "book")
        full, web, pdf_edit = [], [], []
        for i in range(args.repeat):
            seconds, _ = run_build(book, work / f"out-full-{i}", work / f"cache-{i}", "build")
            full.append(seconds)
        cache = work / f"cache-{args.repeat - 1}"
        for i in range(args.repeat):
            seconds, _ = run_build(book, work / f"out-web-{i}", cache, "web")
            web.append(seconds)
        env = {**os.environ, "BOOKBUILDER_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
        script = PREVIEW_SCRIPT.format(bench=str(HERE), book=str(book), out=str(work / "out-preview"),
                                       repeat=args.repeat)
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(result.stderr)
        preview = json.loads(result.stdout.strip().splitlines()[-1])
        for i in range(args.repeat):
            edit_paragraph(book, 200 + i)
            seconds, _ = run_build(book, work / f"out-full-{args.repeat - 1}", cache, "pdf")
            pdf_edit.append(seconds)
    base = statistics.median(full)
    report = {"date": time.strftime("%Y-%m-%d"), "repeat": args.repeat, "full_seconds": round(base, 2)}
    for name, runs in (("web", web), ("preview", preview), ("pdf-edit", pdf_edit)):
        report[name] = {"seconds": round(statistics.median(runs), 3), "runs": [round(r, 3) for r in runs],
                        "ratio_to_full": round(statistics.median(runs) / base, 3)}
    (HERE / "web-report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
