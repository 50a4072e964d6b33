"""Each stage alone, on tiny inputs made in the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from bookbuilder.core.config import load_config
from bookbuilder.passes.enrich import tag_russian
from bookbuilder.errors import ArticleImportError, ConfigError
from bookbuilder.importer.article import parse_article, plan_chapters
from bookbuilder.importer.book_import import import_article

ARTICLE = """= Sample Topic =

Infobox
- Title: Sample Topic
- Date: 1937

The Sample Topic (Russian: Образец темы) was a thing.

== Causes ==
Causes were many. The main ones were:

First cause
Second cause
Third cause

He said:

A long quotation that is a single paragraph, and it goes on for a while to read like prose rather than a list item; A long quotation that is a single paragraph, and it goes on for a while to read like prose rather than a list item; A long quotation that is a single paragraph, and it goes on for a while to read like prose rather than a list item; 
After the quotation comes ordinary prose again.<noinclude></noinclude>

=== Details ===

- bullet one
- bullet two

== Aftermath ==
""" + ("Word " * 200) + """

== References ==

== See also ==
Something else
"""


def test_parse_article_structures(tmp_path):
    article = parse_article(ARTICLE, Path("x.txt"))
    assert article.title == "Sample Topic"
    assert article.infobox == [("Title", "Sample Topic"), ("Date", "1937")]
    causes = article.sections[0]
    kinds = [b.kind for b in causes.blocks]
    assert kinds == ["para", "list", "para", "quote", "para"]
    assert causes.blocks[1].lines == ["First cause", "Second cause", "Third cause"]
    assert "noinclude" not in causes.blocks[-1].lines[0]
    assert causes.children[0].blocks[0].lines == ["bullet one", "bullet two"]


def test_plan_drops_empty_and_navigation_sections_with_warnings():
    warnings = []
    chapters, bibliography = plan_chapters(parse_article(ARTICLE, Path("x.txt")),
                                           lambda line, msg: warnings.append((line, msg)))
    # "Causes" is too short to stand alone: it becomes a section of the chapter before it.
    assert [c.title for c in chapters] == ["Introduction", "Aftermath"]
    assert chapters[0].grouped == ["Causes"]
    assert bibliography is None
    assert any("References" in m for _, m in warnings) and any("See also" in m for _, m in warnings)
    assert all(isinstance(line, int) for line, _ in warnings)


def test_import_writes_a_manuscript_that_tags_russian(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    import_article(src, tmp_path / "book", warn=lambda *a: None)
    config = load_config(tmp_path / "book")
    assert config.slug == "sample-topic" and len(config.chapters) == 2
    assert any("Causes" in note for note in config.notes)
    intro = config.chapters[0].file.read_text(encoding="utf-8")
    assert "[Образец темы]{lang=ru}" in intro
    with pytest.raises(ArticleImportError):
        import_article(src, tmp_path / "book", warn=lambda *a: None)


def test_tag_russian_wraps_untagged_runs_only():
    root = html.fragment_fromstring(
        '<div><p>Before Большой террор after <span lang="ru">ежовщина</span>, and <em>37-й год</em>.</p></div>')
    tag_russian(root)
    spans = root.findall(".//span[@lang='ru']")
    assert [s.text for s in spans] == ["Большой террор", "ежовщина", "37-й год"]
    assert root.find(".//p").text == "Before "


def test_config_errors_name_the_line(tmp_path):
    (tmp_path / "book.yaml").write_text("title: T\nslug: Not A Slug\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert "missing required key" in str(info.value) and "book.yaml" in str(info.value)
    (tmp_path / "book.yaml").write_text("title: [T\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.line == 2


def test_epub_is_reproducible(tmp_path):
    from bookbuilder.passes.enrich import enrich
    from bookbuilder.run.build import write_format
    from bookbuilder.source.manuscript import read_book
    from conftest import ROOT
    (first,) = write_format(enrich(read_book(ROOT / "book")), "epub", tmp_path / "a")
    (second,) = write_format(enrich(read_book(ROOT / "book")), "epub", tmp_path / "b")
    first, second = first.read_bytes(), second.read_bytes()
    assert first == second
