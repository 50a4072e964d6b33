"""Layout: the only package that imports WeasyPrint. Print HTML in, laid-out pages and PDFs out.

- engine.py         ``render`` and ``write_tagged``: WeasyPrint through its public API
- boxes.py          every read of WeasyPrint's private box attributes, and nowhere else
- patches.py        every patch to WeasyPrint, each with its fallback
- parts.py          an edition's PDF laid out part by part and joined (``write_book_pdf``)
- chapter_worker.py a forked child laying out later chapters beside the build
- join.py           the parts' tagged PDFs joined into one (pikepdf)
- placement.py      repairs found on a layout: figures moved, lines respaced
- note_repairs.py   notes kept on their call's page
- repairs.py        repairs and the last page map, remembered per division and edition
- page_starts.py    where each printed page begins, for the EPUB's page list
- reference.py      an edition laid out whole: what the tests compare the joined PDF with

Two feedback loops run here: layout -> repairs -> print HTML, and layout -> page map ->
print HTML of the contents and back matter (docs/internals.md draws them).

May import: the loose modules, core, source, passes, markup, process and layout itself.
"""
