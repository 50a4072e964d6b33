"""The EPUB's content documents (XHTML): each division's body with its figures, images and
links set for the EPUB's files, the cover, title page, imprint and nav documents, and the
print edition's page-break markers (page_markers.py) where each printed page begins.
"""

from __future__ import annotations

import copy
from importlib import resources

from lxml import etree
from markupsafe import Markup

from bookbuilder.core.model import Book, inner_xhtml
from bookbuilder.core.pagelist import PageList, PageMarker
from bookbuilder.markup.crossrefs import expand_crossrefs
from bookbuilder.markup.expand import expand_figures
from bookbuilder.markup.image_prep import expand_images, image_files
from bookbuilder.markup.page_markers import insert_markers
from bookbuilder.markup.templates import EPUB_TYPE_ATTR, Link, common_context, environment
from bookbuilder.words import words

def chapter_locators(book: Book, file_of: dict[str, str], anchor=lambda element_id: element_id):
    """``(locate, index_locate)`` for outputs without pages (the EPUB, the web edition): a
    glossary or register entry's uses as links labelled by chapter, an index entry's as one link
    per section it occurs in, labelled by it. ``anchor``: the id a use's link points at (the web
    edition points at the paragraph holding it)."""
    chapter_of = {d.id: d for d in book.divisions}
    section_title = {h.id: h.text for d in book.divisions for h in d.headings}

    def locate(entry) -> list[Link]:
        return [Link(str(chapter_of[u.division_id].number or chapter_of[u.division_id].title),
                     f"{file_of[u.id]}#{u.id}") for u in entry.uses if u.linked]

    def index_locate(item) -> list[Link]:
        links, seen = [], set()
        for o in item.occurrences:
            if o.section_id not in seen:
                seen.add(o.section_id)
                chapter = chapter_of[o.division_id]
                label = section_title.get(o.section_id, chapter.title)
                if o.section_id != chapter.id:
                    label = f"{chapter.title}: {label}"
                links.append(Link(f"{chapter.number}. {label}" if chapter.number else label,
                                  f"{file_of[o.id]}#{anchor(o.id)}"))
        return links

    return locate, index_locate


def epub_documents(book: Book, bodies: dict[str, str], file_of: dict[str, str],
                   cover_image: str | None = None, pages: PageList | None = None) -> dict[str, str]:
    """File name -> XHTML for every EPUB content document.

    ``bodies`` maps division id -> body XHTML, ``file_of`` element id -> file name.
    ``pages``: the print edition's page-break markers, put where each page begins, and
    listed in the nav document's page-list.
    """
    env = environment()
    markers = [m for m in pages.markers if m.division_id in {d.id for d in book.divisions}] if pages else []
    locate, index_locate = chapter_locators(book, file_of)

    chapter_file = {d.id: d.file_name for d in book.divisions}
    page_links = [Link(m.label, f"{chapter_file[m.division_id]}#{m.id}") for m in markers]
    text = words(book.config.language)
    ctx = dict(common_context(book), locate=locate, index_locate=index_locate,
               uses_label=lambda where, verb="used": text[f"{verb}_in_chapters" if len(where) > 1 else f"{verb}_in_chapter"],
               href=lambda element_id: f"{file_of.get(element_id, '')}#{element_id}", page_links=page_links,
               note_xhtml=lambda note, division: Markup(note_xhtml(book, note, division, file_of)))
    docs = {}
    if cover_image:
        docs["cover.xhtml"] = env.get_template("epub/cover.xhtml.j2").render(cover_image=cover_image, **ctx)
    docs |= {
        "titlepage.xhtml": env.get_template("epub/titlepage.xhtml.j2").render(**ctx),
        "imprint.xhtml": env.get_template("epub/imprint.xhtml.j2").render(**ctx),
        "nav.xhtml": env.get_template("epub/nav.xhtml.j2").render(**ctx),
    }
    division_template = env.get_template("epub/division.xhtml.j2")
    for division in book.divisions:
        docs[division.file_name] = division_template.render(
            division=division, body=Markup(bodies[division.id]), **ctx)
    docs = {name: EPUB_TYPE_ATTR.sub(' epub:type="', doc) for name, doc in docs.items()}
    marker_template = env.get_template("epub/pagebreak.xhtml.j2")
    for division in book.divisions:
        here = [m for m in markers if m.division_id == division.id]
        if here:
            docs[division.file_name] = with_page_markers(docs[division.file_name], here, marker_template)
    return docs


def with_page_markers(xhtml: str, markers: list[PageMarker], template) -> str:
    """The content document with a page-break marker (epub/pagebreak.xhtml.j2) where each page begins."""
    root = etree.fromstring(xhtml.encode("utf-8"))
    insert_markers(root, markers, lambda m: etree.fromstring(template.render(marker=m)))
    etree.cleanup_namespaces(root)
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True).decode("utf-8")


def epub_stylesheet() -> str:
    return (resources.files("bookbuilder") / "templates" / "epub" / "book.css").read_text(encoding="utf-8")


def id_files(book: Book) -> dict[str, str]:
    """Element id -> the EPUB file it ends up in."""
    file_of = {}
    for division in book.divisions:
        file_of[division.id] = division.file_name
        for root in [division.body] + [note.content for note in division.notes]:
            for el in root.iter():
                if isinstance(el.tag, str) and el.get("id"):
                    file_of[el.get("id")] = division.file_name
    glossary = book.division("glossary")
    for entry in book.glossary:
        file_of[entry.id] = glossary.file_name if glossary else ""
    references = book.division("references")
    for entry in book.references:
        file_of[entry.id] = references.file_name if references else ""
    return file_of


def _point_to_file(link, file_of: dict[str, str], here: str) -> None:
    """A link to an element of another content document made to name that document."""
    href = link.get("href", "")
    target = href[1:] if href.startswith("#") else None
    if target and file_of.get(target, here) != here:
        link.set("href", f"{file_of[target]}#{target}")


def note_xhtml(book: Book, note, division, file_of: dict[str, str], serialise=inner_xhtml,
               elsewhere_href=None) -> str:
    """A note's content as XHTML (or HTML for the web edition): its cross-references written, its
    links (a citation's to References) pointed at their files."""
    content = copy.deepcopy(note.content)
    expand_crossrefs(content, book, href=lambda target: f"#{target}", elsewhere_href=elsewhere_href)
    for link in content.iter("a"):
        _point_to_file(link, file_of, division.file_name)
    return serialise(content)


def epub_bodies(book: Book, file_of: dict[str, str], charts: dict, images: dict | None = None,
                serialise=inner_xhtml, elsewhere_href=None) -> dict[str, str]:
    """Each division's body as XHTML (or, with ``serialise=inner_html``, as HTML for the web
    edition), with links to other divisions pointed at their files; ``elsewhere_href``: a
    packet's web pages link a cross-reference to a chapter they lack into the whole book."""
    bodies = {}
    env = environment()
    images = image_files(book, "epub") if images is None else images
    for division in book.divisions:
        body = copy.deepcopy(division.body)
        expand_figures(body, book, env, charts)
        expand_images(body, book, env, images)
        expand_crossrefs(body, book, href=lambda target: f"#{target}", elsewhere_href=elsewhere_href)
        for link in body.iter("a"):
            _point_to_file(link, file_of, division.file_name)
            classes = (link.get("class") or "").split()
            # epub:type for reading systems, with its DPUB-ARIA role for assistive technology
            if "noteref" in classes:
                link.set("data-epub-type", "noteref")
                link.set("role", "doc-noteref")
            elif "glossterm" in classes:
                link.set("data-epub-type", "glossref")
                link.set("role", "doc-glossref")
        bodies[division.id] = serialise(body)     # data-epub-type becomes epub:type later
    return bodies
