"""The build: manuscript -> enriched model -> every output an edition asks for.

The reader's PDF, the print edition and the EPUB read one model of the whole book;
each course packet reads a model of its own chapters (packets.py).
"""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .config import load_config
from .editions import Edition, print_edition, reader_edition

# what `python build.py` makes: the reader's PDF, the print edition (PDF and cover), the EPUB
# and the packets book.yaml declares
BOOK_FORMATS = ("pdf", "print", "epub")
ALL_FORMATS = BOOK_FORMATS + ("packets",)


def build(book_dir: Path, out_dir: Path, formats=ALL_FORMATS, quiet: bool = False) -> list[Path]:
    from .enrich import enrich
    from .manuscript import read_book
    from .packets import declared_packets

    config = load_config(book_dir)
    packets = declared_packets(config) if "packets" in formats else []
    book_formats = [f for f in BOOK_FORMATS if f in formats]
    outputs: list[Path] = []
    with _progress(quiet) as progress:
        task = progress.add_task("read manuscript", total=1 + len(book_formats) + len(packets))
        if book_formats:
            book = enrich(read_book(book_dir))
            for fmt in book_formats:
                progress.update(task, advance=1, description=f"write {fmt}")
                outputs.extend(write_format(book, fmt, out_dir))
        for edition in packets:
            progress.update(task, advance=1, description=f"packet {edition.slug}")
            outputs.extend(build_packet(book_dir, edition, out_dir))
    return outputs


def build_packet(book_dir: Path, edition: Edition, out_dir: Path) -> list[Path]:
    from .packets import write_packet
    return write_packet(book_dir, edition, out_dir / "packets")


def write_format(book, fmt: str, out_dir: Path) -> list[Path]:
    if fmt == "pdf":
        from .pdf import write_pdf
        edition = reader_edition(book.config)
        return [write_pdf(book, out_dir / f"{edition.slug}.pdf", edition)]
    if fmt == "print":
        from .cover_wrap import write_cover
        from .prepress import write_print_pdf
        edition = print_edition(book.config)
        print_pdf = write_print_pdf(book, edition, out_dir / f"{edition.slug}.pdf")
        # the cover's spine is as thick as the print PDF has pages
        return [print_pdf, write_cover(book, edition, out_dir / f"{book.config.slug}-cover.pdf", print_pdf)]
    from .epub import write_epub
    return [write_epub(book, out_dir / f"{book.config.slug}.epub")]


def _progress(quiet: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    transient=True, disable=quiet)
