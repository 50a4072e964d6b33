"""The builder's own reader-facing words, from one table per language (templates/words/<lang>.yaml)."""

from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.lru_cache(maxsize=None)
def words(language: str = "en") -> dict:
    folder = resources.files("bookbuilder") / "templates" / "words"
    table = folder / f"{language.split('-')[0]}.yaml"
    if not table.is_file():
        table = folder / "en.yaml"          # a book in another language still builds, in English words
    return yaml.safe_load(table.read_text(encoding="utf-8"))
