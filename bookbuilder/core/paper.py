"""The page and the paper: one home for every measure of the printed book.

Trim sizes, the margins (and so the text block), the packets' paper, the bleed and the room
for crop marks beyond it, and the CMYK profile of the print edition's output intent. The
print style sheets (templates/print/*.css.j2) are given these values; nothing else states them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bookbuilder.errors import RenderError

# the book's trim sizes (book.yaml's trim:), as CSS page sizes and in inches
TRIM_SIZES = {"6x9": "6in 9in", "a5": "148mm 210mm", "letter": "8.5in 11in"}
TRIM_INCHES = {"6x9": (6, 9), "a5": (5.83, 8.27), "letter": (8.5, 11)}
# a course packet's paper (its own page size: the book's pages are not printed on it)
PAPER_SIZES = {"letter": "8.5in 11in", "a4": "210mm 297mm"}


@dataclass(frozen=True)
class Margins:
    """A page's margins in inches; inside is the gutter (left on a recto, right on a verso)."""
    top: float
    outside: float
    bottom: float
    inside: float


BOOK_MARGINS = Margins(top=0.75, outside=0.6, bottom=0.8, inside=0.85)
# a packet's outer margin is wide, for a student's notes
PACKET_MARGINS = Margins(top=0.9, outside=2.0, bottom=0.9, inside=1.0)


def text_block(trim: str) -> tuple[float, float]:
    """The book's text block (width, height) in inches: the trim less the margins."""
    width, height = TRIM_INCHES[trim]
    m = BOOK_MARGINS
    return round(width - m.outside - m.inside, 2), round(height - m.top - m.bottom, 2)


BLEED_IN = 0.125                    # paper trimmed off: backgrounds reach this far
SLUG_IN = 0.25                      # beyond the bleed, on the sheet: where the crop marks go
BLEED_PT = BLEED_IN * 72
SLUG_PT = SLUG_IN * 72
PROFILE_ENV = "BOOKBUILDER_CMYK_PROFILE"
# Ghostscript's "Artifex CMYK SWOP Profile" (AGPL-3+), installed by `apt-get install libgs-common`
DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def profile_path() -> Path:
    """Where the CMYK profile is looked for (it may not be there)."""
    return Path(os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE)


def cmyk_profile() -> Path:
    """The CMYK printer profile of the output intent: $BOOKBUILDER_CMYK_PROFILE or Debian's."""
    profile = profile_path()
    if not profile.is_file():
        raise RenderError(f"no CMYK colour profile at {profile}",
                          hint=f"apt-get install libgs-common, or set {PROFILE_ENV} to a CMYK .icc file")
    header = profile.read_bytes()[:20]
    if header[12:20] != b"prtrCMYK":
        raise RenderError(f"{profile} is not a CMYK printer profile",
                          hint="the output intent of a PDF/X needs an ICC profile of class prtr, CMYK")
    return profile


def stylesheet_context() -> dict:
    """The print shop's values the cover's style sheet needs (templates/cover/wrap.css.j2)."""
    return {
        "cmyk_profile": cmyk_profile().as_uri(),
        "bleed": f"{BLEED_IN}in",
        # WeasyPrint draws crop marks in the outer half of its CSS bleed: it is made wide
        # enough for them to stay outside the real bleed (the BleedBox, set in finish())
        "media_bleed": f"{BLEED_IN + SLUG_IN}in",
        "black": "device-cmyk(0 0 0 1)",
        "grey": "device-cmyk(0 0 0 0.67)",
    }
