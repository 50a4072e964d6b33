"""The book's typefaces, from their installed font wheels (never system fonts).

EB Garamond ships as variable fonts. WeasyPrint would cut a static instance out of the
whole variable font for every weight at every build (seconds each), so the weights the
book uses are instanced once with HarfBuzz's instancer (uharfbuzz: about 20 ms a weight,
where fontTools' took two seconds) and cached by a hash of the source file.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path

from bookbuilder import cache
from bookbuilder.errors import RenderError

# (family, python package) in fallback order: EB Garamond covers Latin, Cyrillic and IPA;
# Noto Serif catches whatever it lacks.
FAMILIES = [("EB Garamond", "fontpkg_eb_garamond"), ("Noto Serif", "fontpkg_noto_serif")]
# The static instances of the body face the stylesheets use: (style, weight).
BODY_INSTANCES = [("normal", 400), ("normal", 600), ("italic", 400)]


@dataclass
class FontFace:
    family: str
    path: Path
    style: str          # "normal" or "italic"
    weight: str         # a CSS weight, or a range for a variable font

    @property
    def url(self) -> str:
        return self.path.as_uri()

    @property
    def format(self) -> str:
        return "truetype"


def package_fonts(package: str) -> list[Path]:
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise RenderError(f"font package '{package}' is not installed",
                          hint="pip install -e . installs it") from None
    return sorted((Path(module.__file__).parent / "files").glob("*.ttf"))


def book_fonts() -> list[FontFace]:
    """@font-face rules: static EB Garamond instances, then variable Noto Serif as fallback."""
    faces = []
    for path in package_fonts(FAMILIES[0][1]):
        style = "italic" if "Italic" in path.name else "normal"
        for instance_style, weight in BODY_INSTANCES:
            if instance_style == style:
                faces.append(FontFace(FAMILIES[0][0], static_instance(path, weight), style, str(weight)))
    for path in package_fonts(FAMILIES[1][1]):
        style = "italic" if "Italic" in path.name else "normal"
        faces.append(FontFace(FAMILIES[1][0], path, style, "100 900"))
    return faces


def variable_font(family_index: int = 0, italic: bool = False) -> Path:
    """The original variable font file (for matplotlib)."""
    paths = package_fonts(FAMILIES[family_index][1])
    return next(p for p in paths if ("Italic" in p.name) == italic)


def static_instance(path: Path, weight: int) -> Path:
    status = path.stat()
    digest = _font_digest(path, status.st_size, status.st_mtime_ns)
    target = cache.path("fonts", f"{path.stem.split('[')[0]}-{weight}-{digest}-hb.ttf")
    if not target.exists():
        import uharfbuzz as hb

        face = hb.Face(hb.Blob.from_file_path(str(path)))
        wanted = hb.SubsetInput()
        wanted.keep_everything()        # every glyph, feature and name: an instance, not a subset
        wanted.pin_axis_location(face, "wght", weight)
        cache.write_bytes(target, bytes(hb.subset(face, wanted).blob.data))
    return target


@functools.lru_cache(maxsize=None)
def _font_digest(path: Path, size: int, mtime_ns: int) -> str:
    """A font file's digest, once a process while the file is unchanged: the @font-face rules
    are asked for by every layout's style sheet (hashing the variable fonts each time cost
    about 0.1 s a packet)."""
    return cache.file_digest(path)


WEB_FONT_VERSION = "3"          # bump when the subsetting rule changes
# what every web font keeps, whatever the text: Latin with its extensions, IPA (a transliteration
# note's pronunciations) and combining marks, Cyrillic, punctuation and the pilcrow; a book's text
# rarely needs more, so the subset (and its cache entry, and a reader's browser cache) is the
# same from build to build and book to book, and can be made before the text is known
WEB_RANGES = ((0x20, 0x36F), (0x400, 0x4FF), (0x1E00, 0x1EFF), (0x2000, 0x206F),
              (0x20A0, 0x20BF), (0x2100, 0x215F), (0x2190, 0x21FF))


def web_font(face: FontFace, text: str, ranges=WEB_RANGES) -> Path:
    """``face`` as WOFF2 for the web edition, cut down to ``ranges`` and the characters of
    ``text`` outside them; cached by the font file and the set of characters."""
    unicodes = _web_unicodes(text, ranges)
    target = _web_font_target(face, unicodes)
    if not target.exists():
        import io

        import uharfbuzz as hb
        from fontTools.ttLib import woff2

        # HarfBuzz cuts the subset in milliseconds (fontTools' subsetter took seconds a face);
        # every feature (small capitals, old-style figures, ligatures) and the glyphs they reach
        # are kept. fontTools writes it as WOFF2 (Brotli).
        wanted = hb.SubsetInput()
        wanted.keep_everything()
        wanted.unicode_set.clear()
        wanted.unicode_set.update(unicodes)
        wanted.glyph_set.clear()
        cut = bytes(hb.subset(hb.Face(hb.Blob.from_file_path(str(face.path))), wanted).blob.data)
        packed = io.BytesIO()
        woff2.compress(io.BytesIO(cut), packed)
        cache.write_bytes(target, packed.getvalue())
    return target


def _web_unicodes(text: str, ranges) -> list[int]:
    wanted = {c for low, high in ranges for c in range(low, high + 1)} | {ord(c) for c in text}
    return sorted(c for c in wanted if c >= 0x20 and not 0xd800 <= c <= 0xdfff)


def _web_font_target(face: FontFace, unicodes: list[int]) -> Path:
    status = face.path.stat()
    digest = cache.key(_font_digest(face.path, status.st_size, status.st_mtime_ns), unicodes,
                       WEB_FONT_VERSION, length=16)
    return cache.path("fonts", f"{face.path.stem.split('[')[0]}-{face.weight.split()[0]}-{digest}.woff2")


def web_body_faces() -> list[FontFace]:
    """The faces every web edition serves (the EB Garamond weights)."""
    return [f for f in book_fonts() if f.family == FAMILIES[0][0]]


def web_fonts_ready() -> bool:
    """Whether the web subsets of the body faces (text inside WEB_RANGES) are in the cache."""
    return all(_web_font_target(f, _web_unicodes("", WEB_RANGES)).exists() for f in web_body_faces())


def make_web_fonts() -> None:
    """The web subsets of the body faces, made ahead of the text (run/fonts_ahead.py)."""
    for face in web_body_faces():
        web_font(face, "")


def web_fonts(text: str) -> list[tuple[FontFace, Path]]:
    """The faces the web edition serves, each a WOFF2 subset for ``text``: the EB Garamond
    weights, and Noto Serif only for the characters EB Garamond lacks (none: no Noto Serif)."""
    faces = book_fonts()
    body = web_body_faces()
    covered = _cmap(body[0].path)
    missing = "".join(sorted(c for c in set(text) if ord(c) > 0x20 and ord(c) not in covered))
    chosen = [(f, web_font(f, text)) for f in body]
    if missing:              # only the characters EB Garamond lacks
        chosen += [(f, web_font(f, missing, ranges=())) for f in faces if f.family != FAMILIES[0][0]]
    return chosen


@functools.lru_cache(maxsize=None)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    return frozenset(TTFont(path, lazy=True).getBestCmap())
