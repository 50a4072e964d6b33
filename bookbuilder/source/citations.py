"""Citations from data: the book's references file and its citation style, for Pandoc's citeproc.

A book cites from ``references.yaml`` (CSL YAML), ``references.json`` (CSL JSON) or
``references.bib`` (BibTeX) in its folder, as Pandoc does: ``[@conquest1990, 45]``,
``@conquest1990 [45]``, ``[-@conquest1990]``. Pandoc's own citeproc renders the citations in
each chapter as it reads it (``pandoc_args``) and, once the book knows what it cites, the
entries of the References division (``bibliography_html``). The style is Chicago
author-date unless ``csl:`` in book.yaml names another: one shipped with the builder
(``bookbuilder/csl/``, CC BY-SA 3.0 styles of the Citation Style Language project) or a
``.csl`` file in the book folder. A note style (Chicago notes-bibliography) makes each
citation a footnote, which the passes then treat as any footnote.

Cross-references (``@fig-…``, ``@sec-…``) are taken out of the citations by a Lua filter
(``bookbuilder/filters/crossrefs.lua``) before citeproc runs.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

import pypandoc
import yaml
from lxml import html

from bookbuilder import cache
from bookbuilder.core.config import BookConfig
from bookbuilder.errors import ConfigError

DEFAULT_STYLE = "chicago-author-date"
BIB_KEY = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", re.M)


def shipped_styles() -> list[str]:
    folder = resources.files("bookbuilder") / "csl"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csl"))


def crossref_filter() -> Path:
    return Path(str(resources.files("bookbuilder") / "filters" / "crossrefs.lua"))


def style_path(config: BookConfig) -> Path:
    """The .csl file of the book's style: a shipped style by name, else a file in the book folder."""
    name = config.csl or DEFAULT_STYLE
    shipped = Path(str(resources.files("bookbuilder") / "csl" / f"{name.removesuffix('.csl')}.csl"))
    if shipped.is_file():
        return shipped
    own = (config.root / name).resolve()
    if own.suffix == ".csl" and own.is_file() and own.is_relative_to(Path(config.root).resolve()):
        return own
    raise ConfigError(f"unknown citation style '{name}'", config.path, config.doc.line("csl") if config.doc else None,
                      hint="one of: " + ", ".join(shipped_styles()) + ", or a .csl file inside the book folder")


def _digest(path: Path | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else ""


def pandoc_args(config: BookConfig) -> tuple[str, ...]:
    """What Pandoc is given for a manuscript file of this book: the cross-reference filter, and
    citeproc with the references and style when the book has references."""
    args = [f"--lua-filter={crossref_filter()}"]   # unknown keys: warned of by the passes, with file and line
    if config.references is not None:
        args += ["--citeproc", f"--bibliography={config.references}", f"--csl={style_path(config)}",
                 "--metadata=suppress-bibliography:true", f"--metadata=lang:{_locale(config)}", "--quiet"]
    return tuple(args)


def args_for_text(args: tuple[str, ...], text: bytes) -> tuple[str, ...]:
    """``pandoc_args`` for one file: without an "@" it can hold no citation, and citeproc (about
    65 ms a file, most of Pandoc's time on a chapter) is left out; the filter stays."""
    if b"@" in text:
        return args
    return tuple(a for a in args if a.startswith("--lua-filter="))


def inputs_digest(config: BookConfig) -> str:
    """What the citations of a chapter's HTML depend on besides its text (the cache key)."""
    parts = [_digest(crossref_filter())]
    if config.references is not None:
        parts += [_digest(config.references), _digest(style_path(config)), _locale(config)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _locale(config: BookConfig) -> str:
    return config.language if "-" in config.language else {"en": "en-US"}.get(config.language, config.language)


def reference_keys(config: BookConfig) -> list[str]:
    """The keys of the book's references, in the file's order (none without a references file)."""
    path = config.references
    if path is None:
        return []
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".bib":
        return BIB_KEY.findall(text)
    try:
        data = yaml.safe_load(text)     # CSL JSON is YAML too
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"cannot read the references: {getattr(exc, 'problem', exc)}", path,
                          mark.line + 1 if mark else None) from None
    entries = data.get("references", []) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ConfigError("the references must be a list under 'references:'", path, 1,
                          hint="see docs/manuscript.md, 'References'")
    return [str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e]


def bibliography_html(config: BookConfig, keys: list[str]) -> list[tuple[str, str]]:
    """(key, entry HTML) of each work ``keys`` names ("*": every entry), in the style's order,
    rendered by citeproc once and remembered by the references, the style and the keys."""
    if config.references is None or not keys:
        return []
    nocite = ", ".join(f"@{k}" for k in keys)
    remembered = cache.path("pandoc", "references", f"{cache.key(inputs_digest(config), nocite, length=24)}.html")
    if remembered.exists():
        converted = remembered.read_text(encoding="utf-8")
    else:
        source = f"---\nnocite: |\n  {nocite}\n---\n\n::: {{#refs}}\n:::\n"
        converted = pypandoc.convert_text(
            source, "html5", format="markdown",
            extra_args=["--citeproc", f"--bibliography={config.references}", f"--csl={style_path(config)}",
                        f"--metadata=lang:{_locale(config)}", "--wrap=none"])
        cache.write_text(remembered, converted)
    tree = html.fragment_fromstring(converted or "<div></div>", create_parent="div")
    entries = []
    for entry in tree.iter("div"):
        if "csl-entry" in (entry.get("class") or "").split() and (entry.get("id") or "").startswith("ref-"):
            content = entry[0] if len(entry) == 1 and entry[0].tag == "div" and not (entry.text or "").strip() \
                else entry
            inner = html.tostring(content, encoding="unicode")
            entries.append((entry.get("id")[4:], inner[inner.index(">") + 1:inner.rindex("<")].strip()))
    return entries
