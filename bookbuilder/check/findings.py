"""What a check finds: a file, a line, a stable code and a message (``file:line: code: message``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CODES = {
    "m-001": ("error", "a list introduction is followed by no list"),
    "m-002": ("error", "a section heading has no text under it"),
    "m-003": ("warning", "a heading that may be a list item (the import could not tell)"),
    "m-004": ("warning", "a paragraph or list that may be a quotation (the import could not tell)"),
    "h-001": ("error", "HTML that runs code or loads a resource (script, iframe, style, link, object, on...)"),
    "h-002": ("warning", "an HTML tag in the text: it prints as text, write Markdown instead"),
    "h-003": ("warning", "an image that is not a usable file inside the book folder"),
    "r-001": ("warning", "two spellings of one Russian name or term"),
    "r-002": ("error", "Cyrillic text is not tagged as Russian"),
    "g-001": ("warning", "a glossary entry is never used in the text"),
    "g-002": ("warning", "a Russian term or name is never found in the text"),
    "g-003": ("warning", "a Russian term is used in the text but has no glossary entry"),
    "i-001": ("warning", "an index entry matches nothing in the chapters"),
    "c-001": ("warning", "a citation key that is not in the book's references (printed as the key with '?')"),
    "x-001": ("warning", "a cross-reference (@fig-…, @sec-…) to an id that names nothing (printed as '??')"),
    "l-001": ("warning", "a justified line is stretched (reword, or allow a break in a marked phrase)"),
    "l-002": ("warning", "a page is left underfull while its chapter goes on"),
    "l-003": ("warning", "a Contents or Figures page number is off its line or off the column"),
    "d-001": ("warning", "a drafted index entry has one locator: is it worth an entry?"),
    "d-002": ("warning", "a person in the drafted index has no dates: the register does not know them"),
    "d-003": ("warning", "a Russian-looking word or an abbreviation used twice has no note or glossary entry"),
}


@dataclass(frozen=True)
class Finding:
    file: Path
    line: int
    code: str
    message: str

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def format(self, root: Path | None = None) -> str:
        path = self.file
        if root:
            try:
                path = self.file.relative_to(root)
            except ValueError:
                pass
        return f"{path}:{self.line}: {self.code}: {self.message}"


@dataclass
class SourceLine:
    file: Path
    number: int
    text: str
