"""The build: manuscript -> enriched model -> PDF and EPUB, with a progress display."""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .enrich import enrich
from .manuscript import read_book


def build(book_dir: Path, out_dir: Path, formats=("pdf", "epub"), quiet: bool = False) -> list[Path]:
    steps = ["read manuscript", "enrich"] + [f"write {f.upper()}" for f in formats]
    outputs = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  transient=True, disable=quiet) as progress:
        task = progress.add_task(steps[0], total=len(steps))
        book = read_book(book_dir)
        progress.update(task, advance=1, description=steps[1])
        enrich(book)
        for fmt in formats:
            progress.update(task, advance=1, description=f"write {fmt.upper()}")
            outputs.append(write_format(book, fmt, out_dir))
    return outputs


def write_format(book, fmt: str, out_dir: Path) -> Path:
    target = out_dir / f"{book.config.slug}.{fmt}"
    if fmt in ("print", "cover"):
        from .prepress import write_edition
        return write_edition(book, fmt, out_dir)
    if fmt == "pdf":
        from .pdf import write_pdf
        return write_pdf(book, target)
    from .epub import write_epub
    return write_epub(book, target)
