"""The EPUB 3: the content documents packed with ebooklib.

- container.py      ``write_epub``: documents, style sheet, charts, images, cover, metadata
- writer.py         ebooklib's writer: the one place its private API is reached
- accessibility.py  EPUB Accessibility 1.1 metadata computed from the book

May import: the loose modules, core, source, passes, markup and epub itself; never layout:
the build hands it the page list of the edition it follows (run/epub_pages.py).
"""
