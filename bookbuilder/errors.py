"""User-facing errors: each names the file and line at fault and how to fix it.

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``;
a traceback only appears with ``--debug``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from rich.console import Console

# the builder's lines on stderr: errors, warnings, what was written
err = Console(stderr=True, highlight=False, soft_wrap=True)


class BookError(Exception):
    """A mistake in the user's input, reported as ``file:line: message (hint)``."""

    exit_code = 1

    def __init__(self, message: str, file: Path | str | None = None,
                 line: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}error: {self.message}{hint}"


class ConfigError(BookError):
    """book.yaml (or another data file) is unreadable or has a wrong value."""

    exit_code = 2


class ManuscriptError(BookError):
    """A chapter file is missing or cannot be converted."""

    exit_code = 3


class ArticleImportError(BookError):
    """The article text cannot be imported, or the import would overwrite a manuscript."""

    exit_code = 4


class RenderError(BookError):
    """A template or an output tool failed."""

    exit_code = 5


class WarningLine(logging.Handler):
    def emit(self, record):
        err.print(f"warning: {record.getMessage()}", markup=False)


def report_warnings() -> None:
    """The builder's warnings as ``warning: ...`` lines on stderr (the CLI and its children)."""
    log = logging.getLogger("bookbuilder")
    if not log.handlers:
        log.addHandler(WarningLine())
        log.propagate = False
