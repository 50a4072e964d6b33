"""The build: manuscript -> enriched model -> every output an edition asks for.

The reader's PDF, the print edition and the EPUB read one model of the whole book;
each course packet reads a model of its own chapters (packets.py).
"""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .config import load_config
from .editions import Edition, print_edition, reader_edition
from .freshness import Stamps

# what `python build.py` makes: the reader's PDF, the print edition (PDF and cover), the EPUB
# and the packets book.yaml declares
BOOK_FORMATS = ("pdf", "print", "epub")
ALL_FORMATS = BOOK_FORMATS + ("packets",)


def build(book_dir: Path, out_dir: Path, formats=ALL_FORMATS, quiet: bool = False) -> list[Path]:
    from .enrich import enrich
    from .manuscript import read_book
    from .packets import declared_packets

    config = load_config(book_dir)
    stamps = Stamps(book_dir, out_dir)          # outputs made from the same inputs are left alone
    todo = stamps.stale(formats)
    packets = declared_packets(config) if "packets" in todo else []
    book_formats = [f for f in BOOK_FORMATS if f in todo]
    written: dict[str, list[Path]] = {}
    with _progress(quiet) as progress:
        task = progress.add_task("read manuscript", total=1 + len(book_formats) + len(packets))
        if book_formats:
            book = enrich(read_book(book_dir))
            for fmt in book_formats:
                progress.update(task, advance=1, description=f"write {fmt}")
                written[fmt] = write_format(book, fmt, out_dir)
                stamps.record(fmt, written[fmt])
        if "packets" in todo:
            written["packets"] = []
            for edition in packets:
                progress.update(task, advance=1, description=f"packet {edition.slug}")
                written["packets"].extend(build_packet(book_dir, edition, out_dir))
            stamps.record("packets", written["packets"])
    return stamps.outputs(list(formats), written)


def build_packet(book_dir: Path, edition: Edition, out_dir: Path) -> list[Path]:
    from .packets import write_packet
    return write_packet(book_dir, edition, out_dir / "packets")


def write_format(book, fmt: str, out_dir: Path) -> list[Path]:
    if fmt == "pdf":
        from .pdf import write_pdf
        edition = reader_edition(book.config)
        return [write_pdf(book, out_dir / f"{edition.slug}.pdf", edition)]
    if fmt == "print":               # the print shop's PDF, then its cover (the spine needs its pages)
        from .cover_wrap import write_cover
        from .prepress import write_print_pdf
        edition = print_edition(book.config)
        printed = write_print_pdf(book, out_dir / f"{edition.slug}.pdf")
        return [printed, write_cover(book, out_dir / f"{book.config.slug}-cover.pdf", printed)]
    from .epub import write_epub
    return [write_epub(book, out_dir / f"{book.config.slug}.epub")]


def _progress(quiet: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    transient=True, disable=quiet)
