"""Every id the builder makes, made (and parsed) here and nowhere else.

Ids are stable: each starts with its division's id (from the manuscript file name) and
counts only within that division, so adding, removing or reordering a chapter changes
no id inside the others. Renderers and the layout checks use these functions instead
of taking ids apart themselves.
"""

from __future__ import annotations

import re
import uuid

TRANSLIT = "-tn-"
SOURCE = "-src-"


def footnote(division_id: str, n: int) -> str:
    """A manuscript footnote (Pandoc numbers them within the file)."""
    return f"{division_id}-fn{n}"


def translit_note(division_id: str, term_id: str) -> str:
    return f"{division_id}{TRANSLIT}{term_id}"


def term_of_translit_note(note_id: str) -> str | None:
    """The Russian term a transliteration note is about (None for other notes)."""
    return note_id.split(TRANSLIT, 1)[1] if TRANSLIT in note_id else None


def figure_source_note(division_id: str, figure_id: str) -> str:
    return f"{division_id}{SOURCE}{figure_id}"


def image(division_id: str, n: int) -> str:
    """The author's n-th image in a division (a figure, or an image inline in the text)."""
    return f"{division_id}-img{n}"


def note_ref(note_id: str) -> str:
    """The note's reference (call) in the text, and the target of its back link."""
    return f"{note_id}-ref"


def note_call(note_id: str) -> str:
    """An empty anchor at the call in print: the layout compares its page with the note's."""
    return f"{note_id}-call"


def note_full(note_id: str) -> str:
    """Where a note too long for a page is printed in full, at the end of its chapter."""
    return f"{note_id}-full"


def index_mark(division_id: str, n: int) -> str:
    return f"{division_id}-ix-{n}"


def index_entry(headword_slug: str) -> str:
    return f"ix-{headword_slug}"


def glossary_use(division_id: str, entry_id: str, n: int) -> str:
    return f"{division_id}-{entry_id}-{n}"


def index_subentry(entry_id: str, n: int) -> str:
    """The n-th sub-entry of an index entry."""
    return f"{entry_id}-{n}"


def glossary_definition(entry_id: str) -> str:
    return f"{entry_id}-def"
def register_entry(term_id: str) -> str:
    return f"reg-{term_id}"


def register_use(division_id: str, term_id: str, n: int) -> str:
    return f"{division_id}-reg-{term_id}-{n}"


def heading(division_id: str, n: int) -> str:
    return f"{division_id}-h{n}"


def paragraph(division_id: str, n: int) -> str:
    """A numbered paragraph (¶ n of its chapter), the same in every edition."""
    return f"{division_id}-p{n}"


def page_marker(label: str) -> str:
    """An EPUB page-break marker for the printed page ``label``."""
    return f"page-{label}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def xmp_document_id(book_identifier: str, edition: str) -> str:
    """The XMP DocumentID of one edition's PDF: the same for every build of that edition
    (WeasyPrint would stamp a random one), different for the reader's, print and cover PDFs."""
    return f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book_identifier}#{edition}')}"


def xmp_instance_id(book_identifier: str, edition: str, modified: str) -> str:
    """The XMP InstanceID: one per edition and build date, so a rebuild of the same text on
    the same date is the same instance."""
    return f"xmp.iid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book_identifier}#{edition}@{modified}')}"


REFERENCES = "references"       # the generated References division's id


def reference_entry(key: str) -> str:
    """A work's entry in the References division, by its citation key (any character a key
    may hold but letters, digits, '_', '.' and '-' made '-': an id must be an NCName)."""
    return f"{REFERENCES}-ref-{re.sub(r'[^A-Za-z0-9_.-]', '-', key)}"


def section_label(element_id: str, division_id: str) -> str:
    """The author's label of a heading or figure (``sec-purge``, ``fig-plan``): its id without
    the division's prefix Pandoc gave it."""
    prefix = f"{division_id}-"
    return element_id[len(prefix):] if element_id.startswith(prefix) else element_id


def crossref(division_id: str, n: int) -> str:
    """The n-th cross-reference of a division (``@fig-…``): the layout gives its page."""
    return f"{division_id}-xr-{n}"
