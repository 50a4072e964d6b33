"""The press: what a print shop receives, made from laid-out PDFs without laying out again.

- print_pdf.py    the print edition: the reader's pages as PDF/X-4 with bleed and crop marks
- ink.py          black ink only: RGB colours and rasters made greys of K
- print_cover.py  the wrap cover (back, spine, front) as PDF/X-4
- imposition.py   a packet's pages two to a sheet side (booklet, 2-up)

May import: the loose modules, core, markup, layout (the cover is laid out by layout/engine.py)
and press itself.
"""
