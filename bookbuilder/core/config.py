"""Read ``book.yaml`` into a :class:`BookConfig`, keeping line numbers for errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bookbuilder.core.paper import TRIM_SIZES
from bookbuilder.errors import ConfigError

# Trim sizes a book.yaml may name, as CSS page sizes.


@dataclass
class YamlDoc:
    """Parsed YAML plus the line of every key, so errors can point at it."""

    path: Path
    data: object
    lines: dict[tuple, int]

    def line(self, *keys) -> int | None:
        while keys and keys not in self.lines:
            keys = keys[:-1]
        return self.lines.get(keys)

    def error(self, message: str, *keys, hint: str | None = None) -> ConfigError:
        return ConfigError(message, self.path, self.line(*keys), hint)


# libyaml's parser when PyYAML has it (the wheels do): the same nodes and line marks, five
# times faster (a build reads a dozen data files, the glossary and index the longest)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> YamlDoc:
    """Parse a YAML file; syntax errors become a ConfigError with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason})", path) from None
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    lines: dict[tuple, int] = {}
    data = _to_python(node, (), lines) if node is not None else None
    return YamlDoc(path, data, lines)


def _to_python(node, path: tuple, lines: dict) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = key_node.value
            result[key] = _to_python(value_node, path + (key,), lines)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), lines) for i, item in enumerate(node.value)]
    return yaml.SafeLoader("").construct_object(node)


@dataclass
class Division:
    """One manuscript file in reading order: a chapter, or front/back matter."""

    file: Path
    kind: str            # "chapter", "front" or "back"
    role: str            # semantic role: chapter, keyfacts, bibliography, ...
    line: int | None     # where book.yaml names it
    id: str = ""         # stable: from `id:` or the file name, never from the position


@dataclass
class BookConfig:
    root: Path
    path: Path
    title: str
    subtitle: str
    slug: str
    language: str
    identifier: str
    creator: str
    source_title: str
    source_url: str
    licence: str
    licence_url: str
    edition_date: dt.date
    publisher: str
    trim: str
    divisions: list[Division] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    transliteration: str = "ala_lc"          # an iuliia scheme name
    transliteration_reason: str = ""
    doc: YamlDoc | None = None               # the parsed book.yaml, for errors with line numbers
    blurb: str = ""                          # back cover text (else the lead's first sentences)
    paper_thickness_in: float = 0.0025       # inches per page: the cover's spine width
    transliteration_notes: str = "terms"     # all | terms | none: which Russian entries get a note
    base_url: str = ""                       # where the web edition is published ("https://…/"): canonical URLs

    @property
    def page_size(self) -> str:
        return TRIM_SIZES[self.trim]

    @property
    def chapters(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "chapter"]


REQUIRED = ("title", "slug", "language", "identifier", "creator", "source_title",
            "source_url", "licence", "licence_url", "chapters")


def load_config(book_dir: Path) -> BookConfig:
    doc = load_yaml(book_dir / "book.yaml")
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("book.yaml must be a mapping of keys to values")
    for key in REQUIRED:
        if key not in data or data[key] in (None, "", []):
            raise doc.error(f"missing required key '{key}'", hint="see README, 'The manuscript'")
    for key in REQUIRED[:-1] + ("subtitle", "publisher"):
        if key in data and not isinstance(data[key], str):
            raise doc.error(f"'{key}' must be text", key)
    slug = data["slug"]
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise doc.error(f"slug '{slug}' must be lowercase letters, digits and hyphens", "slug")
    trim = str(data.get("trim", "6x9")).lower()
    if trim not in TRIM_SIZES:
        raise doc.error(f"trim '{data.get('trim')}' is not one of {', '.join(TRIM_SIZES)}", "trim")
    edition = data.get("edition_date", dt.date.today())
    if not isinstance(edition, dt.date):
        raise doc.error("edition_date must be a date like 2026-11-25", "edition_date")
    return BookConfig(
        root=book_dir, path=doc.path,
        title=data["title"], subtitle=data.get("subtitle", ""), slug=slug,
        language=data["language"], identifier=data["identifier"], creator=data["creator"],
        source_title=data["source_title"], source_url=data["source_url"],
        licence=data["licence"], licence_url=data["licence_url"],
        edition_date=edition, publisher=data.get("publisher", ""), trim=trim,
        divisions=_divisions(doc, book_dir),
        notes=[str(n) for n in data.get("notes", []) or []], doc=doc,
        base_url=_base_url(doc),
        **_transliteration(doc),
        **_print_options(doc),
    )


def _base_url(doc: YamlDoc) -> str:
    """``base_url: https://example.org/great-purge/``: where the web edition will be published
    (its pages' canonical URLs and the sitemap's); always ends with a slash."""
    url = doc.data.get("base_url") or ""
    if not isinstance(url, str) or not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        if url:
            raise doc.error(f"base_url '{url}' must be an http(s) address like https://example.org/book/", "base_url")
        return ""
    return url if url.endswith("/") else url + "/"


def _print_options(doc: YamlDoc) -> dict:
    """``blurb:`` (text) and ``paper: {thickness_in: 0.0025}`` for the print edition's cover."""
    blurb = doc.data.get("blurb") or ""
    if not isinstance(blurb, str):
        raise doc.error("'blurb' must be text", "blurb")
    paper = doc.data.get("paper") or {}
    if not isinstance(paper, dict):
        raise doc.error("'paper' must be a mapping like {thickness_in: 0.0025}", "paper")
    thickness = paper.get("thickness_in", 0.0025)
    if isinstance(thickness, bool) or not isinstance(thickness, (int, float)) or not 0 < thickness < 0.05:
        raise doc.error(f"paper thickness '{thickness}' must be inches per page, like 0.0025",
                        "paper", "thickness_in", hint="50–60 lb white book paper is about 0.0025")
    return {"blurb": " ".join(blurb.split()), "paper_thickness_in": float(thickness)}
NOTE_CHOICES = ("all", "terms", "none")


def _transliteration(doc: YamlDoc) -> dict:
    """``transliteration: ala_lc`` or ``transliteration: {scheme: ala_lc, reason: ...}``."""
    import iuliia

    value = doc.data.get("transliteration") or {}
    if isinstance(value, str):
        value = {"scheme": value}
    if not isinstance(value, dict):
        raise doc.error("'transliteration' must be a scheme name or a mapping", "transliteration")
    scheme = str(value.get("scheme", "ala_lc")).lower().replace("-", "_")
    if not iuliia.schemas.has(scheme):
        raise doc.error(f"unknown transliteration scheme '{scheme}'", "transliteration",
                        hint="one of: " + ", ".join(sorted(iuliia.schemas.names())))
    notes = str(value.get("notes", "terms")).strip().lower()
    if notes not in NOTE_CHOICES:
        raise doc.error(f"unknown choice of transliteration notes '{notes}'", "transliteration",
                        hint="notes: all (every term and name), terms (names go to a register of names) or none")
    return {"transliteration": scheme, "transliteration_reason": str(value.get("reason", "")).strip(),
            "transliteration_notes": notes}


def _divisions(doc: YamlDoc, book_dir: Path) -> list[Division]:
    """Front matter, chapters and back matter in reading order."""
    result = []
    for kind in ("front", "chapters", "back"):
        entries = doc.data.get(kind) or []
        if not isinstance(entries, list):
            raise doc.error(f"'{kind}' must be a list of files", kind)
        for i, entry in enumerate(entries):
            if isinstance(entry, str):
                entry = {"file": entry}
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                raise doc.error(f"entry {i + 1} of '{kind}' needs a 'file'", kind, i)
            default_role = "chapter" if kind == "chapters" else kind
            path = book_dir / entry["file"]
            line = doc.line(kind, i)
            if not path.is_file():
                raise ConfigError(f"{kind} file '{entry['file']}' not found", doc.path, line,
                                  hint=f"expected {path}")
            div_id = str(entry.get("id") or division_id(path))
            if not ID.fullmatch(div_id):
                raise doc.error(f"id '{div_id}' must be a letter followed by letters, digits and hyphens",
                                kind, i, "id")
            if div_id in {d.id for d in result}:
                raise doc.error(f"two files have the id '{div_id}'", kind, i,
                                hint="give one of them its own 'id:'")
            result.append(Division(path, "chapter" if kind == "chapters" else kind,
                                   entry.get("role", default_role), line, div_id))
    return result


ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def division_id(path: Path) -> str:
    """A division's id from its file name: '03-moscow-trials.md' -> 'moscow-trials'.
    It names the EPUB file and prefixes every id inside, so it must not change when
    chapters are added, removed or reordered: the reading-order number is dropped."""
    full = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    stem = re.sub(r"^\d+-", "", full)
    if not stem or not stem[0].isalpha():
        stem = f"ch-{full}"              # '01.md': the number is all the name there is
    return stem
