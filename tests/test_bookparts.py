"""The reader's PDF laid out in parts and joined (layout/parts.py, layout/join.py).

What a reader and a screen reader get must be what one layout of the whole book gives:
the same pages, page numbers, links, bookmarks and structure tree; and the joined file's
tagged structure must hold together (every marked content and link found from the parent
tree, every named destination on a page of the file).
"""

from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pikepdf

from bookbuilder.run.build import build
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.layout.join import FOREIGN
from test_freshness import _indexed_book
from test_small_books import make_book

MCID = re.compile(rb"/MCID\s+(\d+)")


def structure_problems(path) -> list[str]:
    """What does not hold together in a tagged PDF's structure (empty: all holds)."""
    problems = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = list(root.ParentTree.Nums)
        parents = dict(zip((int(k) for k in nums[::2]), nums[1::2]))
        if int(root.get("/ParentTreeNextKey", 1 << 30)) <= max(parents, default=-1):
            problems.append("ParentTreeNextKey is not past the last key")
        names = list(pdf.Root.Names.Dests.Names)
        dests = dict(zip((str(n) for n in names[::2]), names[1::2]))
        if [str(n) for n in names[::2]] != sorted(str(n) for n in names[::2]):
            problems.append("named destinations not sorted")
        pages = {page.obj.objgen for page in pdf.pages}
        problems += [f"destination {n} is not on a page of the file" for n, d in dests.items()
                     if d[0].objgen not in pages]
        for number, page in enumerate(pdf.pages, 1):
            used = {int(m) for m in MCID.findall(_drawing(page))}
            if used:
                mapped = parents.get(int(page.obj.get("/StructParents", -1)))
                if mapped is None:
                    problems.append(f"page {number}: marked content but no parent-tree entry")
                    continue
                for mcid in used:
                    if mcid >= len(mapped) or mapped[mcid].get("/Type") != "/StructElem":
                        problems.append(f"page {number}: MCID {mcid} has no structure element")
                    elif mapped[mcid].get("/Pg") is not None and mapped[mcid].Pg.objgen != page.obj.objgen:
                        problems.append(f"page {number}: MCID {mcid} belongs to another page's element")
            for annot in page.obj.get("/Annots", []):
                if "/A" in annot and str(annot.A.get("/URI", "")).startswith(FOREIGN):
                    problems.append(f"page {number}: a link left pointing to another part")
                if "/Dest" in annot and str(annot.Dest) not in dests:
                    problems.append(f"page {number}: a link to a missing destination {annot.Dest}")
                owner = parents.get(int(annot.get("/StructParent", -1)))
                if owner is None or not _within_link(owner):
                    problems.append(f"page {number}: a link outside any Link element")
                elif not any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None
                             and k.Obj.objgen == annot.objgen for k in _kids(owner)):
                    problems.append(f"page {number}: a link's element not pointing back to it")
        seen = Counter()

        def walk(element, parent):
            seen[str(element.S)] += 1
            if element.P.objgen != parent.objgen:
                problems.append(f"{element.S} element: /P is not its parent")
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", "/StructElem") == "/StructElem" \
                        and "/S" in kid:
                    walk(kid, element)

        for top in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
            walk(top, root)
        if seen["/Document"] != 1:
            problems.append(f"{seen['/Document']} Document elements")
    return problems


def pixels(path) -> list[bytes]:
    """Each page drawn (pdfium, 72 dpi), as a reader's screen shows it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return [page.render(scale=1).to_pil().convert("L").tobytes() for page in document]
    finally:
        document.close()


def assert_joined_is_whole(joined, whole) -> dict:
    """A PDF joined from parts against WeasyPrint's PDF of the same edition laid out at once:
    the same text, pages drawn (the folios laid over the pages too), links, bookmarks and
    structure, and a structure that holds together. Returns the joined PDF's facts."""
    parts, one = pdf_facts(joined), pdf_facts(whole)
    assert parts["texts"] == one["texts"]
    assert pixels(joined) == pixels(whole)
    assert parts["links"] == one["links"]
    assert parts["bookmarks"] == one["bookmarks"]
    assert parts["structure"] == one["structure"]
    assert structure_problems(joined) == []
    return parts


def _drawing(page) -> bytes:
    """A page's content streams, one after another."""
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    return b"\n".join(stream.read_bytes() for stream in streams)


def _kids(element) -> list:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []


def _within_link(element) -> bool:
    """The element is a Link or lies in one (WeasyPrint sets a link's pieces in Spans in it)."""
    while isinstance(element, pikepdf.Dictionary) and element.get("/Type") != "/StructTreeRoot":
        if element.get("/S") == "/Link":
            return True
        element = element.get("/P")
    return False


def pdf_facts(path) -> dict:
    """What a reader sees and follows: each page's text, each link's page and target page,
    the bookmarks, and the structure elements by kind."""
    with pdfplumber.open(path) as doc:
        texts = [page.extract_text() or "" for page in doc.pages]
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        names = list(pdf.Root.Names.Dests.Names)
        dests = {str(n): index[d[0].objgen] for n, d in zip(names[::2], names[1::2])}
        links = [(i, str(a.Dest) if "/Dest" in a else str(a.A.URI), dests.get(str(a.get("/Dest", ""))))
                 for i, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", [])]

        def outline(item, depth=0):
            while item is not None:
                yield depth, str(item.Title), index[item.Dest[0].objgen]
                yield from outline(item.get("/First"), depth + 1)
                item = item.get("/Next")
        bookmarks = list(outline(pdf.Root.Outlines.First))
        kinds = Counter()

        def walk(element):
            kinds[str(element.S)] += 1
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid)
        walk(pdf.Root.StructTreeRoot.K[0])
    return {"texts": texts, "links": links, "bookmarks": bookmarks, "structure": kinds}


def _laid_out_here(monkeypatch, pattern: str = r'<section class="(?:chapter|back-matter)[^"]*" id="([^"]+)"') -> list:
    """The ids of the divisions this process lays out from now on (each render's sections)."""
    from bookbuilder.layout import engine

    found = []
    real_render = engine.render
    monkeypatch.setattr(engine, "render", lambda source, root: found.append(
        re.findall(pattern, source)) or real_render(source, root))
    return found


def _without_and_with_a_worker(book_dir, tmp_path, monkeypatch):
    """(the PDF a cold build without a worker makes, the one with a worker, what this process
    laid out in the second)."""
    from bookbuilder.layout import chapter_worker
    from bookbuilder import cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setattr(chapter_worker, "MIN_CHAPTERS_APART", 99)
    monkeypatch.setattr(cache, "_override", (tmp_path / "alone").resolve())
    (alone,) = build(book_dir, tmp_path / "out-alone", ("pdf",), quiet=True)
    monkeypatch.setattr(chapter_worker, "MIN_CHAPTERS_APART", 2)
    monkeypatch.setattr(cache, "_override", (tmp_path / "apart").resolve())
    laid_out = _laid_out_here(monkeypatch)
    (apart,) = build(book_dir, tmp_path / "out-apart", ("pdf",), quiet=True)
    return alone, apart, {i for ids in laid_out for i in ids}


def test_the_real_book_s_joined_pdf_holds_together(real_book):
    assert structure_problems(real_book.pdf) == []


def test_the_join_is_what_one_layout_of_the_whole_book_gives(tmp_path, monkeypatch):
    """A small book with an index, a glossary-free back matter and notes: joined parts
    against WeasyPrint's own PDF of the whole book laid out at once (the reference layout)."""
    from bookbuilder.layout.engine import write_tagged
    from bookbuilder.layout.reference import final_layout

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book_dir = _indexed_book(tmp_path)
    chapter = book_dir / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "More text.", "More text.[^n]\n\n[^n]: A note at the foot of the page.\n"), encoding="utf-8")
    (joined,) = build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    book = enrich(read_book(book_dir))
    document, _, _ = final_layout(book)
    whole = write_tagged(book, document, tmp_path / "whole.pdf")
    parts = assert_joined_is_whole(joined, whole)
    assert any("Zanzibar" in t and re.search(r"\b1, 5\b|\b\d+, \d+\b", t) for t in parts["texts"][-2:])


def test_an_edit_lays_out_its_chapter_alone_and_gives_the_bytes_of_a_cold_build(tmp_path, monkeypatch):
    from bookbuilder import cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book_dir = make_book(tmp_path, chapters=3, paragraphs=3)
    monkeypatch.setattr(cache, "_override", (tmp_path / "warm").resolve())
    build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    before = set(cache.path("parts").iterdir())
    chapter = book_dir / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Paragraph 1 of chapter 2.", "Paragraph 1 of chapter 2, edited."), encoding="utf-8")
    laid_out = _laid_out_here(monkeypatch)
    (warm,) = build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    assert laid_out == [["ch-02"]], laid_out                            # chapter 2, alone
    after = set(cache.path("parts").iterdir())
    assert len(after - before) == len(before - after) == 2    # its PDF and page map, replaced
    monkeypatch.setattr(cache, "_override", (tmp_path / "cold").resolve())
    (cold,) = build(book_dir, tmp_path / "out-cold", ("pdf",), quiet=True)
    assert warm.read_bytes() == cold.read_bytes()
    with pdfplumber.open(warm) as doc:
        assert any("chapter 2, edited" in (p.extract_text() or "") for p in doc.pages)


def test_a_part_that_grows_moves_the_folios_and_numbers_after_it(tmp_path, monkeypatch):
    """Chapter 1 grows by pages: the chapters after it are not laid out again, but keep
    opening on rectos, and their folios and the index's numbers follow, as a cold build
    gives them."""
    from bookbuilder import cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    book_dir = _indexed_book(tmp_path)
    monkeypatch.setattr(cache, "_override", (tmp_path / "warm").resolve())
    build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    chapter = book_dir / "chapters" / "01.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "More text.", "More text.\n\n" + "\n\n".join(["A new paragraph of lorem ipsum dolor sit amet. " * 12] * 8)),
        encoding="utf-8")
    laid_out = _laid_out_here(monkeypatch, r'<section class="chapter[^"]*" id="([^"]+)"')
    (warm,) = build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    assert {c for chapters in laid_out for c in chapters} == {"ch-01"}, laid_out
    monkeypatch.setattr(cache, "_override", (tmp_path / "cold").resolve())
    (cold,) = build(book_dir, tmp_path / "out-cold", ("pdf",), quiet=True)
    assert warm.read_bytes() == cold.read_bytes()
    with pdfplumber.open(warm) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    openers = [i for i, t in enumerate(texts) if re.match(r"Chapter \d+\s*\nChapter Title \d+", t)]
    assert len(openers) == 3 and all(i % 2 == 0 for i in openers), openers
    first = openers[0]                       # folio 1; the folio stands alone on the page's last line
    assert [texts[i].splitlines()[-1] for i in openers] == [str(i - first + 1) for i in openers]
    assert structure_problems(warm) == []


def test_a_cold_build_lays_later_chapters_out_in_a_child_with_the_same_bytes(tmp_path, monkeypatch):
    """Four chapters to lay out: the child takes the later ones (this process lays out the
    others and meets none of them), and the PDF is the one a build without a child makes."""
    alone, apart, here = _without_and_with_a_worker(make_book(tmp_path, chapters=4, paragraphs=3),
                                                     tmp_path, monkeypatch)
    assert "ch-01" in here and "ch-04" not in here, here
    assert apart.read_bytes() == alone.read_bytes()


def test_chapters_a_child_did_not_lay_out_are_laid_out_here(tmp_path, monkeypatch):
    """A child that fails (it answers an error and ends) leaves its chapters to this process:
    the book is whole, every chapter laid out here."""
    from bookbuilder.layout import chapter_worker
    from bookbuilder import cache

    book_dir = make_book(tmp_path, chapters=4, paragraphs=2)
    monkeypatch.setattr(chapter_worker, "MIN_CHAPTERS_APART", 2)
    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    # the forked child runs this process's code: here, a bug met at once
    monkeypatch.setattr(chapter_worker, "lay_out_chapters",
                        lambda book, lay_out_one, requests, answers: answers.write('{"error": "a bug"}\n'))
    laid_out = _laid_out_here(monkeypatch)
    (pdf,) = build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    assert {"ch-01", "ch-02", "ch-03", "ch-04"} <= {i for ids in laid_out for i in ids}
    with pdfplumber.open(pdf) as doc:
        assert any("Paragraph 1 of chapter 4" in (p.extract_text() or "") for p in doc.pages)


def test_a_child_that_dies_leaves_its_chapters_here(tmp_path, monkeypatch):
    """A child killed mid-way (out of memory, a signal) answers nothing more: the build does
    not wait for it, and lays its chapters out itself."""
    import os
    import signal

    from bookbuilder.layout import chapter_worker
    from bookbuilder import cache

    book_dir = make_book(tmp_path, chapters=4, paragraphs=2)
    monkeypatch.setattr(chapter_worker, "MIN_CHAPTERS_APART", 2)
    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    monkeypatch.setattr(chapter_worker, "lay_out_chapters",
                        lambda book, lay_out_one, requests, answers: os.kill(os.getpid(), signal.SIGKILL))
    (pdf,) = build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
    with pdfplumber.open(pdf) as doc:
        text = " ".join(p.extract_text() or "" for p in doc.pages)
    assert all(f"Paragraph 1 of chapter {n}" in text for n in range(1, 5))


def test_the_index_laid_out_by_the_worker_is_used_when_it_prints_the_whole_book_s_numbers(tmp_path, monkeypatch):
    """A cold build with a glossary and an index: the worker lays out the longer of them from
    the page numbers known then, and the book is what a build without a worker makes."""
    book_dir = _indexed_book(tmp_path)
    (book_dir / "index.yaml").write_text(
        '- headword: "Zanzibar"\n  match: ["Zanzibar"]\n- headword: "Lorem"\n  match: ["Lorem"]\n'
        '- headword: "chapter"\n  match: ["chapter"]\n', encoding="utf-8")
    (book_dir / "glossary.yaml").write_text(
        '- headword: ipsum\n  definition: A word of the filler text.\n  match: [ipsum]\n', encoding="utf-8")
    alone, apart, here = _without_and_with_a_worker(book_dir, tmp_path, monkeypatch)
    assert "glossary" in here and "index" not in here, here
    assert apart.read_bytes() == alone.read_bytes()
    with pdfplumber.open(apart) as doc:
        assert re.search(r"Zanzibar, \d+, \d+", doc.pages[-1].extract_text() or "")


def test_a_warning_met_reading_the_book_is_said_once_with_a_worker_beside(tmp_path):
    from conftest import run_cli

    book_dir = make_book(tmp_path, chapters=5, paragraphs=3)
    chapter = book_dir / "chapters" / "05.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![A picture](missing.png)\n", encoding="utf-8")
    done = run_cli("pdf", "--book", str(book_dir), "--out", str(tmp_path / "out"),
                   "--cache-dir", str(tmp_path / "cache"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("image file 'missing.png' not found") == 1, done.stderr


def test_two_builds_of_one_book_take_turns(tmp_path, monkeypatch):
    """While one build holds the book's turn, another waits for it before laying out or
    letting go of any part."""
    import threading

    from bookbuilder import cache
    from bookbuilder.core.config import load_config
    from bookbuilder.core.editions import reader_edition
    from bookbuilder.layout.parts import book_turn

    book_dir = make_book(tmp_path, chapters=1, paragraphs=1)
    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    done = threading.Event()
    with book_turn(book_dir, reader_edition(load_config(book_dir))):
        other = threading.Thread(target=lambda: build(book_dir, tmp_path / "out", ("pdf",), quiet=True)
                                 and done.set())
        other.start()
        assert not done.wait(6), "the other build did not wait for its turn"
    other.join(120)
    assert done.is_set()


def test_style_sheets_parsed_once_lay_out_what_the_document_s_own_do(tmp_path, monkeypatch):
    """engine.render gives WeasyPrint the print HTML's style sheets parsed once a process (user
    style sheets, one font set-up): a small book with notes, an index and folios laid out so
    twice, and with the sheets left in the document, draws the same pages. Notices a
    WeasyPrint release that treats the two differently."""
    from bookbuilder import cache
    from bookbuilder.layout.engine import render
    from bookbuilder.markup.print_html import print_html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    book = enrich(read_book(_indexed_book(tmp_path)))
    source = print_html(book)
    drawn = []
    for shared in (True, True, False):
        target = tmp_path / f"{len(drawn)}.pdf"
        render(source, book.config.root, shared_styles=shared).write_pdf(target)
        drawn.append(pixels(target))
    assert len(drawn[0]) > 3
    assert drawn[0] == drawn[1] == drawn[2]


def test_a_note_set_apart_is_reported_with_the_folios_of_the_book(tmp_path, monkeypatch):
    """A chapter is laid out alone, but a note its repairs could not bring to its call's page
    is reported with the folios of the joined book, and on every build that joins the part
    (one from the cache too), not only when it is laid out. The note is set apart by hand
    here: WeasyPrint's own layout of this small book keeps it at its call."""
    import logging

    from bookbuilder.layout import parts as bookparts
    from bookbuilder import cache
    from bookbuilder import ids
    from bookbuilder.core.editions import reader_edition

    monkeypatch.setattr(cache, "_override", (tmp_path / "cache").resolve())
    book_dir = make_book(tmp_path, chapters=3, paragraphs=14)
    chapter = book_dir / "chapters" / "02.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Paragraph 1 of chapter 2.", "Paragraph 1 of chapter 2.[^n]\n\n[^n]: A note.\n"), encoding="utf-8")
    book = enrich(read_book(book_dir))
    laid = bookparts.lay_out_book(book, reader_edition(book.config))
    part = next(p for p in laid.parts if p and p.part.name == "ch-02")
    note = book.chapters[1].notes[0]
    call = part.page_of[ids.note_call(note.id)]
    assert part.page_of[note.id] == call and part.pages > call + 1
    part.page_of[note.id] = call + 1
    said = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    logging.getLogger("bookbuilder").addHandler(handler)
    try:
        bookparts._say_misplaced_notes(book, laid)
    finally:
        logging.getLogger("bookbuilder").removeHandler(handler)
    folio = int(laid.page_map.folio(ids.note_call(note.id)))
    assert folio > 1                                    # chapter 2 does not open the book
    assert said == [f"{chapter}: note 1 of 'Chapter Title 2' is on page {folio + 1}, its call on page {folio}"]


def test_a_forked_child_makes_its_own_font_set_up():
    """A child forked after this process has laid something out (a watcher's second build, a
    test's) gets a font set-up of its own: sharing WeasyPrint's folder of @font-face fonts, two
    processes rewrote a font file the other had mapped, and one died of SIGBUS."""
    import os

    from bookbuilder.layout import engine

    parent = engine._font_config()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                # the child: answer, and leave at once
        try:
            os.write(write, b"own" if engine._font_config() is not parent else b"shared")
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 16) == b"own"
    assert engine._font_config() is parent
