"""(a) of bench/run.py, in its own process: `python bench/floor.py BOOK REPEAT`.

Builds the final print HTML the way the PDF build does (its page map and note repairs),
then times only the bare engine on it, REPEAT times: HTML(string=...).write_pdf(),
without tags. Prints the list of seconds as JSON on its last line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from weasyprint import HTML

from bookbuilder import cache
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.layout.engine import BookFetcher
from bookbuilder.layout.reference import final_html


def main() -> None:
    book_dir = Path(sys.argv[1])
    book = enrich(read_book(book_dir))
    source = final_html(book)
    base_url = str(cache.path("print")) + "/"
    runs = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        # the build's own resource loader (figures, fonts): the same work as the build's layout
        HTML(string=source, base_url=base_url, url_fetcher=BookFetcher(book_dir)).write_pdf()
        runs.append(time.perf_counter() - start)
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
