"""Course packets as declared: a few chapters of the book for a class (run/packets.py builds them).

A packet is declared under ``packets:`` in book.yaml or on the command line
(``python build.py packet --chapters 2-3 --title ...``). It is built from its own
selection of the manuscript: the document model holds only its chapters, so its
transliteration notes, glossary marks, glossary and index follow what it holds, and
its pages are numbered from 1. The chapters keep the book's numbers and paragraph ids.
"""

from __future__ import annotations

import re

from bookbuilder.core.config import BookConfig, YamlDoc
from bookbuilder.core.editions import Edition, PacketInfo, packet_edition
from bookbuilder.core.paper import PAPER_SIZES
from bookbuilder.errors import ConfigError

IMPOSITIONS = ("booklet", "2up")
PACKET_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def parse_chapters(spec: str, config: BookConfig, where: tuple = (None, None)) -> tuple[str, ...]:
    """'2-4, 7' or 'moscow-trials, 5' -> chapter ids in the book's order.

    Numbers are the book's chapter numbers; names are chapter ids (file names without
    their number). ``where`` is (file, line) for the error message."""
    chapters = config.chapters
    by_id = {c.id: n for n, c in enumerate(chapters, 1)}
    wanted: set[int] = set()
    for token in [t.strip() for t in str(spec).split(",")]:
        if not token:
            continue
        span = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", token)
        if span:
            first, last = int(span.group(1)), int(span.group(2))
        elif token.isdecimal():             # not isdigit: "²" is a digit int() cannot read
            first = last = int(token)
        elif token in by_id:
            first = last = by_id[token]
        else:
            raise ConfigError(f"'{token}' is neither a chapter number nor a chapter id", *where,
                              hint="chapter ids: " + ", ".join(by_id))
        if not 1 <= first <= last <= len(chapters):
            raise ConfigError(f"chapters '{token}' are not within 1–{len(chapters)}", *where)
        wanted.update(range(first, last + 1))
    if not wanted:
        raise ConfigError("a packet needs at least one chapter", *where, hint="e.g. chapters: 2-3")
    return tuple(chapters[n - 1].id for n in sorted(wanted))


def declared_packets(config: BookConfig) -> list[Edition]:
    """The packets book.yaml declares, as editions."""
    doc: YamlDoc = config.doc
    entries = doc.data.get("packets") or []
    if not isinstance(entries, list):
        raise doc.error("'packets' must be a list", "packets")
    editions, seen = [], set()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise doc.error("each packet is a mapping with id, title and chapters", "packets", i)
        for key in ("id", "title", "chapters"):
            if not entry.get(key):
                raise doc.error(f"packet {i + 1} lacks '{key}'", "packets", i)
        info = packet_info(entry, doc, ("packets", i))
        if info.id in seen:
            raise doc.error(f"two packets have the id '{info.id}'", "packets", i, "id")
        seen.add(info.id)
        where = (doc.path, doc.line("packets", i, "chapters"))
        editions.append(packet_edition(config, info, parse_chapters(entry["chapters"], config, where)))
    return editions


def packet_info(entry: dict, doc: YamlDoc | None = None, keys: tuple = ()) -> PacketInfo:
    """A PacketInfo from a book.yaml entry or the command line's options, checked."""
    def fail(message, *more, hint=None):
        if doc is None:
            return ConfigError(message, hint=hint)
        return doc.error(message, *keys, *more, hint=hint)

    packet_id = str(entry.get("id") or "")
    if not PACKET_ID.fullmatch(packet_id):
        raise fail(f"packet id '{packet_id}' must be lowercase letters, digits and hyphens", "id")
    paper = str(entry.get("paper") or "letter").lower()
    if paper not in PAPER_SIZES:
        raise fail(f"paper '{paper}' is not one of {', '.join(PAPER_SIZES)}", "paper")
    impose = entry.get("impose") or ()
    impose = tuple([impose] if isinstance(impose, str) else impose)
    for kind in impose:
        if kind not in IMPOSITIONS:
            raise fail(f"impose '{kind}' is not one of {', '.join(IMPOSITIONS)}", "impose")
    return PacketInfo(packet_id, str(entry["title"]), str(entry.get("course") or ""),
                      str(entry.get("term") or ""), str(entry.get("instructor") or ""), paper,
                      impose, str(entry.get("chapters") or ""))


def ad_hoc_packet(config: BookConfig, chapters: str, title: str, course: str = "", term: str = "",
                  instructor: str = "", paper: str = "letter", impose: tuple = (),
                  packet_id: str | None = None) -> Edition:
    """A packet from the command line; its id (file name) comes from its title unless given."""
    from bookbuilder.ids import slug

    entry = {"id": packet_id or slug(title), "title": title, "course": course, "term": term,
             "instructor": instructor, "paper": paper, "impose": list(impose), "chapters": chapters}
    info = packet_info(entry)
    return packet_edition(config, info, parse_chapters(chapters, config))
