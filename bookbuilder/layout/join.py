"""Join the tagged PDFs of a book's parts (parts.py) into one tagged PDF, with pikepdf.

WeasyPrint writes each part as a whole tagged PDF: its pages; one structure tree (a
Document element over the part's elements); a parent tree that numbers the marked content
of each page and each link; a named destination for every element id; its outlines. The
join keeps the first part's catalog (language, XMP metadata, viewer preferences, marked
flag) and document information, and appends the other parts:

- their pages, in order, with a blank page where the list says (a part opening on a recto);
- their top structure elements under the first part's Document element, their parent-tree
  entries renumbered after those before them (the pages' /StructParents and the links'
  /StructParent with them);
- their named destinations, merged into one sorted name tree;
- their outlines, one after another;
- a page of another PDF laid over a page where asked (a chapter's folio, laid out apart),
  marked as a pagination artifact (what screen readers skip);
- and links to another part, which WeasyPrint wrote as ``x-part:<id>`` URIs, become links to
  that id's named destination (what WeasyPrint writes for a link within a document).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from bookbuilder import cache

log = logging.getLogger("bookbuilder")

FOREIGN = "x-part:"


def join(parts: list[Path | None], target: Path, overlays: dict[int, tuple[Path, int]] | None = None) -> Path:
    """Write the parts' PDFs (None: a blank page) as one PDF at ``target``; ``overlays``:
    page index in the join -> (a PDF, its page to lay over that page)."""
    out = pikepdf.open(parts[0])
    tree = _Tree(out)
    outline = _outline_of(out, 0)
    names = _names_of(out, 0)
    opened = []
    for source in parts[1:]:
        if source is None:
            _add_blank(out)
            continue
        part = pikepdf.open(source)
        opened.append(part)
        start = len(out.pages)
        for page in part.pages:
            out.pages.append(page)
        tree.add(part, out.pages[start:])
        outline += _outline_of(part, start)
        for name, (index, rest) in _names_of(part, start).items():
            names.setdefault(name, (index, rest))
    opened += _lay_over(out, overlays or {})
    _write_names(out, names)
    _link_parts(out, names)
    _write_outline(out, outline)
    tree.finish()
    with cache.atomic_path(target) as tmp:
        # deterministic_id: the trailer's second id from the content, never from the clock
        out.save(tmp, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for part in opened:
        part.close()
    out.close()
    return target


class _Tree:
    """The first part's structure tree, growing by each part added."""

    def __init__(self, out: pikepdf.Pdf):
        self.out = out
        self.root = out.Root.StructTreeRoot
        self.document = self.root.K[0]
        self.nums = list(self.root.ParentTree.Nums)
        self.next_key = _next_key(self.nums)

    def add(self, part: pikepdf.Pdf, pages) -> None:
        offset = self.next_key
        for page in pages:
            if Name.StructParents in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get(Name.Annots, []):
                if Name.StructParent in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        for kid in part.Root.StructTreeRoot.K[0].K:
            copied = self.out.copy_foreign(kid)
            copied.P = self.document
            self.document.K.append(copied)
        nums = list(part.Root.StructTreeRoot.ParentTree.Nums)
        for key, value in zip(nums[::2], nums[1::2]):
            self.nums += [int(key) + offset, self._copied(value)]
        self.next_key = offset + _next_key(nums)

    def _copied(self, value):
        if isinstance(value, Array) and not value.is_indirect:
            return Array([self.out.copy_foreign(item) if item.is_indirect else item for item in value])
        return self.out.copy_foreign(value)

    def finish(self) -> None:
        self.root.ParentTree = self.out.make_indirect(Dictionary(Nums=Array(self.nums)))
        self.root.ParentTreeNextKey = self.next_key


def _lay_over(out: pikepdf.Pdf, overlays: dict[int, tuple[Path, int]]) -> list[pikepdf.Pdf]:
    """Draw each overlay (a page of the same size) over its page, as a form XObject in a
    pagination artifact, after the page's own drawing (its graphics state saved around it)."""
    sources: dict[Path, pikepdf.Pdf] = {}
    for index, (path, at) in sorted(overlays.items()):
        if path not in sources:
            sources[path] = pikepdf.open(path)
        page = out.pages[index]
        # a name of its own in resources a part's pages share, never a random one: same bytes
        name = page.add_resource(out.copy_foreign(sources[path].pages[at].as_form_xobject()),
                                 Name.XObject, Name(f"/Over{index}"))
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        page.contents_add(out.make_stream(
            b"\nQ\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q " + bytes(name.unparse()) + b" Do Q EMC\n"))
    return list(sources.values())


def _next_key(nums: list) -> int:
    return max((int(key) for key in nums[::2]), default=-1) + 1


def _add_blank(out: pikepdf.Pdf) -> None:
    """A blank page the size of the last one (its boxes too), as WeasyPrint leaves a blank
    verso; it shares the last page's resources, as WeasyPrint's pages share theirs."""
    last = out.pages[-1].obj
    page = Dictionary(Type=Name.Page, Resources=last.Resources, Tabs=Name.S,
                      Contents=out.make_stream(b""))
    for box in (Name.MediaBox, Name.TrimBox, Name.BleedBox):
        if box in last:
            page[box] = Array(list(last[box]))
    out.pages.append(pikepdf.Page(page))


def _page_index(pdf: pikepdf.Pdf) -> dict:
    return {page.obj.objgen: i for i, page in enumerate(pdf.pages)}


def _names_of(pdf: pikepdf.Pdf, start: int) -> dict[str, tuple[int, list]]:
    """Named destination -> (page index in the join, the rest of its destination array)."""
    found = {}
    names = pdf.Root.get(Name.Names, {}).get(Name.Dests, {}).get(Name.Names, [])
    index = _page_index(pdf)
    for name, dest in zip(list(names)[::2], list(names)[1::2]):
        found.setdefault(str(name), (start + index[dest[0].objgen], list(dest)[1:]))
    return found


def _write_names(out: pikepdf.Pdf, names: dict[str, tuple[int, list]]) -> None:
    flat = Array()
    for name in sorted(names):
        index, rest = names[name]
        flat.append(String(name))
        flat.append(Array([out.pages[index].obj, *rest]))
    if Name.Names not in out.Root:
        out.Root.Names = Dictionary()
    out.Root.Names.Dests = out.make_indirect(Dictionary(Names=flat))


def _link_parts(out: pikepdf.Pdf, names: dict) -> None:
    """Links written as ``x-part:<id>`` URIs become links to the named destination <id>."""
    for page in out.pages:
        for annot in page.obj.get(Name.Annots, []):
            action = annot.get(Name.A)
            uri = str(action.get(Name.URI, "")) if action is not None else ""
            if not uri.startswith(FOREIGN):
                continue
            name = uri[len(FOREIGN):]
            del annot.A
            if name in names:
                annot.Dest = String(name)
                annot.Contents = String(name)
            else:
                log.error("no anchor #%s for a link of the book", name)


# ------------------------------------------------------------------ outlines

def _outline_of(pdf: pikepdf.Pdf, start: int) -> list[tuple]:
    """(title, page index in the join, left, top, closed, children) of each outline item."""
    index = _page_index(pdf)

    def items(first) -> list[tuple]:
        found, item = [], first
        while item is not None:
            dest = item.get(Name.Dest)
            page = start + index[dest[0].objgen] if dest is not None else None
            found.append((str(item.Title), page, list(dest)[1:] if dest is not None else [],
                          int(item.get(Name.Count, 0)) < 0, items(item.get(Name.First))))
            item = item.get(Name.Next)
        return found

    outlines = pdf.Root.get(Name.Outlines)
    return items(outlines.get(Name.First)) if outlines is not None else []


def _write_outline(out: pikepdf.Pdf, outline: list[tuple]) -> None:
    """The outline tree, written as WeasyPrint writes one (open items count their open descendants)."""
    root = out.make_indirect(Dictionary(Type=Name.Outlines))

    def write(items, parent) -> int:
        made, visible = [], len(items)
        for title, page, rest, closed, children in items:
            item = out.make_indirect(Dictionary(Title=String(title), Parent=parent))
            if page is not None:
                item.Dest = Array([out.pages[page].obj, *rest])
            count = write(children, item)
            item.Count = -count if closed else count
            if not closed:
                visible += count
            if made:
                item.Prev = made[-1]
                made[-1].Next = item
            made.append(item)
        if made:
            parent.First, parent.Last = made[0], made[-1]
        return visible

    root.Count = write(outline, root)
    if outline:
        out.Root.Outlines = root
