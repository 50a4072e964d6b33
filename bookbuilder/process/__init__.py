"""Process tricks: what the build does with processes and the interpreter rather than with books.

- forking.py    children forked from the build (``Child``), talking JSON lines over pipes;
                ``spare_cores``; ``in_each_child`` (a hook run in every forked child)
- memory.py     ``collect``: layouts let go of, and what outlives the first collection frozen
- turns.py      ``turn``: an advisory lock, so two builds of one book take turns

Each trick stays only while a measurement shows it pays (a cold full build at least 5 %
faster) or it prevents a crash: docs/internals.md, "Process tricks and what each buys" (the
deep Python stack for CPython gh-142183 was measured at 2-3 % and removed).

May import: nothing of bookbuilder's (the standard library only), so that a trick can be
understood, measured and removed on its own.
"""
