"""The importer: a plain-text encyclopedia article into a Markdown manuscript (book/).

- article.py  ``import_article``: sections into chapters, notes, infobox, book.yaml
- residue.py  what a plain-text dump leaves behind (edit links, reference markers) and its cleaning

May import: the loose modules and core.
"""
