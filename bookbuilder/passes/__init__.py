"""The passes: compute and mark the model's trees, never knowing which format will be written.

- enrich.py          ``enrich``: every pass, in order (language tags, ids, notes, terms, index...)
- matching.py        finding words in the tree and marking them, as a Pandoc filter would
- notes.py           footnotes taken apart into ``Note`` objects, numbered
- translit_notes.py  transliteration notes at a Russian term's first occurrence
- glossary.py        glossary uses marked
- register.py        the register of names: people whose names get no note
- index.py           index occurrences marked; capitalised names no entry covers
- figures.py         figures placed after their paragraph, numbered, with source notes
- author_images.py   the author's images numbered with the charts; credits
- citations.py       citations linked to their References entries; unknown keys warned of
- crossrefs.py       cross-references (@fig-…, @sec-…) resolved to their targets

May import: the loose modules, core, source and passes itself; never markup, layout, epub or press.
"""
