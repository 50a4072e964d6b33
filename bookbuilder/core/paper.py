"""The print shop's colour and paper: the CMYK output-intent profile and the bleed.

Kept apart from prepress.py (which lays out and post-processes the print PDF) so the
stylesheet renderer can read it without importing the prepress stage.
"""

from __future__ import annotations

import os
from pathlib import Path

from bookbuilder.errors import RenderError

BLEED_IN = 0.125                    # paper trimmed off: backgrounds reach this far
SLUG_IN = 0.25                      # beyond the bleed, on the sheet: where the crop marks go
BLEED_PT = BLEED_IN * 72
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
    """The values templates/print/prepress.css.j2 needs."""
    return {
        "cmyk_profile": cmyk_profile().as_uri(),
        "bleed": f"{BLEED_IN}in",
        # WeasyPrint draws crop marks in the outer half of its CSS bleed: it is made wide
        # enough for them to stay outside the real bleed (the BleedBox, set in finish())
        "media_bleed": f"{BLEED_IN + SLUG_IN}in",
        "black": "device-cmyk(0 0 0 1)",
        "grey": "device-cmyk(0 0 0 0.67)",
    }
