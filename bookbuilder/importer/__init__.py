"""The importer: a plain-text encyclopedia article into a Markdown manuscript (book/), with its
apparatus drafted as data files an editor reviews.

- article.py          an article parsed: sections into chapters, notes, infobox; written as Markdown
- book_import.py      ``import_article``: one article or several into one manuscript with book.yaml
- licences.py         the licence an article states, as book.yaml names it
- residue.py          what a plain-text dump leaves behind (edit links, reference markers) and its cleaning
- plain_text.py       the chapters as plain passages, what the drafting reads
- term_base_hits.py   the term base's terms and people an article uses (Aho-Corasick over every form)
- text_names.py       names, titles and recurring phrases drawn from the text itself
- draft_terms.py      russian-terms.yaml (notes, register) and glossary.yaml from the hits
- draft_index.py      index.yaml from the hits and the text's names: people inverted, see, sub-entries
- drafted_files.py    the drafted files written with their review header; merged, never overwritten
- draft_references.py references.yaml drafted from the reading and reference lists (CSL YAML)
- apparatus.py        ``draft_apparatus``: the above in order

May import: the loose modules, core and source (the term base).
"""
