"""Find the book's typefaces in their installed font wheels (never system fonts)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError


@dataclass
class FontFace:
    family: str
    path: Path
    style: str          # "normal" or "italic"
    weight: str         # CSS weight range of the variable font

    @property
    def url(self) -> str:
        return self.path.as_uri()

    @property
    def format(self) -> str:
        return "truetype"


# (family, python package) in fallback order: EB Garamond covers Latin, Cyrillic and IPA;
# Noto Serif catches whatever it lacks.
FAMILIES = [("EB Garamond", "fontpkg_eb_garamond"), ("Noto Serif", "fontpkg_noto_serif")]


def book_fonts() -> list[FontFace]:
    faces = []
    for family, package in FAMILIES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            raise RenderError(f"font package '{package}' is not installed",
                              hint="pip install -e . installs it") from None
        files = Path(module.__file__).parent / "files"
        for path in sorted(files.glob("*.ttf")):
            style = "italic" if "Italic" in path.name else "normal"
            faces.append(FontFace(family, path, style, "400 800" if family == "EB Garamond" else "100 900"))
    return faces
