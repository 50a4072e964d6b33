"""The web edition (python build.py web, OUT/<slug>-web/) and `preview`.

The real book's site is built once, beside the session's PDF and EPUB, and checked as files
(every internal link and id resolves, pages named by the divisions' ids, paragraph ids as the
EPUB's, a footer with the licence on every page, the sitemap) and in real headless Chromium
(checkers/check_web.mjs: navigation, search for a name and a Cyrillic word, a footnote by
keyboard, axe-core on the opening page, a chapter and the index, no console error or failed
request, nothing scrolling sideways at 390 px; screenshots left in the test's folder). Small
made-up books check base_url, the atomic swap, and preview's reload on save.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html

from conftest import CHECKERS, ROOT, epub_documents, require
from test_small_books import make_book

from bookbuilder.run.build import BOOK_FORMATS, build


@pytest.fixture(scope="session")          # session: xdist may interleave modules on a worker
def real_web(real_book) -> Path:
    (site,) = build(real_book.book_dir, real_book.out, ("web",), quiet=True)
    return site


def _pages(site: Path) -> dict[str, html.HtmlElement]:
    return {p.relative_to(site).as_posix(): html.parse(str(p)).getroot() for p in sorted(site.glob("*.html"))}


def test_the_default_build_makes_the_web_edition():
    assert "web" in BOOK_FORMATS


def test_a_page_per_division_named_by_its_id(real_web, real_book):
    names = {p.name for p in real_web.glob("*.html")}
    assert {"index.html", "search.html", "moscow-trials.html", "book-index.html"} <= names
    for division in real_book.model.divisions:
        assert (f"book-{division.id}.html" if division.id == "index" else f"{division.id}.html") in names
    for asset in ("sitemap.xml", "pagefind/pagefind.js", "assets/site.css", "assets/fonts.css",
                  f"downloads/{real_book.pdf.name}", f"downloads/{real_book.epub.name}"):
        assert (real_web / asset).is_file(), asset
    fonts = list((real_web / "fonts").glob("*.woff2"))
    assert fonts and all(f.read_bytes()[:4] == b"wOF2" for f in fonts)


def test_every_internal_link_and_id_resolves(real_web):
    assert not _broken_links(real_web)


def test_an_imported_articles_web_edition_holds_together(second_book):
    """The book imported from the other rendering of the article, nobody's hand on it: its
    site is whole (the PDF built beside it, so its page list is in the cache; the EPUB too, as
    every page links to both)."""
    _, site = build(second_book.parent.parent / "book", second_book.parent, ("epub", "web"), quiet=True)
    assert not _broken_links(site)
    pages = _pages(site)
    assert len(pages) >= 4 and all(root.find(".//footer") is not None for root in pages.values())
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_a_packets_web_edition_links_each_chapter_to_the_whole_books(tmp_path):
    """The default build of a book that declares a packet: the packet's site beside its PDF
    holds its chapters, opens with its cover sheet, offers its own PDF and EPUB, and links each
    chapter to the same chapter in the whole book's site (relative; at base_url when given)."""
    from test_packets import _packet_book

    book, out = _packet_book(tmp_path), tmp_path / "out"
    build(book, out, quiet=True)
    site, whole = out / "packets" / "pair-web", out / "small-book-web"
    assert not _broken_links(site)
    pages = _pages(site)
    assert {"index.html", "ch-01.html", "ch-02.html"} <= set(pages) and "ch-03.html" not in pages
    opening = pages["index.html"]
    assert opening.findtext(".//h1") == "A Pair of Chapters"
    downloads = {a.get("href") for a in opening.iter("a") if a.get("download") is not None}
    assert {"downloads/pair.pdf", "downloads/pair.epub"} <= downloads
    for name in ("ch-01.html", "ch-02.html"):
        (link,) = pages[name].xpath("//p[@class='in-book']/a")
        assert (site / link.get("href")).resolve() == (whole / name).resolve()
        assert (whole / name).is_file()

    config = book / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "base_url: https://example.org/small/\n",
                      encoding="utf-8")
    build(book, out, ("packets",), quiet=True)
    chapter = _pages(site)["ch-02.html"]
    assert chapter.xpath("//p[@class='in-book']/a/@href") == ["https://example.org/small/ch-02.html"]
    assert not chapter.xpath("//link[@rel='canonical']")          # the book's address is not the packet's


def _broken_links(real_web: Path) -> list[str]:
    """Every link, image, fragment and ARIA reference of the site that leads nowhere."""
    pages = _pages(real_web)
    ids = {}
    for name, root in pages.items():
        found = [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")]
        assert len(found) == len(set(found)), (name, sorted(i for i in set(found) if found.count(i) > 1)[:5])
        ids[name] = set(found)
    broken = []
    for name, root in pages.items():
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                url = el.get(attr)
                if not url or urlsplit(url).scheme or url.startswith("//"):
                    continue
                parts = urlsplit(url)
                target = unquote(parts.path) or name
                if (real_web / target).resolve().is_relative_to(real_web.parent / real_web.name):
                    if not (real_web / target).is_file():
                        broken.append(f"{name}: {url}")
                    elif parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in ids[target]:
                        broken.append(f"{name}: {url}")
                elif not (real_web / target).exists():            # ../<slug>.pdf: beside the site
                    broken.append(f"{name}: {url}")
            for attr in ("aria-describedby", "aria-labelledby", "aria-controls"):
                for ref in (el.get(attr) or "").split():
                    if ref not in ids[name]:
                        broken.append(f"{name}: {attr}={ref}")
    return broken


def test_paragraph_ids_and_page_markers_are_the_epubs(real_web, real_book):
    epub_ids = {}
    for name, tree in epub_documents(real_book.epub):
        epub_ids[name.rsplit("/", 1)[-1].removesuffix(".xhtml")] = {
            el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    page = _pages(real_web)["moscow-trials.html"]
    paragraphs = {p.get("id") for p in page.iter() if isinstance(p.tag, str) and p.get("data-para")}
    assert "moscow-trials-p12" in paragraphs and paragraphs <= epub_ids["moscow-trials"]
    markers = {s.get("id") for s in page.find_class("pagebreak")}
    assert markers and markers == {i for i in epub_ids["moscow-trials"] if i.startswith("page-")}


def test_every_page_says_title_description_licence_and_downloads(real_web, real_book):
    meta = real_book.model.config
    for name, root in _pages(real_web).items():
        assert root.findtext(".//title").strip(), name
        assert root.xpath('string(//meta[@name="description"]/@content)').strip(), name
        footer = root.find(".//footer")
        text = footer.text_content()
        assert meta.licence in text and meta.source_title in text and meta.creator in text, name
        hrefs = [a.get("href") for a in footer.iter("a")]
        assert meta.licence_url in hrefs and meta.source_url in hrefs, name
        assert any(h.endswith(".pdf") for h in hrefs) and any(h.endswith(".epub") for h in hrefs), name
        assert root.find(".//main") is not None and root.find(".//nav") is not None, name
    sitemap = (real_web / "sitemap.xml").read_text(encoding="utf-8")
    assert "moscow-trials.html" in sitemap and "search.html" not in sitemap


def test_base_url_makes_canonical_urls_and_a_failed_build_leaves_the_site(tmp_path, monkeypatch):
    book = make_book(tmp_path, chapters=2, paragraphs=2)
    yaml = book / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "base_url: https://example.org/small\n", encoding="utf-8")
    out = tmp_path / "out"
    (site,) = build(book, out, ("web",), quiet=True)
    chapter = next(p for p in site.glob("*.html") if p.name not in ("index.html", "search.html"))
    root = html.parse(str(chapter)).getroot()
    assert root.xpath('string(//link[@rel="canonical"]/@href)') == f"https://example.org/small/{chapter.name}"
    assert "<loc>https://example.org/small/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    from bookbuilder.errors import RenderError
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.run import web_site
    from bookbuilder.source.manuscript import read_book

    def broken(folder):
        raise RenderError("the search index was not built")

    (book / "chapters" / "01.md").write_text("# Changed\n\nNew words.\n", encoding="utf-8")
    monkeypatch.setattr(web_site, "index_search", broken)
    with pytest.raises(RenderError):
        web_site.write_site(enrich(read_book(book)), site, None)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == [site.name]        # no half-made folder left


def test_search_finds_cyrillic_and_romanised_forms_of_a_chapters_names(real_web):
    page = _pages(real_web)["moscow-trials.html"]
    forms = page.find_class("search-forms")[0].text_content()
    assert "Ежов" in forms or "Сталин" in forms
    assert "Stalin" in forms


# ------------------------------------------------------------------ in a real browser

def _browse(real_web, checkers, shots: Path) -> dict:
    require("checkers/node_modules/axe-core", (checkers.modules / "axe-core" / "package.json").exists())
    result = checkers.run(str(CHECKERS / "check_web.mjs"), str(real_web), str(shots), checkers.chromium,
                          timeout=240, WEB_CHAPTER="wider-purge.html", WEB_INDEX="book-index.html",
                          WEB_NAME="Yezhov", WEB_CYRILLIC="Ежов", WEB_ROMANISED="Ežov")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["errors"] == [], data["errors"]
    return data


def test_the_site_in_a_browser(real_web, checkers, tmp_path):
    """One run of checkers/check_web.mjs, its findings checked in turn (one test: the browser
    run is the cost, and pytest-xdist may send separate tests to both workers)."""
    browsed = _browse(real_web, checkers, tmp_path)
    # nothing fails, nothing leaves the site
    assert browsed["failed"] == [] and browsed["console"] == [] and browsed["outside"] == []
    # navigation: start reading, next, previous, the contents sidebar, the skip link, headings in order
    assert browsed["firstPage"] == "figures.html"
    assert browsed["afterNext"] == "key-facts.html" and browsed["afterPrev"] == "figures.html"
    chapter = browsed["chapter"]
    assert chapter["current"] == "wider-purge.html" and chapter["sections"] >= 2
    assert chapter["skipLink"] == "#main"
    assert chapter["headings"][0] == 1 and all(b - a <= 1 for a, b in zip(chapter["headings"], chapter["headings"][1:]))
    assert browsed["menu"] == {"expanded": "true", "visible": True, "closed": True}
    # search by keyboard finds a name and a Cyrillic word
    assert "/wider-purge.html" in browsed["search"]["Yezhov"]
    # and under a page, the passages found, each linked to its section
    assert any("#" in h for h in browsed["search"]["Yezhov"]), browsed["search"]
    assert browsed["search"]["Ежов"] and "/register.html" in browsed["search"]["Ежов"]
    assert "/wider-purge.html" in browsed["search"]["Ežov"]          # a romanisation only the index knows
    assert browsed["search"]["tabbedTo"].endswith(".html")
    # a footnote opened and closed by keyboard at 390 px; beside its call at 1280 px
    note = browsed["footnote"]
    assert note["open"] and note["focusInPopup"] and note["text"]
    assert note["closed"] and note["focusBack"]
    side = browsed["sidenote"]
    assert chapter["sidenotes"] and abs(side["noteTop"] - side["refTop"]) < 40
    # a glossary definition on focus, the ¶ link and its citation, print page markers
    assert browsed["glossTip"] and ":" in browsed["glossTip"]
    link = browsed["paraLink"]
    assert link["clipboard"].endswith(f"#{link['id']} (ch. 7, ¶ 2)") and "ch. 7, ¶ 2" in link["status"]
    assert chapter["pageMarkers"] and all(m.startswith("p.") for m in chapter["pageMarkers"])
    # axe-core: no serious or critical WCAG 2.1 A/AA violation
    for page in ("opening", "chapter", "index", "search", "chapterDark"):
        assert browsed["axe"][page]["serious"] == [], (page, browsed["axe"][page])
    # nothing scrolls sideways at 390 px
    assert all(v <= 0 for v in browsed["sideways"].values()), browsed["sideways"]
    # the screenshots, left in the test's folder
    for name in ("opening-1280", "chapter-1280", "chapter-1280-dark", "chapter-390", "footnote-390",
                 "opening-390-dark", "search-1280"):
        png = tmp_path / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000, name


# ------------------------------------------------------------------ preview

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preview_shows_a_saved_edit_and_an_error_without_a_reload_by_the_test(tmp_path, checkers):
    book = make_book(tmp_path, chapters=2, paragraphs=2)
    port = _free_port()
    log = tmp_path / "preview.log"
    with open(log, "w") as stream:
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "preview", "--book", str(book),
                                   "--out", str(tmp_path / "out"), "--port", str(port)],
                                  cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "serving" not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "serving" in log.read_text(), log.read_text()
        page = f"http://127.0.0.1:{port}/ch-01.html"
        result = checkers.run(str(CHECKERS / "preview_edit.mjs"), page, str(book / "chapters" / "01.md"),
                              str(book / "book.yaml"), checkers.chromium, timeout=200)
        assert result.returncode == 0, result.stdout + result.stderr + log.read_text()
        data = json.loads(result.stdout)
        assert data["errors"] == [], (data, log.read_text())
        assert data["before"] is False and data["edit"]["shown"] and data["edit"]["loads"] >= 1
        assert "slug" in data["error"] and "book.yaml" in data["error"]
        assert data["recovered"]
        assert server.poll() is None                 # still serving after the error
        text = log.read_text()
        assert "book.yaml" in text and "ch-01.html" in text
    finally:
        server.terminate()
        server.wait(timeout=30)
