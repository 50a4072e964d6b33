"""The build: manuscript -> enriched model -> every output an edition asks for.

The reader's PDF, the print edition and the EPUB read one model of the whole book;
each course packet reads a model of its own chapters (packets.py) and is built in a
worker process (packet_workers.py) while this one builds the book, so the two cores work at once.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bookbuilder.core.config import load_config
from bookbuilder.core.editions import Edition, print_edition, reader_edition
from bookbuilder.run.fonts_ahead import fonts_ahead
from bookbuilder.run.freshness import Stamps
from bookbuilder.run.packet_workers import PacketWorkers

# what `python build.py` makes: the reader's PDF, the print edition (PDF and cover), the EPUB,
# the web edition and the packets book.yaml declares
BOOK_FORMATS = ("pdf", "print", "epub", "web")
ALL_FORMATS = BOOK_FORMATS + ("packets",)
PACKET = "packet:"                  # stamp of one packet: "packet:<id>"


def build(book_dir: Path, out_dir: Path, formats=ALL_FORMATS, quiet: bool = False) -> list[Path]:
    from bookbuilder.core.packet_specs import declared_packets

    config = load_config(book_dir)
    stamps = Stamps(book_dir, out_dir)          # outputs made from the same inputs are left alone
    packets = {PACKET + e.slug: e for e in declared_packets(config)} if "packets" in formats else {}
    for unit, edition in packets.items():       # a packet is stale only when its own chapters change
        stamps.part(unit, [d.file for d in config.divisions if not edition.selection.includes(d)],
                    [d.file for d in config.divisions if edition.selection.includes(d)])
    units = [u for f in formats for u in (list(packets) if f == "packets" else [f])]
    todo = stamps.stale(units)
    book_formats = [f for f in BOOK_FORMATS if f in todo]
    stale_packets = [packets[u] for u in todo if u in packets]
    written: dict[str, list[Path]] = {}
    with _progress(quiet) as progress:
        task = progress.add_task("read manuscript", total=1 + len(book_formats) + len(stale_packets))
        book = _read(book_dir) if book_formats else None     # the children are forked with it
        with fonts_ahead("web" in book_formats or bool(stale_packets)), \
                PacketWorkers(stale_packets, book_dir, out_dir / "packets", busy=book is not None) as workers:
            if book is not None:
                write_book(book, book_formats, out_dir, stamps, written,
                           lambda fmt: progress.update(task, advance=1, description=f"write {fmt}"))
            for edition, files in workers.results():
                progress.update(task, advance=1, description=f"packet {edition.slug}")
                written[PACKET + edition.slug] = files
                stamps.record(PACKET + edition.slug, files)
    return stamps.outputs(units, written)


def _read(book_dir: Path):
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.source.manuscript import read_book
    return enrich(read_book(book_dir))


def write_book(book, formats: list[str], out_dir: Path, stamps: Stamps, written: dict, say) -> None:
    """The outputs of the whole book's model, in ``formats``' order, each stamped when written."""
    # the print edition is made from the reader's PDF: this build's, or one of the same inputs
    reader_pdf = (stamps.up_to_date("pdf") or [None])[0]
    with _chapter_worker(book, formats, reader_pdf) as worker:
        for fmt in formats:
            say(fmt)
            written[fmt] = write_format(book, fmt, out_dir, reader_pdf, worker)
            stamps.record(fmt, written[fmt])
            if fmt == "pdf":
                reader_pdf = written[fmt][0]


def _chapter_worker(book, formats: list[str], reader_pdf: Path | None):
    """A child laying out chapters beside this process, when the reader's PDF is to be laid out
    and its parts are not in the cache (layout/chapter_worker.py)."""
    if "pdf" not in formats and not ("print" in formats and reader_pdf is None):
        return contextlib.nullcontext()
    from bookbuilder.layout.parts import early_worker
    return early_worker(book, reader_edition(book.config))


def build_packet(book_dir: Path, edition: Edition, out_dir: Path) -> list[Path]:
    from bookbuilder.run.packets import write_packet
    return write_packet(book_dir, edition, out_dir / "packets")


def write_format(book, fmt: str, out_dir: Path, reader_pdf: Path | None = None, worker=None) -> list[Path]:
    """``reader_pdf``: the reader's PDF of this text, when one is at hand (the print edition
    is made from it; without it, the book is laid out for the print edition alone).
    ``worker``: a layout/chapter_worker.ChapterWorker already started, or None."""
    if fmt == "pdf":                 # laid out in parts, each kept in the cache (layout/parts.py)
        from bookbuilder.layout.parts import write_book_pdf
        edition = reader_edition(book.config)
        return [write_book_pdf(book, out_dir / f"{edition.slug}.pdf", edition, worker)]
    if fmt == "print":               # the print shop's PDF, then its cover (the spine needs its pages)
        from bookbuilder.layout.parts import write_book_pdf
        from bookbuilder.press.print_cover import write_cover
        from bookbuilder.press.print_pdf import write_print_pdf
        edition = print_edition(book.config)
        with tempfile.TemporaryDirectory(prefix="bookbuilder-") as scratch:
            if reader_pdf is None:      # the reader's pages: its parts, from the cache or laid out now
                reader_pdf = write_book_pdf(book, Path(scratch) / "reader.pdf", reader_edition(book.config), worker)
            printed = write_print_pdf(book, out_dir / f"{edition.slug}.pdf", reader_pdf)
        return [printed, write_cover(book, out_dir / f"{book.config.slug}-cover.pdf", printed)]
    from bookbuilder.run.epub_pages import epub_pages
    edition = reader_edition(book.config)
    if fmt == "web":                 # the web edition: a folder of pages, with the EPUB's page list
        from bookbuilder.run.web_site import site_dir, write_site
        target = site_dir(out_dir, book)
        write_site(book, target, epub_pages(book, edition))
        return [target]
    from bookbuilder.epub.container import write_epub
    return [write_epub(book, out_dir / f"{book.config.slug}.epub", edition, epub_pages(book, edition))]


def _progress(quiet: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    transient=True, disable=quiet)
