"""Markup: the model through the templates (bookbuilder/templates/) into each format's documents.

- templates.py        the Jinja2 environment, its filters and the context every template gets
- print_html.py       the print HTML of a book, an edition or a part, and its style sheets
- applied_repairs.py  the layout's repairs as the print HTML carries them (figures moved,
                      paragraphs respaced or sent to a new page, punctuation into marks)
- epub_xhtml.py       the EPUB's content documents
- page_markers.py     the print pages' page-break markers placed in the XHTML
- web_pages.py        the web edition's pages (HTML): opening page, a page per division, search
                      page, sitemap, style sheets and scripts (templates/web/)
- expand.py           what the passes left as data (figures, generated notes) expanded
- crossrefs.py        cross-references written out: linked, and in print with their page words
- charts.py           the figures' charts drawn with matplotlib (cached)
- image_prep.py       the author's images scaled and cleaned for each output (cached)
- cover_art.py        the EPUB's typographic cover image

May import: the loose modules, core, source, passes and markup itself; never layout: what
depends on pages (a page map, repairs) is handed in by the caller.
"""
