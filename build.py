#!/usr/bin/env python3
"""Build the book: `python build.py` (PDF and EPUB), `pdf`, `epub`, or `import ARTICLE`. See README.md."""

import sys

from bookbuilder.cli import main

if __name__ == "__main__":
    sys.exit(main())
