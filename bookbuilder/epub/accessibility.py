"""What the EPUB offers a reader with a disability, stated the way EPUB Accessibility 1.1 asks.

The package metadata (schema.org ``accessMode``, ``accessModeSufficient``,
``accessibilityFeature``, ``accessibilityHazard``, ``accessibilitySummary`` and
``dcterms:conformsTo``) is computed from the model of the book being built: a feature is
declared only when the book has it (an index when it has index entries, page-break markers
when it carries the print edition's pages, ...), and the summary counts what is there.
No certifier is named: nobody has certified the book; DAISY Ace checks it in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookbuilder.core.model import Book
from bookbuilder.core.pagelist import PageList

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class Accessibility:
    access_modes: tuple[str, ...]
    sufficient: tuple[str, ...]          # each a comma-separated set of modes
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str = CONFORMS_TO

    def properties(self) -> list[tuple[str, str]]:
        """(meta property, value) pairs for the package document, in a stable order."""
        pairs = [("schema:accessMode", mode) for mode in self.access_modes]
        pairs += [("schema:accessModeSufficient", modes) for modes in self.sufficient]
        pairs += [("schema:accessibilityFeature", feature) for feature in self.features]
        pairs += [("schema:accessibilityHazard", hazard) for hazard in self.hazards]
        pairs += [("schema:accessibilitySummary", self.summary), ("dcterms:conformsTo", self.conforms_to)]
        return pairs


def describe(book: Book, pages: PageList | None = None) -> Accessibility:
    """The accessibility of the EPUB made from ``book`` (with the page list ``pages``, if any)."""
    charts = bool(book.figures)
    index = bool(book.index) and book.division("index") is not None
    page_numbers = bool(pages and pages.markers)

    modes = ("textual", "visual", "chartOnVisual") if charts else ("textual", "visual")
    # every image has alternative text and every chart a data table: the text alone suffices
    sufficient = ("textual", "textual,visual")
    features = ["tableOfContents", "readingOrder", "structuralNavigation", "ARIA"]
    if index:
        features.append("index")
    if page_numbers:
        features += ["pageBreakMarkers", "pageNavigation"]
    features.append("alternativeText")              # the cover and every chart
    if charts:
        features.append("longDescription")          # each chart's data table (aria-details)
    features += ["displayTransformability", "unlocked"]
    return Accessibility(modes, sufficient, tuple(features), ("none",), summary(book, pages))


def summary(book: Book, pages: PageList | None = None) -> str:
    """The accessibility summary in plain English, from the template and the book's counts."""
    from bookbuilder.markup.templates import environment

    notes = sum(len(d.notes) for d in book.divisions)
    text = environment().get_template("epub/accessibility-summary.txt").render(
        book=book, chapters=len(book.chapters), notes=notes, figures=book.figures,
        glossary=len(book.glossary), index=len(book.index) if book.division("index") else 0,
        russian=bool(book.terms), pages=pages if pages and pages.markers else None,
        conforms_to=CONFORMS_TO)
    return " ".join(text.split())
