"""Where things landed: element id -> printed page, from one WeasyPrint layout.

The back matter (glossary, index) needs page numbers that only a layout can give.
The book is laid out once, the anchors of every page are read, and the page
references are formatted here; the second layout prints them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locator:
    label: str          # "7", "112–14", "ix"
    target: str         # element id the label links to


def roman(n: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def page_range(first: int, last: int) -> str:
    """Chicago-style abbreviated range: 3–10, 71–72, 100–104, 101–8, 321–28, 498–532."""
    if first == last:
        return str(first)
    a, b = str(first), str(last)
    if first < 100 or first % 100 == 0 or len(a) != len(b):
        return f"{a}–{b}"
    if first % 100 < 10:                       # 101–8, 1103–4: only the digits that change
        i = 0
        while i < len(a) - 1 and a[i] == b[i]:
            i += 1
        return f"{a}–{b[i:]}"
    if a[:-2] != b[:-2]:                       # 498–532, 1496–1504: more digits change, show all
        return f"{a}–{b}"
    return f"{a}–{b[-2:]}"                     # 321–28


class PageMap:
    """Page index of every element id, and the printed folio of every page."""

    def __init__(self, page_of: dict[str, int], folios: list[str]):
        self.page_of = page_of
        self.folios = folios

    @classmethod
    def empty(cls) -> "PageMap":
        return cls({}, [])

    def to_json(self) -> dict:
        return {"page_of": self.page_of, "folios": self.folios}

    @classmethod
    def from_json(cls, saved: dict) -> "PageMap":
        return cls(saved["page_of"], saved["folios"])

    @classmethod
    def from_document(cls, document, first_body_id: str | None) -> "PageMap":
        page_of: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                page_of.setdefault(anchor, index)
        start = page_of.get(first_body_id, 0) if first_body_id else 0
        folios = [roman(i + 1) if i < start else str(i - start + 1) for i in range(len(document.pages))]
        return cls(page_of, folios)

    def folio(self, element_id: str) -> str | None:
        index = self.page_of.get(element_id)
        return None if index is None else self.folios[index]

    def locators(self, ids, note_ids=()) -> list[Locator]:
        """Pages of the given ids: one per page, consecutive arabic pages joined into ranges.
        Ids inside footnotes are cited with an "n" after the page (23n) and never joined."""
        body_pages = self._first_id_per_page(ids)
        note_pages = self._first_id_per_page(note_ids)
        items: list[tuple[int, int, Locator]] = []
        for first, last in self._runs(sorted(body_pages)):
            label = (self.folios[first] if first == last
                     else page_range(int(self.folios[first]), int(self.folios[last])))
            items.append((first, 0, Locator(label, body_pages[first])))
        for index, element_id in note_pages.items():
            items.append((index, 1, Locator(self.folios[index] + "n", element_id)))
        return [locator for *_, locator in sorted(items, key=lambda item: item[:2])]

    def _first_id_per_page(self, ids) -> dict[int, str]:
        first: dict[int, str] = {}
        for element_id in ids:
            index = self.page_of.get(element_id)
            if index is not None:
                first.setdefault(index, element_id)
        return first

    def _runs(self, indexes: list[int]):
        """(first, last) page index of each run of consecutive arabic-numbered pages."""
        run: list[int] = []
        for index in indexes:
            if run and index == run[-1] + 1 and self.folios[index].isdigit() and self.folios[run[-1]].isdigit():
                run.append(index)
                continue
            if run:
                yield run[0], run[-1]
            run = [index]
        if run:
            yield run[0], run[-1]
