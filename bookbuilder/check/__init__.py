"""Checking: `python build.py check`, a manuscript linter with stable codes, and the layout's quality.

- lint.py            ``check_book``: the manuscript's weak spots, file:line: code: message
- findings.py        what a check finds (file, line, code, message) and the codes
- draft_review.py    the weak spots of a drafted apparatus: one locator, no dates, unexplained words
- layout_quality.py  a laid-out PDF read as a reader sees it: stretched lines, underfull pages

May import: the loose modules, core, source, passes, markup, layout and check itself.
"""
