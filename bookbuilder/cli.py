"""Command line: thin subcommands that call the pipeline and turn BookErrors into exit codes.

    bookbuilder [build]            everything: reader's PDF, print edition, EPUB, declared packets
    bookbuilder pdf | print | epub | web | packets
    bookbuilder packet --chapters 2-3 --title "HIST 210, week 6" [--impose booklet]
    bookbuilder import ARTICLE... --book DIR     bookbuilder check     bookbuilder clean
    bookbuilder watch          bookbuilder preview [--port N]

``python build.py`` is the same program. Common options (--book, --out, --cache-dir,
--debug, --quiet) may come before or after the subcommand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from bookbuilder import __version__
from bookbuilder.errors import BookError, err, report_warnings

DEFAULT_BOOK = Path("book")
DEFAULT_OUT = Path("output")


def _common(defaults: bool) -> argparse.ArgumentParser:
    """The options every subcommand takes. On the subcommands they default to SUPPRESS, so
    an option given before the subcommand is not overwritten by the subcommand's default."""
    def d(value):
        return value if defaults else argparse.SUPPRESS

    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--book", type=Path, default=d(DEFAULT_BOOK), help="manuscript folder (default: ./book)")
    p.add_argument("--out", type=Path, default=d(DEFAULT_OUT), help="output folder (default: ./output)")
    p.add_argument("--cache-dir", type=Path, default=d(None),
                   help="cache folder (default: $BOOKBUILDER_CACHE or ~/.cache/bookbuilder)")
    p.add_argument("--debug", action="store_true", default=d(False), help="show tracebacks")
    p.add_argument("--quiet", action="store_true", default=d(False), help="no progress display")
    return p


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="bookbuilder", parents=[_common(True)],
                                  description="Build a book as PDF editions, EPUB 3 and course packets.")
    top.add_argument("--version", action="version", version=f"bookbuilder {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    common = _common(False)

    def command(name, help_text):
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    command("build", "make every output (the default)")
    command("pdf", "the reader's PDF only")
    command("print", "the print edition: PDF/X-4 with bleed, and its cover")
    command("epub", "the EPUB only")
    command("web", "the web edition only: OUT/<slug>-web/, with its search index")
    command("packets", "the course packets declared in book.yaml")
    packet = command("packet", "one course packet of chosen chapters, into OUT/packets/")
    packet.add_argument("--chapters", required=True, help="chapter numbers, ranges or ids, e.g. '2-4, 7'")
    packet.add_argument("--title", required=True, help="the packet's title, e.g. 'HIST 210, week 6'")
    packet.add_argument("--course", default="", help="course name for the cover sheet")
    packet.add_argument("--term", default="", help="term, e.g. 'Spring 2027'")
    packet.add_argument("--instructor", default="")
    packet.add_argument("--paper", default="letter", choices=["letter", "a4"])
    packet.add_argument("--impose", action="append", default=[], choices=["booklet", "2up"],
                        help="also write an imposed PDF (repeatable)")
    packet.add_argument("--id", dest="packet_id", help="file name of the packet (default: from the title)")
    imp = command("import", "turn an article's text into a manuscript folder")
    imp.add_argument("article", type=Path, nargs="+",
                     help="article text file(s): several make one book, their chapters in sequence")
    imp.add_argument("--infobox-from", type=Path, help="take the infobox from this other rendering")
    imp.add_argument("--force", action="store_true", help="overwrite an existing manuscript")
    check = command("check", "lint the manuscript: file:line: code: message")
    check.add_argument("--layout", action="store_true",
                       help="also lay the book out and report stretched lines and underfull pages")
    command("index-candidates", "print capitalised names no index entry covers, as YAML stubs")
    command("watch", "rebuild on every save (the reader's PDF first, then the rest); Ctrl-C stops")
    preview = command("preview", "serve the web edition on 127.0.0.1, rebuild on save and reload the page; "
                                 "the PDFs and EPUB follow")
    preview.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    command("clean", "empty the cache")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    report_warnings()
    from bookbuilder import cache
    cache.set_root(args.cache_dir)
    try:
        # on one deep data stack: CPython 3.11 maps and unmaps stack chunks as layouts recurse
        return COMMANDS.get(args.command or "build", cmd_build)(args)
    except BookError as exc:
        if args.debug:
            err.print_exception()
        err.print(str(exc), markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:  # a bug, not a user mistake: say so, keep the traceback for --debug
        if args.debug:
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", markup=False)
        return 70


def cmd_import(args) -> int:
    from bookbuilder.importer.book_import import import_article

    written = import_article(args.article, args.book, force=args.force, infobox_from=args.infobox_from,
                             warn=lambda line, msg, path=None: err.print(f"{path or args.article[0]}:{line}: warning: {msg}",
                                                                        markup=False))
    err.print(f"wrote {written}", markup=False)
    return 0


def cmd_check(args) -> int:
    from bookbuilder.check.lint import check_book

    findings = check_book(args.book, layout=args.layout)
    out = Console(highlight=False, soft_wrap=True)
    for finding in findings:
        out.print(finding.format(Path.cwd()), markup=False)
    errors = sum(f.severity == "error" for f in findings)
    err.print(f"{errors} error(s), {len(findings) - errors} warning(s)", markup=False)
    return 1 if errors else 0


def cmd_index_candidates(args) -> int:
    """Print capitalised names no index entry covers, as YAML stubs to curate by hand."""
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.passes.index import propose_candidates
    from bookbuilder.source.manuscript import read_book

    out = Console(highlight=False, soft_wrap=True)
    for phrase, count in propose_candidates(enrich(read_book(args.book))):
        out.print(f'- headword: "{phrase}"   # {count} occurrences\n  match: ["{phrase}"]', markup=False)
    return 0


def cmd_build(args) -> int:
    from bookbuilder.run.build import ALL_FORMATS, build

    formats = ALL_FORMATS if args.command in (None, "build") else (args.command,)
    outputs = build(args.book, args.out, formats, quiet=args.quiet)
    if outputs and set(outputs) == outputs.unchanged:
        err.print("nothing changed since the last build", markup=False)
    return _wrote(outputs)


def cmd_packet(args) -> int:
    from bookbuilder.run.build import build_packet
    from bookbuilder.core.config import load_config
    from bookbuilder.core.packet_specs import ad_hoc_packet

    edition = ad_hoc_packet(load_config(args.book), args.chapters, args.title, args.course, args.term,
                            args.instructor, args.paper, tuple(args.impose), args.packet_id)
    return _wrote(build_packet(args.book, edition, args.out))


def cmd_clean(args) -> int:
    from bookbuilder import cache
    err.print(f"emptied {cache.clean()}", markup=False)
    return 0


def cmd_watch(args) -> int:
    from bookbuilder.run.watch import watch
    return watch(args.book, args.out, say=lambda line: err.print(line, markup=False))


def cmd_preview(args) -> int:
    from bookbuilder.run.preview import preview
    return preview(args.book, args.out, args.port, say=lambda line: err.print(line, markup=False))


def _wrote(outputs) -> int:
    unchanged = getattr(outputs, "unchanged", set())
    for path in outputs:
        err.print(f"{'up to date' if path in unchanged else 'wrote'} {path}", markup=False)
    return 0


COMMANDS = {"import": cmd_import, "check": cmd_check, "index-candidates": cmd_index_candidates,
            "packet": cmd_packet, "clean": cmd_clean, "watch": cmd_watch,
            "preview": cmd_preview}


if __name__ == "__main__":
    sys.exit(main())
