"""A manuscript is user input: what of it may reach the outputs.

Policy (see README, "Raw HTML"): the manuscript is Pandoc Markdown and HTML in it is
text. Pandoc reads with raw HTML, raw TeX and raw attributes off, so a tag written in a
chapter prints as the characters the author typed and never becomes an element;
``check`` reports each tag (h-001, h-002). What Markdown itself can make is filtered
here, after Pandoc: attributes written in ``{...}`` lose event handlers (``on...``),
``style`` and script or file URLs; elements that run code or load resources
(``script``, ``iframe``, ``style``, ``link``, ``object``...) are removed; a heading with
no text is dropped. Each removal is a warning naming the file and line.

Before Pandoc, a file must be UTF-8 without control characters: an error names the line.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bookbuilder.core.model import drop_keeping_tail
from bookbuilder.errors import ManuscriptError
from bookbuilder.source.lines import line_of, source_lines

log = logging.getLogger("bookbuilder")

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "style", "link", "object", "embed", "applet",
                  "meta", "base", "form", "input", "button", "textarea", "select", "audio", "video",
                  "source", "track", "svg", "math", "canvas", "template", "portal"}
FORBIDDEN_ATTRS = {"style", "srcdoc", "srcset", "formaction", "background", "poster", "ping", "xmlns"}
URL_ATTRS = {"href", "src", "cite", "action", "data", "longdesc"}
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file|blob|filesystem):", re.I)
# C0 controls but tab and line ends, DEL, and the noncharacters XML refuses (lxml would fail on them)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>\n]{0,500}>|<!--")
CODE_SPAN = re.compile(r"`+[^`\n]*`+")


# ------------------------------------------------------------------ before Pandoc

def check_source(path: Path) -> None:
    """The file is UTF-8 text without control characters, or a ManuscriptError names the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManuscriptError(f"cannot read the file ({exc.strerror})", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ManuscriptError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line,
                              hint="save the file as UTF-8") from None
    if m := CONTROL.search(text):
        line = text.count("\n", 0, m.start()) + 1
        kind = "control character" if m.group(0) < "\x80" else "character"
        raise ManuscriptError(f"{kind} U+{ord(m.group(0)):04X} in the text", path, line,
                              hint="delete it; it is invisible in most editors") from None
    _warn_raw_html(path, text)


def _warn_raw_html(path: Path, text: str) -> None:
    """HTML prints as the characters typed: say so once per file (``check`` lists every tag)."""
    fenced, found = False, []
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and HTML_TAG.search(CODE_SPAN.sub("", line)):
            found.append(n)
    if found:
        _warn(path, found[0], f"HTML in the text prints as text, never as markup ({len(found)} line(s); "
                              "python build.py check lists them)")


# ------------------------------------------------------------------ after Pandoc

def clean_body(body, source: Path) -> None:
    """Remove from a division's tree what must never reach an output; warn with file and line."""
    lines = source_lines(source)
    for el in list(body.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag in FORBIDDEN_TAGS:
            _warn(source, line_of(lines, f"<{el.tag}", el.tag), f"<{el.tag}> removed")
            drop_keeping_tail(el)
            continue
        for name in list(el.attrib):
            value = el.get(name)
            if name == "style" and (kept := safe_style(value)) is not None:
                if kept.count(";") < value.strip().rstrip(";").count(";"):
                    _warn(source, line_of(lines, "style=", value), f"style \"{value[:40]}\" reduced to \"{kept}\"")
                el.set(name, kept)
                continue
            if _forbidden_attribute(name, value):
                _warn(source, line_of(lines, name + "=", value), f"attribute {name}=\"{value[:40]}\" removed")
                del el.attrib[name]
    for heading in list(body.iter("h2", "h3", "h4", "h5", "h6")):
        if not heading.text_content().strip():
            _warn(source, _empty_heading_line(lines), "heading with no text dropped")
            drop_keeping_tail(heading)


SAFE_STYLE_PROPERTIES = {"width", "height", "text-align", "vertical-align"}
SAFE_STYLE_VALUE = re.compile(r"[\w.%#\s-]{1,40}")


def safe_style(value: str) -> str | None:
    """The declarations Pandoc itself writes (image sizes, table alignment and column widths)
    with plain values; None when nothing of ``value`` may stay."""
    kept = []
    for declaration in (value or "").split(";"):
        prop, _, val = declaration.partition(":")
        prop, val = prop.strip().lower(), val.strip()
        if prop in SAFE_STYLE_PROPERTIES and SAFE_STYLE_VALUE.fullmatch(val):
            kept.append(f"{prop}: {val}")
    return "; ".join(kept) if kept else None


def _forbidden_attribute(name: str, value: str) -> bool:
    name = name.lower()
    if name.startswith("on") or name in FORBIDDEN_ATTRS or name.startswith("xmlns"):
        return True
    # data-* is how Pandoc passes unknown attributes: a URL in one is never followed
    return (name in URL_ATTRS and name != "src") and bool(UNSAFE_SCHEME.match(value or ""))








def _empty_heading_line(lines: list[str]) -> int | None:
    return next((n for n, line in enumerate(lines, 1) if re.fullmatch(r"#{2,6}\s*#*\s*", line)), None)


def _warn(source: Path, line: int | None, message: str) -> None:
    where = f"{source}:{line}" if line else str(source)
    log.warning(f"{where}: {message}")
