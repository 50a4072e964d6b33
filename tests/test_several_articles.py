"""Books of several articles (issue 23, item 5): `import A.txt B.txt --book D` makes one book,
chapters in sequence, one apparatus across them, each article attributed with its own address
and licence on the imprint, the cover and in the EPUB; a licence the article states is used."""

from __future__ import annotations

import re
import zipfile

import pypdf
import yaml

from conftest import ARTICLES, epubcheck, run_cli

from bookbuilder.run.build import build

CHEKA = ARTICLES / "mini" / "cheka-mini.txt"
REVOLUTION = ARTICLES / "mini" / "revolution-mini.txt"


def pdf_text(path, pages=None) -> str:
    reader = pypdf.PdfReader(path)
    chosen = reader.pages if pages is None else [reader.pages[i] for i in pages]
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in chosen).replace("‐ ", "").replace("-\n", ""))


def test_two_articles_make_one_book_with_every_output(tmp_path):
    book = tmp_path / "book"
    result = run_cli("import", str(CHEKA), str(REVOLUTION), "--book", str(book))
    assert result.returncode == 0, result.stderr
    # each warning names its own article
    assert "revolution-mini.txt:" in result.stderr and "cheka-mini.txt:" in result.stderr, result.stderr
    meta = yaml.safe_load((book / "book.yaml").read_text(encoding="utf-8"))
    assert [s["title"] for s in meta["sources"]] == ["Cheka", "French Revolution"]
    assert meta["sources"][1]["url"] == "https://en.wikipedia.org/wiki/French_Revolution"
    # the chapters in sequence, each article's lead under the article's title
    titles = [re.match(r"# (.+)", (book / c).read_text(encoding="utf-8")).group(1) for c in meta["chapters"]]
    assert titles[0] == "Cheka" and "French Revolution" in titles and "Introduction" not in titles
    # one apparatus across both: a Russian register and an index holding both articles' people
    index = {e["headword"] for e in yaml.safe_load((book / "index.yaml").read_text(encoding="utf-8"))}
    assert {"Dzerzhinsky, Felix", "Robespierre, Maximilien"} <= index

    out = tmp_path / "out"
    pdf, print_pdf, cover, epub, site = build(book, out, ("pdf", "print", "epub", "web"), quiet=True)
    imprint = pdf_text(pdf, range(6))
    for url in ("https://en.wikipedia.org/wiki/Cheka", "https://en.wikipedia.org/wiki/French_Revolution"):
        assert url in imprint.replace(" ", ""), imprint
        assert url in pdf_text(cover).replace(" ", "")
    assert "from the encyclopedia articles “Cheka” and “French Revolution”" in imprint
    code, report = epubcheck(epub)
    assert code == 0, report
    with zipfile.ZipFile(epub) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
    assert len(re.findall(r"<dc:source>", opf)) == 2 and "French_Revolution" in opf
    page = (site / "search.html").read_text(encoding="utf-8")            # every web page's footer
    footer = page[page.index("<footer"):]
    assert "wiki/Cheka" in footer and "wiki/French_Revolution" in footer, footer

    # a packet takes chapters from both articles
    last = len(meta["chapters"])
    packet = run_cli("packet", "--book", str(book), "--out", str(out), "--chapters", f"1, {last}",
                     "--title", "Two revolutions")
    assert packet.returncode == 0, packet.stderr
    text = pdf_text(next((out / "packets").glob("*.pdf")))
    assert "Cheka" in text and titles[-1] in text


def test_a_licence_the_article_states_is_the_books(tmp_path):
    article = tmp_path / "own.txt"
    article.write_text(REVOLUTION.read_text(encoding="utf-8").replace(
        "== References ==", "This text is licensed under the Creative Commons Attribution 4.0 International License.\n"
        "== References =="), encoding="utf-8")
    book = tmp_path / "book"
    assert run_cli("import", str(article), "--book", str(book)).returncode == 0
    meta = yaml.safe_load((book / "book.yaml").read_text(encoding="utf-8"))
    assert meta["licence"] == "CC BY 4.0" and meta["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert not any("states no licence" in n for n in meta["notes"])
    # an article that states none: Wikipedia's licence, said to be assumed
    other = tmp_path / "other"
    assert run_cli("import", str(REVOLUTION), "--book", str(other)).returncode == 0
    notes = yaml.safe_load((other / "book.yaml").read_text(encoding="utf-8"))["notes"]
    assert any("states no licence: CC BY-SA 4.0 is assumed" in n for n in notes)
    pdf = build(book, tmp_path / "out", ("pdf",), quiet=True)[0]
    imprint = pdf_text(pdf, range(6))
    assert "CC BY 4.0" in imprint and "same licence" not in imprint, imprint


def test_a_long_title_and_several_articles_fit_on_the_epub_cover(tmp_path):
    """The EPUB's drawn cover steps its title and attribution down in size until they fit: no
    letter touches the cover's edges (a two-article title once ran off the top)."""
    from PIL import Image

    from bookbuilder.core.config import load_config
    from bookbuilder.markup.cover_art import PAPER, draw_cover
    from test_small_books import make_book

    book = make_book(tmp_path)
    meta = book / "book.yaml"
    long = "Nikolai Ivanovich Bukharin and Collectivization in the Soviet Union"
    meta.write_text(meta.read_text(encoding="utf-8").replace("title: Small Book", f"title: {long}") + (
        "sources:\n"
        "- {title: Nikolai Ivanovich Bukharin, url: 'https://example.org/a'}\n"
        "- {title: Collectivization in the Soviet Union and the Famine of 1932 to 1933, url: 'https://example.org/b'}\n"),
        encoding="utf-8")
    with Image.open(draw_cover(load_config(book))) as cover:
        pixels = cover.convert("RGB")
        width, height = pixels.size
        paper = tuple(int(PAPER[i:i + 2], 16) for i in (1, 3, 5))
        edges = [(x, y) for x in range(0, width, 4) for y in (0, 1, height - 2, height - 1)]
        edges += [(x, y) for y in range(0, height, 4) for x in (0, 1, width - 2, width - 1)]
        assert all(pixels.getpixel(p) == paper for p in edges)
