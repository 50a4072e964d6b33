"""Reading the manuscript: every file book.yaml names, through Pandoc once, made safe, with its data.

- manuscript.py   ``read_book``: the files through Pandoc (remembered by content) into a ``Book``
- sanitize.py     a manuscript is user input: what of its HTML may reach the outputs
- fetcher.py      the only way a build reads a resource: files under a few known folders
- lines.py        the line of a file a warning names
- term_data.py    russian-terms.yaml, glossary.yaml and people.yaml (the register's people without a Russian name)
- figure_data.py  figures/*.yaml, and a chart's numbers as a data table
- index_data.py   index.yaml
- image_refs.py   the images a chapter names, checked (placeholders for the rest)
- citations.py    the references file and citation style for Pandoc's citeproc; References' entries
- term_base.py    the term base shipped as package data (termbase/*.yaml): terms and people

May import: the loose modules, core and source itself.
"""
