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

    def line(self, *keys) -> int:
        """The line of the innermost of ``keys`` the file has; line 1 for the file as a whole
        when it holds nothing (an empty file is still at fault somewhere)."""
        while keys and keys not in self.lines:
            keys = keys[:-1]
        return self.lines.get(keys, 1)

    def error(self, message: str, *keys, hint: str | None = None) -> ConfigError:
        return ConfigError(message, self.path, self.line(*keys), hint)


# libyaml's parser when PyYAML has it (the wheels do): the same nodes and line marks, five
# times faster (a build reads a dozen data files, the glossary and index the longest)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# What YAML may not hold, even in a quoted value: C0 controls but tab and line ends, DEL, C1
# controls but NEL, lone surrogates, U+FFFE and U+FFFF (the YAML 1.1 reader's own set). Found
# here, with its line, rather than by libyaml's reader, whose error gives a byte offset only.
NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# what a quoted value may not carry once its escapes are read ("\a", "\x07", "\uFFFE"): it
# would reach the outputs, and XML allows no such character
CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_DEPTH = 100               # far deeper than any book data; each level is a Python frame here
MAX_VALUES = 100_000          # the shipped book's largest file holds about 2,000


def load_yaml(path: Path) -> YamlDoc:
    """Parse a YAML file; whatever it holds, an error is a ConfigError with file and line."""
    text = _yaml_text(path)
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.YAMLError as exc:          # a reader error _yaml_text did not foresee: no mark
        raise ConfigError(f"invalid YAML: {exc}".splitlines()[0], path, 1) from None
    lines: dict[tuple, int] = {}
    data = _Converter(path, lines).python(node, ()) if node is not None else None
    return YamlDoc(path, data, lines)


def _yaml_text(path: Path) -> str:
    """The file as text YAML may parse, or a ConfigError naming the line of the first
    byte that is not UTF-8 or character YAML forbids."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("file not found", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror})", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line,
                          hint="save the file as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")      # lines as an editor counts them
    if m := NOT_YAML.search(text):
        raise _bad_character(path, m.group(0), text.count("\n", 0, m.start()) + 1, "in the file (YAML allows none)")
    return text


def _bad_character(path: Path, char: str, line: int, where: str) -> ConfigError:
    kind = "control character" if char < "\xa0" else "character"
    return ConfigError(f"{kind} U+{ord(char):04X} {where}", path, line,
                       hint="delete it; it is invisible in most editors")


class _Converter:
    """Composed nodes to Python data, noting the line of every key. An alias is converted
    once and shared (as PyYAML does); but data with aliases of aliases ("billion laughs")
    stands for more values than MAX_VALUES, and whoever walks it (``str`` of a list) would
    never finish: that, an alias inside what it names, and nesting past MAX_DEPTH are
    errors with their line."""

    def __init__(self, path: Path, lines: dict):
        self.path, self.lines = path, lines
        self.done: dict[int, object] = {}
        self.size: dict[int, int] = {}        # node -> how many values it stands for, aliases expanded
        self.open: set[int] = set()

    def error(self, message: str, node) -> ConfigError:
        return ConfigError(message, self.path, node.start_mark.line + 1)

    def python(self, node, path: tuple) -> object:
        self.lines[path] = node.start_mark.line + 1
        if id(node) in self.done:
            return self.done[id(node)]
        if id(node) in self.open:
            raise self.error("invalid YAML: an alias inside the value it names", node)
        if len(path) > MAX_DEPTH:
            raise self.error(f"invalid YAML: nested more than {MAX_DEPTH} levels deep", node)
        self.open.add(id(node))
        value = self._value(node, path)
        self.open.discard(id(node))
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else []
        self.size[id(node)] = 1 + sum(self.size[id(child)] for child in children)
        if self.size[id(node)] > MAX_VALUES:
            raise self.error(f"invalid YAML: aliases here stand for more than {MAX_VALUES:,} values", node)
        self.done[id(node)] = value
        return value

    def _value(self, node, path: tuple) -> object:
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error("invalid YAML: a key must be a word, not a list or mapping", key_node)
                key = key_node.value
                result[key] = self.python(value_node, path + (key,))
                self.lines[path + (key,)] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.python(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node) -> object:
        try:
            value = yaml.SafeLoader("").construct_object(node)
        # PyYAML's constructors fail with whatever their conversion raises (ValueError for
        # 2026-13-01, KeyError for !!bool maybe, AttributeError for !!timestamp x, a
        # ConstructorError for an unknown tag): each means this one value cannot be read
        except Exception as exc:  # noqa: BLE001
            reason = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
            raise self.error(f"invalid YAML: cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]} ({reason})",
                             node) from None
        if isinstance(value, str) and (m := CONTROL_IN_VALUE.search(value)):
            raise _bad_character(self.path, m.group(0), node.start_mark.line + 1, "in a value (written as an escape)")
        return value


@dataclass
class Division:
    """One manuscript file in reading order: a chapter, or front/back matter."""

    file: Path
    kind: str            # "chapter", "front" or "back"
    role: str            # semantic role: chapter, keyfacts, bibliography, ...
    line: int | None     # where book.yaml names it
    id: str = ""         # stable: from `id:` or the file name, never from the position


@dataclass(frozen=True)
class Source:
    """One article the book is made from, with its own attribution and licence."""
    title: str
    url: str
    creator: str
    licence: str
    licence_url: str


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
    sources: list[Source] = field(default_factory=list)   # every article, the first being source_title's
    references: Path | None = None           # references.yaml (CSL YAML), .json (CSL JSON) or .bib (BibTeX)
    csl: str = ""                            # a citation style: a shipped style's name or a .csl file in the book
    nocite: list[str] = field(default_factory=list)   # keys listed in References though never cited ("*": all)
    base_url: str = ""                       # where the web edition is published ("https://…/"): canonical URLs

    @property
    def page_size(self) -> str:
        return TRIM_SIZES[self.trim]

    @property
    def chapters(self) -> list[Division]:
        return [d for d in self.divisions if d.kind == "chapter"]

    @property
    def based_on(self) -> str:
        """'from the encyclopedia article “A”', or '... articles “A”, “B” and “C”' (title page, cover)."""
        titles = [f"“{s.title}”" for s in self.sources] or [f"“{self.source_title}”"]
        named = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        return f"from the encyclopedia article{'s' if len(titles) > 1 else ''} {named}"


REQUIRED = ("title", "slug", "language", "identifier", "creator", "source_title",
            "source_url", "licence", "licence_url", "chapters")


def load_config(book_dir: Path) -> BookConfig:
    doc = load_yaml(book_dir / "book.yaml")
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("book.yaml must be a mapping of keys to values")
    sources = _sources(doc)
    if sources:                  # a book of several articles: the first stands for them where one must
        data.setdefault("source_title", sources[0].title)
        data.setdefault("source_url", sources[0].url)
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
        notes=_texts(doc, "notes"), doc=doc,
        base_url=_base_url(doc),
        **_transliteration(doc),
        **_print_options(doc),
        **_citations(doc, book_dir),
        sources=sources or [Source(data["source_title"], data["source_url"], data["creator"],
                                   data["licence"], data["licence_url"])],
    )


def _sources(doc: YamlDoc) -> list[Source]:
    """``sources:``, one mapping per article: title and url, and its creator, licence and
    licence_url when they differ from the book's."""
    items = doc.data.get("sources") or []
    if not isinstance(items, list):
        raise doc.error("'sources' must be a list of articles (title, url, creator, licence, licence_url)", "sources")
    found = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise doc.error("each source must be a mapping with 'title' and 'url'", "sources", i)
        values = {key: item.get(key, doc.data.get(fallback, ""))
                  for key, fallback in (("title", ""), ("url", ""), ("creator", "creator"),
                                        ("licence", "licence"), ("licence_url", "licence_url"))}
        for key, value in values.items():
            if not isinstance(value, str) or not value.strip():
                raise doc.error(f"source {i + 1} needs '{key}' (text)", "sources", i)
        found.append(Source(**{k: v.strip() for k, v in values.items()}))
    return found


def _texts(doc: YamlDoc, key: str) -> list[str]:
    values = doc.data.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, (str, int, float)) for v in values):
        raise doc.error(f"'{key}' must be a list of lines of text", key)
    return [str(v) for v in values]
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
REFERENCE_FILES = ("references.yaml", "references.json", "references.bib")


def _citations(doc: YamlDoc, book_dir: Path) -> dict:
    """The book's references (the first of REFERENCE_FILES in its folder), ``csl:`` (a shipped
    style's name, like ``chicago-notes-bibliography``, or a ``.csl`` file in the book folder)
    and ``nocite:`` (keys listed though never cited, or ``"*"`` for every entry)."""
    found = next((book_dir / name for name in REFERENCE_FILES if (book_dir / name).is_file()), None)
    csl = doc.data.get("csl") or ""
    if not isinstance(csl, str):
        raise doc.error("'csl' must be a style's name or a .csl file", "csl")
    nocite = doc.data.get("nocite") or []
    if isinstance(nocite, str):
        nocite = [nocite]
    if not isinstance(nocite, list) or not all(isinstance(k, str) for k in nocite):
        raise doc.error("'nocite' must be a list of citation keys (or \"*\" for all)", "nocite")
    return {"references": found, "csl": csl.strip(), "nocite": [k.lstrip("@") for k in nocite]}


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
            role = entry.get("role", default_role)
            if not isinstance(role, str) or not ID.fullmatch(role):
                raise doc.error(f"role '{role}' must be a word like 'bibliography'", kind, i, "role")
            result.append(Division(path, "chapter" if kind == "chapters" else kind, role, line, div_id))
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
