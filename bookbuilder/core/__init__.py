"""The shared vocabulary: what every stage speaks of.

- config.py       book.yaml read into ``BookConfig`` (YAML with line numbers for errors)
- editions.py     ``Selection`` of the manuscript and the ``Edition`` printed from it
- packet_specs.py course packets as declared (book.yaml or the command line)
- model.py        the one enriched document model (``Book``, ``Division``, ``Note``), tree helpers
- pagemap.py      ``PageMap``: element id -> printed page, folios, locators and page ranges
- pagelist.py     ``PageList``: where each printed page begins, as the EPUB places it; its cache
- paper.py        the page and the paper: trim, margins, text block, bleed, CMYK profile
- romanisation.py Russian romanisation through iuliia's schemes

May import: the loose modules (errors, cache, words, fonts, ids) and core itself.
"""
