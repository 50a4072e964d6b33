"""Writing the drafted apparatus (russian-terms.yaml, people.yaml, glossary.yaml, index.yaml) beside the
chapters: each file opens with what was drafted and what to review (templates/drafts/).

An editor's work is never lost: when a file already exists (``import --force`` over an edited
book) only the entries it lacks are added at its end, so its comments, order and edits stay.
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

import yaml

from bookbuilder import cache
from bookbuilder.core.config import load_yaml
from bookbuilder.errors import BookError

KEYS = {"russian-terms.yaml": "id", "people.yaml": "id", "glossary.yaml": "headword", "index.yaml": "headword"}


def write_drafted(book_dir: Path, name: str, entries: list[dict], warn) -> int:
    """Write or extend ``book_dir/name``; returns how many entries were added."""
    target = book_dir / name
    if not entries:
        return 0
    if not target.exists():
        cache.write_text(target, _header(name) + "\n" + _dump(entries))
        return len(entries)
    try:
        existing = load_yaml(target).data or []
    except BookError as exc:
        warn(0, f"{name} left as it is (it does not read: {exc}); the drafted entries were not added")
        return 0
    have = {str(item.get(KEYS[name])) for item in existing if isinstance(item, dict)}
    new = [e for e in entries if str(e[KEYS[name]]) not in have and _targets_known(e, have, entries)]
    if new:
        text = target.read_text(encoding="utf-8").rstrip("\n")
        added = f"\n\n# --- added by import on {datetime.date.today()}: review as the header says\n"
        cache.write_text(target, text + added + _dump(new))
    return len(new)


def _targets_known(entry: dict, have: set[str], drafted: list[dict]) -> bool:
    """A `see` entry is added only when the file will hold its target."""
    see = entry.get("see")
    return not see or see in have or any(d.get("headword") == see for d in drafted)


def _header(name: str) -> str:
    return (resources.files("bookbuilder") / "templates" / "drafts" / f"{name}.txt").read_text(encoding="utf-8")


def _dump(entries: list[dict]) -> str:
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100)
