"""The web edition written: ``OUT/<slug>-web/``, its pages (markup/web_pages.py), the charts and
images the EPUB has, the cover, the book's fonts as WOFF2 subsets, the PDF and EPUB to download,
a sitemap, and Pagefind's search index, built over the finished pages.

A build writes the whole site into a new folder beside the old one and swaps it in only once it
is complete (search index too): a failed build leaves the last good site where it was. The
preview writes in place, and only the files whose bytes changed (``write_site(..., in_place=True)``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bookbuilder import cache, ids
from bookbuilder.core.model import Book
from bookbuilder.core.pagelist import PageList
from bookbuilder.errors import RenderError
from bookbuilder.markup.web_pages import PacketSite
from bookbuilder.process.turns import turn
from bookbuilder.run.fonts_ahead import fonts_turn

COVER_WIDTH = 480          # pixels: the cover on the opening page (twice its CSS width)
COVER_VERSION = "1"
PAGEFIND = "pagefind"      # the search bundle's folder in the site


def site_dir(out_dir: Path, book: Book) -> Path:
    return Path(out_dir) / f"{book.config.slug}-web"


def write_site(book: Book, target: Path, pages: PageList | None, in_place: bool = False,
               search: bool = True, packet_site: PacketSite | None = None, stem: str = "") -> list[str]:
    """Write the web edition of ``book`` into the folder ``target``; returns the files written
    (all of them, or in place only those that changed). ``pages``: the print edition's page list
    (None: no page markers). ``search``: build the search index (the preview builds it after
    the reload). ``packet_site``: a course packet's site, whose downloads are the packet's PDF
    and EPUB (``stem``: their file names' stem, beside ``target``)."""
    from bookbuilder.fonts import web_fonts
    from bookbuilder.markup.expand import chart_files, expand_notes
    from bookbuilder.markup.image_prep import image_files
    from bookbuilder.markup.templates import environment
    from bookbuilder.markup.web_pages import site_assets, sitemap, web_pages

    target = Path(target)
    expand_notes(book, environment())
    charts = chart_files(book, "epub")
    images = image_files(book, "epub")
    binaries: dict[str, Path] = {name: path for path, name in charts.values()}
    binaries |= {name: path for path, name in images.values()}
    cover, size = _cover(book)
    binaries["images/cover.png"] = cover
    downloads = {}
    stem = stem or book.config.slug
    for kind, name in (("pdf", f"{stem}.pdf"), ("epub", f"{stem}.epub")):
        made = target.parent / name
        if made.exists():
            binaries[f"downloads/{name}"] = made
            downloads[kind] = f"downloads/{name}"
        else:                                   # not built (yet): where the build puts it
            downloads[kind] = f"../{name}"
    texts = web_pages(book, charts, images, pages, downloads, ("images/cover.png", size), packet_site)
    fonts = []
    with turn(fonts_turn()):              # made by fonts_ahead's child, or here, once
        made_fonts = web_fonts(_all_text(texts))
    for face, path in made_fonts:
        name = f"fonts/{ids.slug(face.family)}-{face.weight.replace(' ', '-')}-{face.style}.woff2"
        binaries[name] = path
        fonts.append((face, name))
    texts |= site_assets(fonts)
    texts["sitemap.xml"] = sitemap(book, sorted(n for n in texts if n.endswith(".html") and n != "search.html"),
                                   "" if packet_site else None)
    if in_place and target.is_dir():
        changed = _update(target, texts, binaries)
        if search and changed:
            index_search(target)
        return changed
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for name, text in texts.items():
            _put(fresh / name, text.encode("utf-8"))
        for name, path in binaries.items():
            _copy(path, fresh / name)
        if search:
            index_search(fresh)
        os.chmod(fresh, 0o755)
        _swap(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return sorted(texts) + sorted(binaries)


def index_search(site: Path) -> None:
    """Pagefind's index over the site's pages (the text marked ``data-pagefind-body``)."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", PAGEFIND,
                             "--silent"], capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not (site / PAGEFIND / "pagefind.js").exists():
        raise RenderError(f"the search index was not built: {(result.stderr or result.stdout).strip()[:500]}",
                          hint="pip install 'pagefind[extended]'")


def _all_text(pages: dict[str, str]) -> str:
    from lxml import html
    return "".join(html.document_fromstring(doc).text_content() for name, doc in pages.items()
                   if name.endswith(".html"))


def _cover(book: Book) -> tuple[Path, tuple[int, int]]:
    """The EPUB's cover (markup/cover_art.py), scaled for the opening page; cached."""
    from PIL import Image

    from bookbuilder.markup.cover_art import draw_cover
    source = draw_cover(book.config)
    target = cache.path("web", f"cover-{cache.file_digest(source)}-{COVER_WIDTH}-{COVER_VERSION}.png")
    if not target.exists():
        with Image.open(source) as im:
            height = round(im.height * COVER_WIDTH / im.width)
            small = im.convert("RGB").resize((COVER_WIDTH, height), Image.LANCZOS)
            with cache.atomic_path(target) as tmp:
                small.save(tmp, format="PNG", optimize=True)
    with Image.open(target) as im:
        return target, im.size


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy(source: Path, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)


def _update(target: Path, texts: dict[str, str], binaries: dict[str, Path]) -> list[str]:
    """Write into the live site only what changed, each file atomically (the preview)."""
    changed = []
    for name, data in [(n, t.encode("utf-8")) for n, t in texts.items()] + [(n, p.read_bytes()) for n, p in binaries.items()]:
        path = target / name
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        with cache.atomic_path(path) as tmp:
            Path(tmp).write_bytes(data)
        changed.append(name)
    return changed


def _swap(fresh: Path, target: Path) -> None:
    """Put the complete new site where the old one was; the old one is removed after."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rename(target, old / "site")
    os.rename(fresh, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
