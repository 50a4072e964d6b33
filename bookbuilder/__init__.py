"""bookbuilder: print-ready PDF, EPUB 3 and course packets from encyclopedia articles.

The folders are the pipeline, in the order a build runs them (each package's __init__
says what it holds and what it may import; tests/test_house.py holds them to it):

    importer  article text -> Markdown manuscript (book/)
    source    manuscript and its data -> Pandoc HTML, made safe -> core.model.Book
    passes    compute and mark: notes, transliteration, glossary, register, index, figures
    markup    templates -> print HTML (per part) and EPUB XHTML; charts, images
    layout    WeasyPrint: parts laid out, repaired, numbered and joined -> reader's PDF
    press     the print shop's PDF/X-4 edition and cover; packet impositions
    epub      ebooklib: the EPUB, with the print pages the build hands it
    check     the manuscript linter and the layout's quality
    run       the build, its freshness stamps, packets, watch, the web site and preview

and beside them: core (the shared vocabulary: config, editions, model, page map, page
list, paper), process (forking, gc freeze, locks: tricks that stand
alone), and the loose modules cli (the command line), errors, cache, words, fonts and ids.
docs/internals.md draws the pipeline as it runs, with its two feedback loops.
"""

__version__ = "0.1.0"
