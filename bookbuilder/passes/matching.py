"""Find words in the document tree and mark them, the way a Pandoc filter would.

Shared by the index, glossary and transliteration passes. Matching respects word
boundaries, prefers the longest form, treats ' and ’ alike, and never looks inside
headings, links, code, notes or Russian text.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from lxml import html

SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "script", "style", "sup", "sub"}
SKIP_CLASSES = {"noteref", "no-match"}

Replacement = list  # of str | HtmlElement
Callback = Callable[[re.Match, object], "Replacement | None"]


def form_pattern(form: str) -> str:
    """Regex for one spelling: apostrophes and quotes in either typographic form."""
    pattern = re.escape(form)
    pattern = pattern.replace("'", "['’‘]").replace('"', '["“”]')
    return pattern.replace(r"\ ", r"\s+")


def compile_forms(forms: Iterable[str]) -> re.Pattern | None:
    """One alternation, longest forms first, bounded so 'Yezhov' never matches inside 'Yezhovshchina'."""
    unique = sorted(set(forms), key=len, reverse=True)
    if not unique:
        return None
    alternation = "|".join(form_pattern(f) for f in unique)
    return re.compile(rf"(?<![\w\-])(?:{alternation})(?![\w]|-\w)")


def normalise(text: str) -> str:
    """The key a matched text is looked up by: straight quotes, single spaces."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def _skipped(el) -> bool:
    if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
        return True
    if SKIP_CLASSES & set((el.get("class") or "").split()):
        return True
    lang = el.get("lang") or ""
    return lang == "ru" or (lang.startswith("ru-") and lang != "ru-Latn")


def text_slots(el) -> Iterator[tuple[object, str]]:
    """(element, "text"|"tail") for every text node in reading order, skipping what must not match."""
    if not _skipped(el):
        yield el, "text"
        for child in el:
            yield from text_slots(child)
            yield child, "tail"
    # a skipped element's tail belongs to its parent and is yielded by the parent


def replace_matches(root, pattern: re.Pattern, callback: Callback) -> int:
    """Call ``callback(match, element)`` for each match; splice in the nodes it returns.

    A callback returns None to leave the text alone, or a list of strings and new
    elements that replaces the matched text. Returns the number of replacements.
    """
    count = 0
    for el, attr in list(text_slots(root)):
        text = getattr(el, attr)
        if not text:
            continue
        pieces: list = []
        pos = 0
        for m in pattern.finditer(text):
            replacement = callback(m, el)
            if replacement is None:
                continue
            pieces.append(text[pos:m.start()])
            pieces.extend(replacement)
            pos = m.end()
            count += 1
        if pieces:
            pieces.append(text[pos:])
            _splice(el, attr, pieces)
    return count


def _splice(el, attr: str, pieces: list) -> None:
    lead, nodes = "", []
    for piece in pieces:
        if isinstance(piece, str):
            if nodes:
                nodes[-1].tail = (nodes[-1].tail or "") + piece
            else:
                lead += piece
        else:
            piece.tail = None
            nodes.append(piece)
    setattr(el, attr, lead)
    if attr == "text":
        for i, node in enumerate(nodes):
            el.insert(i, node)
    else:
        parent = el.getparent()
        at = parent.index(el)
        for i, node in enumerate(nodes, 1):
            parent.insert(at + i, node)


def element(tag: str, text: str | None = None, **attrs) -> html.HtmlElement:
    el = html.Element(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v is not None})
    el.text = text
    return el
