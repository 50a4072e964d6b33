"""Build print-ready PDF and EPUB 3 books from encyclopedia articles.

Pipeline (one module per stage):
    importer   article text  -> manuscript (book/)
    config     book.yaml     -> BookConfig
    manuscript chapters/*.md -> pandoc HTML -> Book model (model.py)
    enrich     passes over the model's trees (language tags, ids, ...)
    render     Jinja2 templates -> print HTML / EPUB XHTML
    pdf        WeasyPrint
    epub       ebooklib
"""

__version__ = "0.1.0"
