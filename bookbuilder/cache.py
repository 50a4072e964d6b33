"""The one cache: where derived files live, how they are keyed, and how they are written.

Everything the build can make again (static font instances, drawn charts, the EPUB
cover, layout repairs, page maps) lives under one root, never inside the installed
package:

    --cache-dir DIR  >  $BOOKBUILDER_CACHE  >  $XDG_CACHE_HOME/bookbuilder (~/.cache/bookbuilder)

Keys hash what produced a file together with the versions of the tools that made it
(cache.TOOLS: the project, WeasyPrint, Pandoc, matplotlib...), so an upgrade never serves a stale file.
Deleting the root is always safe: ``python build.py clean`` does it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ENV_VAR = "BOOKBUILDER_CACHE"
# the packages whose upgrade can change a cached file or an output's bytes: their versions key both
TOOLS = ("bookbuilder", "weasyprint", "pypandoc-binary", "matplotlib", "fonttools", "ebooklib", "jinja2",
         "lxml", "pyphen", "pydyf", "iuliia", "pyyaml", "uharfbuzz", "pikepdf", "pillow",
         "fontpkg-eb-garamond", "fontpkg-noto-serif")
_override: Path | None = None


def set_root(path: Path | None) -> None:
    """Use ``path`` as the cache root for this process (the CLI's --cache-dir)."""
    global _override
    _override = Path(path).resolve() if path else None


def root() -> Path:
    if _override:
        return _override
    if os.environ.get(ENV_VAR):
        return _resolved(os.environ[ENV_VAR], os.getcwd())
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bookbuilder"


@functools.lru_cache(maxsize=8)
def _resolved(path: str, cwd: str) -> Path:
    """``path`` made absolute, once (a build asks for the root thousands of times)."""
    return (Path(cwd) / path).resolve()


def path(*parts: str) -> Path:
    """A path under the cache root, e.g. ``path("layout", "x.json")``."""
    return root().joinpath(*parts)


@functools.lru_cache(maxsize=1)
def tool_versions() -> tuple[str, ...]:
    """Versions of what makes cached files and outputs: part of every cache key and of every
    output's freshness stamp (run/freshness.py). The package's own code and templates count
    by content, not by version number: an edit to a layout rule must never meet the layout
    repairs an older rule remembered."""
    found = [f"code={code_digest()}"]
    for name in TOOLS:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    return tuple(found)


def code_digest() -> str:
    """A hash of the package's Python modules and templates (a few hundred KB: milliseconds)."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".yaml", ".txt") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def key(*parts, length: int = 16) -> str:
    """A stable hex digest of ``parts`` (JSON-serialisable) and the tool versions."""
    blob = json.dumps([parts, tool_versions()], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:length]


def file_digest(file: Path, length: int = 12) -> str:
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()[:length]


@contextlib.contextmanager
def atomic_path(target: Path, mode: int | None = 0o666):
    """Yield a temporary path beside ``target``; rename it over ``target`` only on success.

    A failed or killed build never leaves a half-written file where a good one was: the
    rename is atomic, and a leftover temporary file never has the target's name.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        if mode is not None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, mode & ~umask)    # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(target: Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def read_json(target: Path, default=None):
    try:
        return json.loads(Path(target).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return default


def write_json(target: Path, data) -> Path:
    return write_text(target, json.dumps(data, sort_keys=True, ensure_ascii=False))


def clean() -> Path:
    """Empty the cache root; returns it."""
    where = root()
    if where.exists():
        shutil.rmtree(where)
    return where
