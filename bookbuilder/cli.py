"""Command line: thin commands that call the pipeline and turn BookErrors into exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rich.console import Console

from .errors import BookError

ROOT = Path(__file__).resolve().parent.parent
err = Console(stderr=True, highlight=False, soft_wrap=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build a book as PDF and EPUB 3.")
    p.add_argument("command", nargs="?", default="all", choices=["all", "pdf", "print", "epub", "import", "check", "index-candidates"],
                   help="what to do (default: build the PDFs, the cover and the EPUB)")
    p.add_argument("article", nargs="?", type=Path, help="article text file (for 'import')")
    p.add_argument("--book", type=Path, default=ROOT / "book", help="manuscript folder (default: book/)")
    p.add_argument("--out", type=Path, default=ROOT / "output", help="output folder (default: output/)")
    p.add_argument("--infobox-from", type=Path, help="import: take the infobox from this other rendering")
    p.add_argument("--force", action="store_true", help="import: overwrite an existing manuscript")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    return p


class _WarningLine(logging.Handler):
    def emit(self, record):
        err.print(f"warning: {record.getMessage()}", markup=False)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    log = logging.getLogger("bookbuilder")
    if not log.handlers:
        log.addHandler(_WarningLine())
        log.propagate = False
    try:
        if args.command == "import":
            return cmd_import(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "index-candidates":
            return cmd_index_candidates(args)
        return cmd_build(args)
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
    from .errors import ArticleImportError
    from .importer import import_article

    if not args.article:
        raise ArticleImportError("no article given", hint="python build.py import ARTICLE --book DIR")
    written = import_article(args.article, args.book, force=args.force, infobox_from=args.infobox_from,
                             warn=lambda line, msg: err.print(f"{args.article}:{line}: warning: {msg}", markup=False))
    err.print(f"wrote {written}", markup=False)
    return 0


def cmd_check(args) -> int:
    from .check import check_book

    findings = check_book(args.book)
    out = Console(highlight=False, soft_wrap=True)
    for finding in findings:
        out.print(finding.format(Path.cwd()), markup=False)
    errors = sum(f.severity == "error" for f in findings)
    err.print(f"{errors} error(s), {len(findings) - errors} warning(s)", markup=False)
    return 1 if errors else 0


def cmd_index_candidates(args) -> int:
    """Print capitalised names no index entry covers, as YAML stubs to curate by hand."""
    from .enrich import enrich
    from .index import propose_candidates
    from .manuscript import read_book

    out = Console(highlight=False, soft_wrap=True)
    for phrase, count in propose_candidates(enrich(read_book(args.book))):
        out.print(f'- headword: "{phrase}"   # {count} occurrences\n  match: ["{phrase}"]', markup=False)
    return 0


def cmd_build(args) -> int:
    from .build import build

    formats = {"all": ("pdf", "print", "cover", "epub"), "print": ("print", "cover")}.get(args.command, (args.command,))
    outputs = build(args.book, args.out, formats, quiet=args.quiet)
    for path in outputs:
        err.print(f"wrote {path}", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
