"""ebooklib's writer: the one place this project reaches into ebooklib's private API.

ebooklib writes the package document (OPF) without ``xml:lang`` on its root, where DAISY
Ace looks for the book's language; its writer's ``_write_opf_file`` is extended to set it.
If an ebooklib release renames that method, the EPUB is still written, without the
attribute, and a warning says so (tests/test_engine_doors.py notices the change). The zip's
entries are then given the build date: ebooklib stamps them with the clock.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from ebooklib import epub

log = logging.getLogger("bookbuilder")

OPF_HOOK = "_write_opf_file"        # ebooklib's (private) method writing the package document


def language_on_package_root() -> bool:
    """Whether ebooklib's writer still has the method extended below."""
    return callable(getattr(epub.EpubWriter, OPF_HOOK, None))


class _Writer(epub.EpubWriter):
    """ebooklib's writer, declaring the book's language on the package element too
    (xml:lang, where DAISY Ace looks for it)."""

    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)


def write(ebook: epub.EpubBook, target: Path, when) -> None:
    """Write ``ebook`` to ``target`` (a temporary path the caller renames), its zip entries
    dated ``when`` (a datetime): the same book gives the same bytes."""
    options = {"epub3_pages": False, "mtime": when, "raise_exceptions": True}
    if language_on_package_root():
        writer = _Writer(str(target), ebook, options)
    else:
        log.warning("ebooklib's writer has no %s: the EPUB's package element lacks xml:lang", OPF_HOOK)
        writer = epub.EpubWriter(str(target), ebook, options)
    writer.process()
    writer.write()
    _pin_timestamps(target, when.timetuple()[:6])


def _pin_timestamps(path: Path, date_time: tuple) -> None:
    """Give every zip entry the build date, so the same book gives the same bytes.
    (ebooklib stamps entries with the clock.) The mimetype entry stays first and stored."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in entries:
            pinned = zipfile.ZipInfo(info.filename, date_time=date_time)
            pinned.compress_type = info.compress_type
            pinned.external_attr = 0o644 << 16
            out.writestr(pinned, data)
