"""An edition's PDF (the reader's, a course packet's), laid out part by part and joined.

The book is laid out in parts: the opening (half-title, title page, imprint, contents and
the front matter), each chapter, and each back matter division. Every chapter and back
matter division opens on a recto, and a chapter's pages depend only on its own text: so
each part is laid out alone, written as a tagged PDF and kept in the cache under a hash of
its print HTML. A rebuild lays out only the parts whose HTML changed: the edited chapter,
and the contents, glossary, register or index when page numbers they print moved.
join.py joins the parts' PDFs.

A chapter or back matter division is laid out without its folios, so that where it stands
does not change its pages: a chapter that grows by a page moves the folios of the parts
after it, not their layouts. Those folios are laid out apart, one page each
(print/folios.html.j2, with the book's @page rules), and the join lays each over its page.

Each part finds its own layout repairs (notes set apart from their call, figures moved,
paragraphs respaced: repairs.py, placement.py, note_repairs.py) as reference.py does for a whole book, and they
are remembered per division, as there. Links to another part are written as ``x-part:``
URIs, which the join turns into links to that part's named destination.

Page numbers of other parts (the contents' and the list of figures' numbers, the glossary's,
register's and index's locators) come from the page map composed of the parts
(core/pagemap.PageMap): the parts that print none are laid out first (the chapters, a
bibliography), then the opening and the generated back matter, again until the numbers
each prints are those of the join. On a cold build a child process (ChapterWorker) lays out
the later chapters and the index beside this one.

A course packet's chapters follow each other on the next page, whichever side it is: its
parts are laid out in order, each on the side it follows on (``Part.side``), and the folio
sheet starts on the side of folio 1 (a verso, after the packet's cover).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html
from markupsafe import Markup

from bookbuilder import cache
from bookbuilder.core import pagelist
from bookbuilder.core.editions import Edition, reader_edition
from bookbuilder.core.model import Book
from bookbuilder.core.pagemap import PageMap, roman
from bookbuilder.errors import RenderError
from bookbuilder.layout import engine, join, page_starts, placement, repairs
from bookbuilder.layout.chapter_worker import ChapterWorker, later_chapters
from bookbuilder.layout.note_repairs import keep_notes_with_calls, misplaced
from bookbuilder.markup.print_html import print_html, print_stylesheet, refers_to_pages, unmoved_print_html
from bookbuilder.markup.templates import environment
from bookbuilder.process import memory, turns

log = logging.getLogger("bookbuilder")

MAX_ROUNDS = 3          # layouts of the opening and back matter until their numbers hold
VERSION = "parts-2"     # in every part's key: bump when what a part's files hold changes
PARTS = "parts"         # its last page map is kept apart from the reference layout's (repairs.last_page_map)


@dataclass(frozen=True)
class Part:
    """A run of the book laid out alone."""
    name: str                           # "opening", "front", or the id of its one division
    division_ids: tuple[str, ...]
    opening: bool = False               # holds the half-title, title page, imprint and contents
    first_folio: int | None = None      # the page counter on its first page; None: folios set apart
    roman: bool = False                 # numbered in roman (the opening and the front matter)
    side: str = "right"                 # of its first page: "left" when it follows a part on a recto


@dataclass
class LaidPart:
    """A part laid out: its tagged PDF in the cache and what the join needs of its layout."""
    part: Part
    pdf: Path
    page_of: dict[str, int]             # element id -> page index within the part
    pages: int
    markers: list[dict]                 # its pages' markers for the EPUB, labelled by page index
    source: str                         # the print HTML it was laid out from
    first_folio: int = 1                # where it stands in the book (set by _compose when apart)
    unwritten: object = None            # its layout, while its files wait to be written (_write)

    @property
    def folios(self) -> list[str]:
        return _numbers(self.part, self.first_folio, self.pages)


def _numbers(part: Part, first: int, count: int) -> list[str]:
    """The folios of ``count`` pages from ``first``: roman in the opening and front matter."""
    number = roman if part.roman else str
    return [number(first + i) for i in range(count)]


@dataclass
class LaidBook:
    parts: list[LaidPart | None]        # None: a blank page, so that the next part opens on a recto
    page_map: PageMap
    markers: list[pagelist.PageMarker]
    folios_over: dict[int, int]         # page index in the book -> its page in the folio sheet


def write_book_pdf(book: Book, target: Path, edition: Edition, worker: ChapterWorker | None = None) -> Path:
    """Lay the book out in parts (reusing every part whose HTML is unchanged) and join them.
    Two builds of one book (a watcher and a build by hand) take turns: one would otherwise
    let go of parts the other is about to join."""
    with book_turn(book.config.root, edition):
        laid = lay_out_book(book, edition, worker)
        _say_misplaced_notes(book, laid)
        sheet = _folio_sheet(book, edition, max(laid.folios_over.values(), default=-1) + 1,
                             _side_of_first_folio(laid.folios_over))
        join.join([p.pdf if p else None for p in laid.parts], target,
                     overlays={page: (sheet, at) for page, at in laid.folios_over.items()})
        pagelist.store(book, pagelist.PageList(pagelist.edition_name(book, edition), tuple(laid.markers)),
                       unmoved_print_html(book, edition))
        _keep_only(book, edition, [f for p in laid.parts if p for f in _files(p.part, p.source)] + [sheet])
    return target


def _say_misplaced_notes(book: Book, laid: LaidBook) -> None:
    """A warning for each note still on another page than its call, with the folios the
    reader sees (a part laid out alone knows only its own pages), on every build that joins
    the part: one from the cache, or laid out by the worker, too."""
    for part in laid.parts:
        if part is not None:
            for _, problem in misplaced(_alone(book, part.part), PageMap(part.page_of, part.folios)):
                log.warning(problem)




def _keep_only(book: Book, edition: Edition, used: list[Path | None]) -> None:
    """Let go of the parts the book's last build used and this one does not (an edit replaces
    its chapter's part): the cache keeps one generation of a book's parts, not every version
    an editor saved. Keyed by the book's folder and edition alone, so that even a new version
    of the builder clears what the last one left."""
    record = used_record(book.config.root, edition)
    now = sorted(str(f) for f in used if f)
    for old in set(cache.read_json(record, [])) - set(now):
        Path(old).unlink(missing_ok=True)
    cache.write_json(record, now)


def book_turn(book_dir: Path, edition: Edition):
    """The book's turn (process/turns.py), for a ``with``: a lock beside its record of parts."""
    return turns.turn(used_record(book_dir, edition).with_suffix(".lock"))


def used_record(book_dir: Path, edition: Edition) -> Path:
    where = hashlib.sha256(f"{Path(book_dir).resolve()}\0{edition.slug}".encode()).hexdigest()[:20]
    return cache.path("layout", f"parts-used-{where}.json")


def early_worker(book: Book, edition: Edition) -> ChapterWorker:
    """A chapter worker started as soon as the book is read, when the book's last parts are
    not all in the cache (a first build, or a cleaned cache): it lays out beside this
    process from then on (told what later, by lay_out_book)."""
    record = cache.read_json(used_record(book.config.root, edition))
    warm = record and all(Path(f).exists() for f in record)
    return ChapterWorker(None if warm else book, lay_out_chapter)


def lay_out_book(book: Book, edition: Edition, worker: ChapterWorker | None = None) -> LaidBook:
    """Every part, from the cache or laid out; ``worker``: a chapter worker started before the
    book was read (early_worker), else one is started here when it pays.

    The parts whose pages print no page number of another part come first: the chapters and
    the back matter from the manuscript (a bibliography). Then the opening and the generated
    back matter (glossary, register, index), each laid out with the page map of what comes
    before it, again until each prints the numbers of the whole book."""
    if not edition.openers_on_rectos:
        return _lay_out_in_order(book, edition)
    body = [d for d in book.divisions if d.kind == "chapter" or (d.kind == "back" and not d.generated)]
    # a division holding cross-references prints pages of the book (markup/crossrefs.py): it is
    # laid out first with the last build's page map, then again with the book's (_numbered)
    last = repairs.last_page_map(book, edition, PARTS) or PageMap.empty()
    cached, looked_up = _found(book, body, edition, last)
    todo = [d for d in body if d.id not in cached]
    laid_body = {}
    with worker or ChapterWorker.beside(book, todo, lay_out_chapter) as worker:
        referring = _referring(book)
        apart = [i for i in later_chapters(todo) if i not in referring]
        worker.expect(apart)
        handed = set(apart) if worker.child is not None else set()
        for division in body:
            worker.wait_for(division.id)        # it lays the part out into the cache, or gives up
            # a part handed to the worker is keyed by the repairs it found: looked up again
            laid_body[division.id] = cached.get(division.id) or lay_out_chapter(
                book, division.id, edition, last,
                looked_up=None if division.id in handed else looked_up.get(division.id))
        return _numbered(book, edition, laid_body, worker)


def _referring(book: Book) -> set[str]:
    """The divisions whose print HTML holds page numbers of the book: cross-references that
    print a page ("Figure 7.1 (p. 24)", "on the facing page")."""
    return {d.id for d in book.divisions if not d.generated and refers_to_pages(d)}


def _numbered(book: Book, edition: Edition, laid_body: dict[str, "LaidPart"], worker: ChapterWorker) -> LaidBook:
    """The opening and the generated back matter, laid out around the body's parts until the
    page numbers they print are those of the whole book. The longest generated division (the
    index) goes to the worker, laid out from the last page numbers known, while this process
    lays out the others: kept by its print HTML, it is used only if it prints the same."""
    referring = _referring(book)
    chapters = [laid_body[d.id] for d in book.chapters]
    generated = [d for d in book.back if d.generated]
    front_ids = tuple(d.id for d in book.front)
    # the contents' numbers: the last join's, or at first the chapters' (the back matter's follow)
    guess = repairs.last_page_map(book, edition, PARTS) or _compose(chapters).page_map
    aside = max(generated, key=lambda d: _generated_size(book, d)) if len(generated) > 1 else None
    for round_ in range(MAX_ROUNDS):
        if referring:           # their pages' words from the book's page map, as the contents'
            for division_id in referring:
                laid_body[division_id] = _lay_out(book, Part(division_id, (division_id,)), guess, edition)
            chapters = [laid_body[d.id] for d in book.chapters]
        # the contents, apart from the front matter: what a cold build lays out twice is short
        # written once its numbers are the book's: a cold build lays it out again
        opening = _lay_out(book, Part("opening", (), opening=True, first_folio=1, roman=True), guess, edition,
                           write=False)
        front = [_lay_out(book, Part("front", front_ids, first_folio=opening.pages + opening.pages % 2 + 1,
                                     roman=True), guess, edition)] if front_ids else []
        if aside is not None:
            worker.also(aside.id, _compose([opening, *front, *chapters], tail=guess).page_map)
        parts = [opening, *front, *chapters]
        for division in book.back:
            if not division.generated:
                parts.append(laid_body[division.id])
                continue
            if division is aside:
                worker.wait_for(division.id)
            parts.append(_lay_out(book, Part(division.id, (division.id,)),
                                  _compose(parts, tail=guess).page_map, edition))
        laid = _compose(parts)
        numbered = [opening, *front] + [p for p in parts if p.part.name in {d.id for d in generated}]
        referred = [p for p in parts if p.part.name in referring]
        if _numbers_hold(book, edition, laid, numbered + referred):
            _write(book, opening)
            return laid
        if round_ == MAX_ROUNDS - 1 and _numbers_hold(book, edition, laid, numbered):
            # a reference's words that move its own target (varioref's loop): kept as laid out
            log.warning("the page words of cross-references in " + ", ".join(sorted(
                p.part.name for p in referred if _html(book, p.part, laid.page_map, edition) != p.source))
                + f" did not settle in {MAX_ROUNDS} layouts: they may be a page out (reword near the reference)")
            _write(book, opening)
            return laid
        guess, aside, opening = laid.page_map, None, None
    raise _unsettled()


def _lay_out_in_order(book: Book, edition: Edition) -> LaidBook:
    """An edition whose divisions follow each other on the next page (a course packet): the
    side a part opens on depends on the pages before it, so the parts are laid out in order,
    each on its side (kept in the cache by side and HTML), the generated back matter with the
    page map of what precedes it; then the opening again, until the numbers its contents print
    are those of the whole (a packet's opening is a page: its numbers do not move the rest)."""
    guess = repairs.last_page_map(book, edition, PARTS) or PageMap.empty()
    for _ in range(MAX_ROUNDS):
        parts = [_lay_out(book, Part("opening", (), opening=True, first_folio=1, roman=True), guess, edition)]
        referring = _referring(book)
        for division in book.divisions:
            side = "right" if sum(p.pages for p in parts) % 2 == 0 else "left"
            page_map = (_compose(parts, tail=guess, rectos=False).page_map if division.generated
                        else guess if division.id in referring else PageMap.empty())
            parts.append(_lay_out(book, Part(division.id, (division.id,), side=side), page_map, edition))
        laid = _compose(parts, rectos=False)
        numbered = [parts[0]] + [p for p, d in zip(parts[1:], book.divisions) if d.generated or d.id in referring]
        if _numbers_hold(book, edition, laid, numbered):
            return laid
        guess = laid.page_map
    raise _unsettled()


def _numbers_hold(book: Book, edition: Edition, laid: LaidBook, numbered: list[LaidPart]) -> bool:
    """Whether the parts that print page numbers print those of ``laid``; if so, its page map
    is kept as the next build's first guess."""
    if not all(_html(book, p.part, laid.page_map, edition) == p.source for p in numbered):
        return False
    repairs.keep_last_page_map(book, edition, PARTS, laid.page_map)
    return True


def _unsettled() -> RenderError:
    return RenderError("the page numbers of the contents and back matter do not settle",
                       hint=f"they changed in each of {MAX_ROUNDS} layouts")


def _generated_size(book: Book, division) -> int:
    """About how long a generated division is: the entries it lists (the index's, the glossary's...)."""
    return {"index": len(book.index), "glossary": len(book.glossary), "register": len(book.register)}.get(
        division.role, 0)


def lay_out_chapter(book: Book, division_id: str, edition: Edition | None = None,
                    page_map: PageMap | None = None, looked_up: tuple | None = None) -> LaidPart:
    """One division alone (a chapter, or the back matter's), from the cache or laid out into
    it (also what a chapter worker does); ``page_map``: the page numbers it prints;
    ``looked_up``: what ``_found`` found of it."""
    edition = edition or reader_edition(book.config)
    return _lay_out(book, Part(division_id, (division_id,)), page_map or PageMap.empty(), edition, looked_up)


def _found(book: Book, divisions: list, edition: Edition,
           page_map: PageMap | None = None) -> tuple[dict[str, LaidPart], dict[str, tuple]]:
    """Those of the divisions whose parts the cache holds, and what was looked up of the
    others (``_lookup``), so that laying them out need not make their HTML again."""
    found, looked_up = {}, {}
    for division in divisions:
        hit, known, moves, source = _lookup(book, Part(division.id, (division.id,)), page_map or PageMap.empty(),
                                            edition)
        if hit:
            found[division.id] = hit
        else:
            looked_up[division.id] = (known, moves, source)
    return found, looked_up


def _folio_sheet(book: Book, edition: Edition, count: int, first_side: str = "right") -> Path | None:
    """The chapters' folios 1 to ``count``, one a page, the first on ``first_side`` (each on
    the side of the page it is laid over), laid out and kept by their HTML."""
    if not count:
        return None
    source = environment().get_template("print/folios.html.j2").render(
        css=Markup(print_stylesheet(book, edition)), first=1, count=count, meta=book.config,
        first_side=first_side)
    target = cache.path("parts", f"folios-{cache.key(VERSION, source, length=24)}.pdf")
    if not target.exists():
        with cache.atomic_path(target) as tmp:
            engine.render(source, book.config.root).write_pdf(tmp, pdf_identifier=book.config.identifier.encode())
    return target


def _side_of_first_folio(folios_over: dict[int, int]) -> str:
    """The side of the page folio 1 is laid over: a recto in a book, whose chapters open on
    rectos, a verso in a packet, whose first chapter follows its cover."""
    sides = {(page - at) % 2 for page, at in folios_over.items()}
    if len(sides) > 1:
        raise RenderError("the folios laid apart do not keep to one side of the page",
                          hint="a bookbuilder bug: parts must open on the side they were laid out on")
    return "left" if sides == {1} else "right"


def _alone(book: Book, part: Part) -> Book:
    """The book holding only the part's divisions: what its repairs are found and kept for."""
    return dataclasses.replace(book, divisions=[d for d in book.divisions if d.id in part.division_ids])






def _compose(parts: list[LaidPart | None], tail: PageMap | None = None, rectos: bool = True) -> LaidBook:
    """The parts in order, a blank page before any that would open on a verso (``rectos``;
    else each follows on the next page, laid out on its side), and the page map, page markers
    and folio overlays of the whole; ``tail``: a page map whose pages past these parts stand
    for the parts not laid out yet."""
    laid: list[LaidPart | None] = []
    page_of: dict[str, int] = {}
    folios: list[str] = []
    markers: list[pagelist.PageMarker] = []
    over: dict[int, int] = {}
    for part in parts:
        if part is None:
            continue
        blank = None
        if rectos and len(folios) % 2:
            laid.append(None)
            blank = _blank_folio(folios)
            folios.append(blank)
        if part.part.first_folio is None:       # its folios are where it stands (laid over it)
            part.first_folio = int(folios[-1]) + 1 if folios and folios[-1].isdigit() else 1
        start, own = len(folios), part.folios
        for element_id, index in part.page_of.items():
            page_of.setdefault(element_id, start + index)
        mine = [dataclasses.replace(pagelist.PageMarker(**m), label=own[int(m["label"])]) for m in part.markers]
        if blank and mine:          # a blank verso is marked where the next page begins
            markers.append(dataclasses.replace(mine[0], label=blank))
        markers += mine
        if part.part.first_folio is None:
            over |= {start + i: part.first_folio + i - 1 for i in range(part.pages)}
        folios += own
        laid.append(part)
    if tail is not None:
        page_of |= {k: i for k, i in tail.page_of.items() if i >= len(folios) and k not in page_of}
        folios += tail.folios[len(folios):]
    return LaidBook(laid, PageMap(page_of, folios), markers, over)


def _blank_folio(folios: list[str]) -> str:
    last = folios[-1]
    return str(int(last) + 1) if last.isdigit() else roman(len(folios) + 1)


# ------------------------------------------------------------------ one part

def _html(book: Book, part: Part, page_map: PageMap, edition: Edition,
          notes: frozenset | None = None) -> str:
    """The part's print HTML (made from the whole book: the contents list every division),
    its links to other parts made ``x-part:`` URIs."""
    if notes is None:
        notes = frozenset(repairs.recall(_alone(book, part), edition).notes)
    source = print_html(book, page_map, notes, edition=edition, part=part)
    return _foreign_links(source)


def _foreign_links(source: str) -> str:
    """Links to an element the part does not hold point to it by name, as ``x-part:<id>``:
    WeasyPrint keeps them (it drops a link to an anchor it cannot find) and the join
    points them to the part that holds it."""
    tree = lxml_html.document_fromstring(source)
    here = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    changed = False
    for link in tree.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and len(href) > 1 and href[1:] not in here:
            link.set("href", join.FOREIGN + href[1:])
            changed = True
    if not changed:
        return source
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _lay_out(book: Book, part: Part, page_map: PageMap, edition: Edition,
             looked_up: tuple | None = None, write: bool = True) -> LaidPart:
    """The part from the cache when its print HTML was laid out before; else laid out until it
    needs no further repair, written as a tagged PDF and kept (``write=False``: written by
    ``_write`` when the caller knows it is the one to keep). ``looked_up``: (repairs, moves,
    HTML) of an earlier ``_lookup`` of the part with the same page map."""
    alone = _alone(book, part)
    if looked_up is None:
        hit, known, moves, _ = _lookup(book, part, page_map, edition)
    else:                       # a worker may have laid it out since
        known, moves, source = looked_up
        hit = _cached(part, source)
    if hit:
        return hit
    document, source = _settle(book, part, page_map, edition, known, moves)
    local = engine.page_map_of(alone, document)
    # labelled by page index: _compose gives them the folios of where the part stands
    markers = page_starts.from_layout(alone, document, [str(i) for i in range(len(document.pages))],
                                   pagelist.edition_name(alone, edition))
    laid = LaidPart(part, _files(part, source)[0], local.page_of, len(document.pages),
                    [dataclasses.asdict(m) for m in markers.markers], source, part.first_folio or 1,
                    unwritten=document)
    del document
    return _write(book, laid) if write else laid


def _write(book: Book, laid: LaidPart) -> LaidPart:
    """The tagged PDF of a part laid out and what the join needs of it, into the cache."""
    if laid.unwritten is not None:
        pdf, meta = _files(laid.part, laid.source)
        engine.write_tagged(_alone(book, laid.part), laid.unwritten, pdf)
        cache.write_json(meta, {"page_of": laid.page_of, "pages": laid.pages, "markers": laid.markers})
        laid.unwritten = None
        memory.collect()        # a layout's boxes go before the next part is laid out
    return laid


def _lookup(book: Book, part: Part, page_map: PageMap, edition: Edition):
    """(the part from the cache or None, its remembered repairs, their moves (applied), its HTML)."""
    alone = _alone(book, part)
    known = repairs.recall(alone, edition)
    moves = placement.Moves(alone, known.figures, known.respaced)
    moves.restore()
    source = _html(book, part, page_map, edition, notes=frozenset(known.notes))
    return _cached(part, source), known, moves, source


def _settle(book: Book, part: Part, page_map: PageMap, edition: Edition, known: repairs.Repairs,
            moves: placement.Moves):
    """Lay the part out until it needs no further repair; returns (its layout, its HTML).

    The repairs look at the pages before the generated back matter (glossary, index), as a
    whole book's drafts do, which leave it out: those are set from data, not from the text."""
    alone = _alone(book, part)

    def source():
        return _html(book, part, page_map, edition, notes=frozenset(known.notes))

    rendered = []               # the HTML of each layout: the last is the one kept

    def body_of_layout():
        rendered.append(source())
        document = engine.render(rendered[-1], book.config.root)
        local = engine.page_map_of(alone, document)
        generated = [local.page_of[d.id] for d in alone.back if d.generated and d.id in local.page_of]
        return _Layout(document, document.pages[:min(generated, default=len(document.pages))])

    def lay_out():
        laid = moves.fill_pages(body_of_layout)
        known.figures, known.respaced = moves.moves, moves.respaced
        return laid

    def notes_apart(laid) -> set[str]:
        return {note_id for note_id, _ in misplaced(alone, engine.page_map_of(alone, laid.document))}

    laid = keep_notes_with_calls(lay_out, known.notes, notes_apart)
    repairs.remember(alone, known, edition)
    return laid.document, rendered[-1]


@dataclass
class _Layout:
    """A layout and the pages its repairs are found on."""
    document: object
    pages: list


def _files(part: Part, source: str) -> tuple[Path, Path]:
    digest = cache.key(VERSION, part, source, length=24)
    return cache.path("parts", f"{digest}.pdf"), cache.path("parts", f"{digest}.json")


def _cached(part: Part, source: str) -> LaidPart | None:
    pdf, meta = _files(part, source)
    saved = cache.read_json(meta)
    if not saved or not pdf.exists():
        return None
    return LaidPart(part, pdf, saved["page_of"], saved["pages"], saved["markers"], source, part.first_folio or 1)
