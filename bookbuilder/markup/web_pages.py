"""The web edition's pages (HTML): the opening page (cover, title page, contents, imprint), one
page per division named by its stable id as in the EPUB, the search page, the sitemap and the
style sheets, all from the same enriched model and through templates (templates/web/, and the
shared partials the EPUB uses for the glossary, register, index and figures).

The divisions' bodies are the EPUB's (``epub_bodies``: links to other divisions pointed at their
pages, figures and images expanded), written as HTML; the print edition's page-break markers
(the EPUB's page list, handed in by the caller) are placed as in the EPUB (page_markers.py).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from lxml import html
from markupsafe import Markup

from bookbuilder.core.editions import PacketInfo
from bookbuilder.core.model import Book, Division, inner_html
from bookbuilder.core.pagelist import PageList
from bookbuilder.core.romanisation import Scheme
from bookbuilder.markup.epub_xhtml import chapter_locators, epub_bodies, id_files, note_xhtml
from bookbuilder.markup.page_markers import insert_markers
from bookbuilder.markup.templates import Link, build_date, common_context, environment

OPENING = "index.html"
SEARCH = "search.html"
RESERVED = {"index", "search", "sitemap", "404"}       # division ids whose page needs another name
# romanisations a reader may type besides the book's own scheme (search finds each)
SEARCH_SCHEMES = ("wikipedia", "bgn_pcgn", "scientific")
ASSETS = ("site.css", "print.css", "site.js", "search.js")     # static files in templates/web/
DESCRIPTION_LENGTH = 155


@dataclass
class PageInfo:
    """What the page template needs to know about the page it writes."""
    file: str
    id: str
    kind: str
    title: str
    description: str
    cite_title: str
    chapter: int | None = None
    prev: Link | None = None
    next: Link | None = None


@dataclass
class PacketSite:
    """A course packet's web edition: the packet's cover-sheet words, and where the whole book's
    web edition is (``book_site``: its base URL, or a path relative to the packet's pages)."""
    packet: PacketInfo
    book_site: str


def web_file(division: Division) -> str:
    """A division's page: its stable id (``moscow-trials.html``); the back-of-book index, whose
    id is taken by the opening page, is ``book-index.html``."""
    return page_name(division.id)


def page_name(division_id: str) -> str:
    return f"book-{division_id}.html" if division_id in RESERVED else f"{division_id}.html"


def page_ids(book: Book) -> dict[str, str]:
    """Element id -> the page it is on."""
    page_of = {d.file_name: web_file(d) for d in book.divisions}
    return {element_id: page_of.get(name, name) for element_id, name in id_files(book).items()}


def web_pages(book: Book, charts: dict, images: dict, pages: PageList | None, downloads: dict[str, str],
              cover: tuple[str, tuple[int, int]], packet_site: PacketSite | None = None) -> dict[str, str]:
    """File name -> HTML of every page of the site, and its sitemap.

    ``charts`` and ``images`` as the EPUB has them (their names are the site's file names),
    ``pages`` the print edition's page list (None: no page markers), ``downloads`` the links to
    the PDF and EPUB (``{"pdf": href, "epub": href}``), ``cover`` the cover image's file name and
    size in pixels. ``packet_site``: the site is a course packet's, its chapters linked to the
    whole book's pages."""
    env = environment()
    file_of = page_ids(book)
    elsewhere = (lambda division_id, target: f"{packet_site.book_site}{page_name(division_id)}#{target}") \
        if packet_site else None                  # a packet's reference to a chapter it lacks
    bodies = epub_bodies(book, file_of, charts, images, serialise=inner_html, elsewhere_href=elsewhere)
    paragraph_of = _paragraphs(book)
    # the index links to the paragraph of each occurrence, which the ¶ links also name
    locate, index_locate = chapter_locators(book, file_of, lambda element_id: paragraph_of.get(element_id, element_id))
    text = common_context(book)["words"]
    ctx = dict(common_context(book), locate=locate, index_locate=index_locate,
               uses_label=lambda where, verb="used": text[f"{verb}_in_chapters" if len(where) > 1 else f"{verb}_in_chapter"],
               href=lambda element_id: f"{file_of.get(element_id, '')}#{element_id}",
               note_html=lambda note, division: Markup(note_xhtml(book, note, division, file_of, inner_html,
                                                                  elsewhere)),
               web_file=web_file, downloads=downloads, cover=cover[0], cover_size=cover[1], preload=[],
               index_page=web_file(book.division("index")) if book.division("index") else OPENING,
               packet=packet_site.packet if packet_site else None,
               in_book=(lambda d: packet_site.book_site + web_file(d)) if packet_site else None,
               book_site=packet_site.book_site if packet_site else "",
               canonical_base="" if packet_site else book.config.base_url,   # the book's, not the packet's
               site_title=packet_site.packet.title if packet_site else book.config.title)
    order = [(OPENING, book.config.title)] + [(web_file(d), _label(d)) for d in book.divisions]
    neighbours = {name: (Link(order[i - 1][1], order[i - 1][0]) if i else None,
                         Link(order[i + 1][1], order[i + 1][0]) if i + 1 < len(order) else None)
                  for i, (name, _) in enumerate(order)}
    meta = book.config
    docs = {}
    opening = PageInfo(OPENING, "opening", "opening", ctx["site_title"], _opening_description(book, packet_site),
                       ctx["site_title"],
                       *([None] + list(neighbours[OPENING])))
    docs[OPENING] = env.get_template("web/opening.html.j2").render(page=opening, **ctx)
    search = PageInfo(SEARCH, "search", "search", "Search", f"Search {meta.title}.", meta.title)
    docs[SEARCH] = env.get_template("web/search.html.j2").render(page=search, **ctx)
    division_template = env.get_template("web/division.html.j2")
    marker_template = env.get_template("web/pagebreak.html.j2")
    markers = pages.markers if pages else ()
    for division in book.divisions:
        name = web_file(division)
        info = PageInfo(name, division.id, division.kind, division.title, _description(book, division),
                        f"ch. {division.number}" if division.number else division.title, division.number,
                        *neighbours[name])
        tips = [e for e in book.glossary if any(u.division_id == division.id and u.linked for u in e.uses)]
        page = division_template.render(page=info, division=division, body=Markup(bodies[division.id]),
                                        tips=tips, search_forms=search_forms(book, division), **ctx)
        docs[name] = _finish(page, [m for m in markers if m.division_id == division.id],
                             lambda m: html.fragment_fromstring(marker_template.render(marker=m).strip()))
    return docs


def _label(division: Division) -> str:
    return f"{division.number}. {division.title}" if division.number else division.title


def _paragraphs(book: Book) -> dict[str, str]:
    """Element id -> the id of the numbered paragraph holding it (index marks, glossary uses)."""
    found = {}
    for division in book.divisions:
        for p in division.body.iter("p"):
            if p.get("data-para") and p.get("id"):
                for el in p.iter():
                    if isinstance(el.tag, str) and el.get("id"):
                        found[el.get("id")] = p.get("id")
    return found


def _finish(page: str, markers, make_marker) -> str:
    """The page with its print page markers placed and each linked glossary term described by
    its definition (the page's hidden tooltips)."""
    root = html.document_fromstring(page)
    if markers:
        insert_markers(root, markers, make_marker)
    tips = {el.get("id") for el in root.iter("span") if el.get("role") == "tooltip"}
    for link in root.iter("a"):
        if "glossterm" in (link.get("class") or "").split():
            target = "tip-" + link.get("href", "").split("#")[-1]
            if target in tips:
                link.set("aria-describedby", target)
    return html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


def _text(fragment) -> str:
    return re.sub(r"\s+", " ", fragment.text_content()).strip()


def _clip(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _description(book: Book, division: Division) -> str:
    """The page's description: its first paragraph, clipped; a generated division says what it is."""
    first = next((p for p in division.body.iter("p") if _text(p)), None)
    if first is not None and not division.generated:
        return _clip(_text(first))
    return _clip(f"{division.title} of {book.config.title}" + (f": {book.config.subtitle}." if book.config.subtitle else "."))


def _opening_description(book: Book, packet_site: PacketSite | None) -> str:
    meta = book.config
    if packet_site:
        chapters = ", ".join(str(d.number) for d in book.chapters)
        return _clip(f"{packet_site.packet.title}: chapters {chapters} of {meta.title}"
                     f"{', for ' + packet_site.packet.course if packet_site.packet.course else ''}.")
    creators = sorted({s.creator for s in meta.sources}) or [meta.creator]
    return _clip(f"{meta.title}{': ' + meta.subtitle if meta.subtitle else ''}. Adapted {meta.based_on} "
                 f"by {', '.join(creators)}.")


def search_forms(book: Book, division: Division) -> list[tuple[str, list[str]]]:
    """The Russian names and terms a division uses, each (its English form, [Cyrillic, and the
    romanisations a reader may type: the book's scheme and others]), for the search index."""
    found: dict[str, str] = {}
    for note in division.notes:
        if note.data and note.data.get("term") is not None:
            found.setdefault(note.data["term"].cyrillic, note.data["term"].english)
    for entry in book.register:
        if any(u.division_id == division.id for u in entry.uses):
            found.setdefault(entry.term.cyrillic, entry.term.english)
    for entry in book.glossary:
        if entry.cyrillic and any(u.division_id == division.id for u in entry.uses):
            found.setdefault(entry.cyrillic, entry.headword)
    result = []
    for word, english in found.items():
        forms = list(dict.fromkeys([word, book.scheme.romanise(word)] + [_scheme(s).romanise(word) for s in SEARCH_SCHEMES]))
        result.append((english, forms))
    return result


@functools.lru_cache(maxsize=None)
def _scheme(name: str) -> Scheme:
    return Scheme(name)


def site_assets(fonts: list[tuple[object, str]]) -> dict[str, str]:
    """The site's style sheets and scripts (``assets/``), with the ``@font-face`` rules of
    ``fonts`` (face, file name in the site)."""
    folder = resources.files("bookbuilder") / "templates" / "web"
    files = {f"assets/{name}": (folder / name).read_text(encoding="utf-8") for name in ASSETS}
    files["assets/fonts.css"] = environment().get_template("web/fonts.css.j2").render(fonts=fonts)
    return files


def sitemap(book: Book, files: list[str], base_url: str | None = None) -> str:
    """sitemap.xml: every page, absolute when ``base_url`` is set in book.yaml (a packet's site
    passes "": where it is published is not known)."""
    return environment().get_template("web/sitemap.xml.j2").render(
        files=files, base=book.config.base_url if base_url is None else base_url, lastmod=build_date(book).strftime("%Y-%m-%d"))
