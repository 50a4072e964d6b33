"""The licence an article states ("licensed under the Creative Commons Attribution-ShareAlike
4.0 License"), as book.yaml names it (CC BY-SA 4.0 and its deed's URL). Wikipedia's text is
CC BY-SA 4.0 by its terms of use; an article that states no licence and has no Wikipedia
address gets none assumed: the editor is asked to fill it in."""

from __future__ import annotations

import re
from dataclasses import dataclass

STATED = re.compile(
    r"licen[cs]ed\s+under\s+(?:the\s+|a\s+)?(?:terms\s+of\s+the\s+)?"
    r"(?P<name>Creative\s+Commons\s+(?:Attribution|Zero|CC0)[\w\s.-]*?\d\.\d|CC\s?(?:BY(?:-SA|-NC|-ND)*|0)\s*\d\.\d"
    r"|CC0|public\s+domain|GNU\s+Free\s+Documentation\s+License)", re.I)
ELEMENTS = (("noncommercial", "nc"), ("noderiv", "nd"), ("sharealike", "sa"))     # in a deed's order


@dataclass(frozen=True)
class Licence:
    name: str          # as book.yaml and the imprint print it: "CC BY-SA 4.0"
    url: str
    stated: bool       # found in the article itself (else assumed from where it came from)


WIKIPEDIA = Licence("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/", False)


def stated_licence(text: str) -> Licence | None:
    """The licence the article's own text states, if any."""
    m = STATED.search(text)
    if not m:
        return None
    name = " ".join(m.group("name").split())
    lowered = name.lower()
    if "zero" in lowered or "cc0" in lowered or "public domain" in lowered:
        return Licence("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/", True)
    if "gnu" in lowered:
        return Licence("GFDL 1.3", "https://www.gnu.org/licenses/fdl-1.3.html", True)
    version = re.search(r"\d\.\d", name).group(0)
    flat = re.sub(r"[\s-]", "", lowered)
    kind = "-".join(["by"] + [code for word, code in ELEMENTS if word in flat or f"-{code}" in lowered])
    return Licence(f"CC {kind.upper()} {version}", f"https://creativecommons.org/licenses/{kind}/{version}/", True)
