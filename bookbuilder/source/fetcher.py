"""The only way a build reads a resource: local files under a few known folders.

WeasyPrint's default fetcher opens whatever a document names (any local file, any
web address). A manuscript is user input, so the PDF is laid out with
:class:`layout.engine.BookFetcher` (which asks :func:`refused`), and the EPUB packs files only through
:func:`allowed_file`:
both serve files under the book folder, the package templates, the cache root and
the installed font packages, and ``data:`` URLs up to a size limit. Everything else
(``file:`` elsewhere, ``http(s):``, ``ftp:``...) is refused and logged once. The print
edition's CMYK profile is the one file allowed outside those folders.
"""

from __future__ import annotations

import importlib.util
import logging
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from bookbuilder import cache
from bookbuilder.core import paper
from bookbuilder.fonts import FAMILIES

log = logging.getLogger("bookbuilder")

DATA_URL_LIMIT = 256 * 1024          # bytes of a data: URL; a larger one is an embedded file
_reported: set[str] = set()          # each refusal is logged once per process, not once per layout


def allowed_roots(book_dir: Path) -> list[Path]:
    """Folders a build may read from."""
    roots = [Path(book_dir), Path(str(resources.files("bookbuilder") / "templates")), cache.root(),
             paper.profile_path()]         # the print edition's CMYK profile, that file only
    for _, package in FAMILIES:
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            roots.append(Path(spec.origin).parent)
    return [root.resolve() for root in roots]


def allowed_file(path: Path, roots: list[Path]) -> bool:
    """Whether ``path`` (after resolving links and '..') lies under one of ``roots``."""
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return any(real.is_relative_to(root) for root in roots)


def refusal(url: str, roots: list[Path]) -> str | None:
    """Why ``url`` may not be fetched, or None when it may."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return None if len(url) <= DATA_URL_LIMIT else f"data: URL larger than {DATA_URL_LIMIT // 1024} KB"
    if scheme != "file":
        return f"{scheme or 'relative'} URLs are never fetched"
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return "file URL on another host"
    if not allowed_file(Path(url2pathname(unquote(parts.path))), roots):
        return "outside the book folder, the templates, the cache and the fonts"
    return None


def refused(url: str, roots: list[Path]) -> str | None:
    """Why ``url`` may not be fetched (logged once per process), or None when it may."""
    reason = refusal(url, roots)
    if reason:
        shown = url if len(url) <= 80 else url[:77] + "..."
        if shown not in _reported:
            _reported.add(shown)
            log.warning(f"refused to fetch {shown}: {reason}")
    return reason


def read_allowed(path: Path, book_dir: Path) -> bytes:
    """A file the EPUB packs, read only if the same rule allows it."""
    if not allowed_file(path, allowed_roots(book_dir)):
        from bookbuilder.errors import RenderError
        raise RenderError("refused to pack a file from outside the book folder, templates and cache", path)
    return Path(path).read_bytes()
