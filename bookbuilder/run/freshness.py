"""Skip what has not changed: every output is stamped with a hash of what made it.

The hash covers every file of the manuscript folder (text, data YAML, figures), the
package's own code and templates, the font files, the versions of the tools and
SOURCE_DATE_EPOCH. The stamp lives in the cache (``outputs/``), keyed by the output
folder and format, with the size and mtime of the file written: a build whose hash
matches a stamp whose file is still there as written leaves it alone. Hashing the
inputs takes milliseconds; reading the manuscript takes a second and laying it out many.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from bookbuilder import cache

PACKAGE = Path(__file__).resolve().parent.parent      # the whole bookbuilder package
FONT_PACKAGES = ("fontpkg_eb_garamond", "fontpkg_noto_serif")
CROSS_REFERENCE = re.compile(r"@[FfSs](?:ig|ec)-\w")        # Quarto's syntax (passes/crossrefs.py)


class Outputs(list):
    """The outputs of a build, in the order of the formats asked for; ``unchanged``
    holds those that were already up to date and left alone."""

    def __init__(self, paths, unchanged=()):
        super().__init__(paths)
        self.unchanged = set(unchanged)


def _files(folder: Path):
    """Every file under ``folder``, sorted, without hidden files, editor backups or bytecode."""
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if (path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts)
                and not path.name.endswith(("~", ".swp", ".pyc"))):
            yield path




def _font_files():
    """The font wheels' files by name, size and mtime (they are megabytes; their
    package versions are in cache.TOOLS too)."""
    import importlib.util
    for name in FONT_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec and spec.origin:
            yield from _files(Path(spec.origin).parent)


def inputs_digest(book_dir: Path, leave_out: frozenset[Path] = frozenset()) -> str:
    """A hash of everything that makes the outputs of the book in ``book_dir``, but the
    files in ``leave_out`` (chapters a course packet does not hold)."""
    h = hashlib.sha256()
    for label, folder in (("book", Path(book_dir)), ("code", PACKAGE)):
        for path in _files(folder):
            if path.resolve() in leave_out:
                continue
            h.update(f"{label}:{path.relative_to(folder).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    for path in _font_files():
        stat = path.stat()
        h.update(f"font:{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    h.update("\0".join(cache.tool_versions()).encode())
    h.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return h.hexdigest()


class Stamps:
    """The stamps of one output folder: which formats are stale, and recording new ones."""

    def __init__(self, book_dir: Path, out_dir: Path):
        self.book_dir = Path(book_dir)
        self.out_dir = Path(out_dir).resolve()
        self.digest = inputs_digest(book_dir)
        self.fresh: dict[str, list[Path]] = {}
        self.digests: dict[str, str] = {}           # formats made from part of the book

    def _stamp(self, fmt: str) -> Path:
        return cache.path("outputs", f"{cache.key(str(self.out_dir), fmt, length=20)}.json")

    def stale(self, formats) -> list[str]:
        """The formats whose output is missing, touched since it was written, or made
        from other inputs; the others are remembered as fresh."""
        todo = []
        for fmt in formats:
            files = self.up_to_date(fmt)
            if files:
                self.fresh[fmt] = files
            else:
                todo.append(fmt)
        return todo

    def part(self, fmt: str, leave_out, held=()) -> None:
        """``fmt`` is made from the book but the files ``leave_out``: their edits leave it fresh,
        unless the ``held`` files cross-refer (``@fig-…``, ``@sec-…``): a packet names the number
        of a figure or section in a chapter it does not hold."""
        if any(CROSS_REFERENCE.search(Path(f).read_text(encoding="utf-8", errors="replace")) for f in held):
            leave_out = ()
        self.digests[fmt] = inputs_digest(self.book_dir, frozenset(Path(f).resolve() for f in leave_out))

    def up_to_date(self, fmt: str) -> list[Path]:
        """The files of ``fmt`` written from these inputs and untouched since, or []."""
        stamp = cache.read_json(self._stamp(fmt), {})
        files = stamp.get("files") or []
        if (stamp.get("digest") == self.digests.get(fmt, self.digest) and files
                and all(_signature(Path(f["file"])) == f["signature"] for f in files)):
            return [Path(f["file"]) for f in files]
        return []

    def record(self, fmt: str, targets: list[Path]) -> None:
        """Stamp the files one format wrote (a print edition is a PDF and its cover)."""
        files = [{"file": str(Path(t).resolve()), "signature": _signature(Path(t).resolve())} for t in targets]
        cache.write_json(self._stamp(fmt), {"digest": self.digests.get(fmt, self.digest), "files": files})

    def outputs(self, formats, written: dict[str, list[Path]]) -> Outputs:
        paths = [p for fmt in formats for p in (written[fmt] if fmt in written else self.fresh[fmt])]
        return Outputs(paths, unchanged=[p for f in formats if f not in written for p in self.fresh[f]])


def _signature(target: Path) -> list[int] | None:
    """Size, mtime and inode: any change to the file since it was written shows here."""
    try:
        stat = target.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
