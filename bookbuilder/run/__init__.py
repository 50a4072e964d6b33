"""The run: which outputs to make, in what order, on how many cores; what is fresh.

- build.py           ``build``: the model read once, every output an edition asks for
- epub_pages.py      the page list handed to the EPUB (from the cache, or from the layout)
- packets.py         a course packet's PDF, impositions, EPUB and web edition
- packet_workers.py  packets built in forked children beside the book
- freshness.py       stamps: an output made from the same inputs is left alone
- watch.py           `watch`: rebuild on every save (the reader's PDF first)
- fonts_ahead.py     the web fonts made by a niced child while the book is laid out (cold builds)
- web_site.py        the web edition's folder: pages, assets, fonts, search index; swapped in whole
- preview.py         `preview`: the web edition served on 127.0.0.1, made again and reloaded on save

May import: every stage but check and cli.
"""
