"""Figure placement rules on a tiny tree: moves stop at the section's end, take the next
figure along, and never separate an introduction from its list."""

from __future__ import annotations

from lxml import html

from bookbuilder.markup.applied_repairs import apply_moves


def _body(markup: str):
    return html.fragment_fromstring(markup, create_parent="div")


def _order(body) -> list[str]:
    return [el.get("id") or el.tag for el in body]


def test_a_moved_figure_goes_past_the_given_blocks_but_not_past_a_heading():
    body = _body('<p id="a">A.</p><figure id="f"></figure><p id="b">B.</p><p id="c">C.</p>'
                 '<h2 id="h">Next</h2><p id="d">D.</p>')
    apply_moves(body, {"f": 1})
    assert _order(body) == ["a", "b", "f", "c", "h", "d"]
    apply_moves(body, {"f": 9})
    assert _order(body) == ["a", "b", "c", "f", "h", "d"]


def test_a_figure_takes_the_next_one_along_and_numbers_stay_in_order():
    body = _body('<p id="a">A.</p><figure id="f1"></figure><p id="b">B.</p><figure id="f2"></figure>'
                 '<p id="c">C.</p><p id="d">D.</p>')
    apply_moves(body, {"f1": 2})
    assert _order(body) == ["a", "b", "c", "f1", "f2", "d"]


def test_a_figure_never_comes_between_an_introduction_and_its_list():
    body = _body('<p id="a">It can be divided into four periods:</p><figure id="f"></figure>'
                 '<ul id="l"><li>One</li></ul><p id="b">B.</p>')
    apply_moves(body, {})
    assert _order(body) == ["a", "l", "f", "b"]
