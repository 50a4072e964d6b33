"""What a build makes: selections of the manuscript and the editions printed from them.

A :class:`Selection` says which divisions of the manuscript a document model holds (the
whole book, or a packet's chapters); the model is read and enriched from it, so notes,
glossary marks, the glossary and the index all follow what it holds. An :class:`Edition`
says how one model is set: its variant (the reader's PDF, the print shop's PDF, a course
packet), its page size, and the name and identifier of its files. The reader's and the
print edition share one model; a packet has its own.
"""

from __future__ import annotations

import uuid

from dataclasses import dataclass, field

from bookbuilder.core.config import BookConfig
from bookbuilder.core.paper import PAPER_SIZES, TRIM_SIZES

READER, PRINT, PACKET = "reader", "print", "packet"


@dataclass(frozen=True)
class Selection:
    """The divisions a document model holds."""

    chapter_ids: tuple[str, ...] | None = None     # None: every chapter, in the book's order
    front: bool = True                             # front matter (key facts, the Note on Transliteration...)
    back: bool = True                              # back matter from the manuscript (bibliography)

    @property
    def whole_book(self) -> bool:
        return self.chapter_ids is None and self.front and self.back

    def includes(self, division) -> bool:
        """``division``: a config.Division (kind and id)."""
        if division.kind == "chapter":
            return self.chapter_ids is None or division.id in self.chapter_ids
        return self.front if division.kind == "front" else self.back


WHOLE_BOOK = Selection()


@dataclass
class PacketInfo:
    """A course packet's own words: what its cover sheet says."""

    id: str
    title: str
    course: str = ""
    term: str = ""
    instructor: str = ""
    paper: str = "letter"
    impose: tuple[str, ...] = ()       # "booklet", "2up"
    chapter_spec: str = ""             # as the user wrote it, e.g. "2-4, 7"


@dataclass
class Edition:
    variant: str                       # READER, PRINT or PACKET
    slug: str                          # file name stem of its outputs
    identifier: str
    page_size: str                     # CSS page size
    selection: Selection = WHOLE_BOOK
    packet: PacketInfo | None = None
    paper_thickness_in: float = 0.0025
    formats: tuple[str, ...] = field(default_factory=tuple)

    @property
    def bleed(self) -> bool:
        return self.variant == PRINT

    @property
    def openers_on_rectos(self) -> bool:
        """A book's chapters and back matter open on a recto, after a blank verso when need
        be; a packet's follow on the next page (it is printed to be read, not bound)."""
        return self.variant != PACKET

    @property
    def own_page_numbers(self) -> bool:
        """A packet counts its pages from 1; the chapters keep the book's numbers."""
        return self.variant == PACKET


def reader_edition(config: BookConfig) -> Edition:
    return Edition(READER, config.slug, config.identifier, TRIM_SIZES[config.trim])


def print_edition(config: BookConfig) -> Edition:
    return Edition(PRINT, f"{config.slug}-print", config.identifier, TRIM_SIZES[config.trim])


def packet_edition(config: BookConfig, packet: PacketInfo, chapter_ids: tuple[str, ...]) -> Edition:
    return Edition(PACKET, packet.id, packet_identifier(config.identifier, packet.id), PAPER_SIZES[packet.paper],
                   Selection(chapter_ids, front=False, back=False), packet)


def packet_identifier(book_identifier: str, packet_id: str) -> str:
    """A packet's own identifier, the same from build to build. A book's urn:uuid gives a
    packet a UUID of its own (name-based, from the book's): "urn:uuid:…#packet-x" is no UUID,
    and EPUBCheck warns (OPF-085)."""
    if book_identifier.lower().startswith("urn:uuid:"):
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book_identifier}#packet-{packet_id}')}"
    return f"{book_identifier}#packet-{packet_id}"
