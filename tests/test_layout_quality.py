"""Layout quality read off the PDF's words and positions: stretched justified lines,
underfull pages, Contents and Figures numbers off their line or off the column."""

from __future__ import annotations

from weasyprint import HTML

from bookbuilder.check.layout_quality import check_file

PAGE_CSS = """@page { size: 6in 9in; margin: 0.75in 0.6in 0.8in 0.85in;
                      @bottom-right { content: counter(page); vertical-align: top; padding-top: 0.2in } }
html { font-family: "EB Garamond", serif; font-size: 11pt; line-height: 14.2pt }
p { margin: 0; text-align: justify }
h1 { font-size: 19pt }"""


def _report(tmp_path, body: str):
    pdf = tmp_path / "made.pdf"
    HTML(string=f"<html><head><meta charset='utf-8'><style>{PAGE_CSS}</style></head><body>{body}</body></html>"
         ).write_pdf(pdf)
    return check_file(pdf)


def test_the_checker_finds_a_stretched_line_and_a_half_empty_page(tmp_path):
    words = "word " * 60
    # "Aa bb" then a phrase that cannot break and does not fit after them: "Aa" and "bb"
    # are left alone at the two ends of a justified line
    unbreakable = "<span style='white-space: nowrap'>" + "unbreakable phrase " * 3 + "</span>"
    body = (f"<h1>A chapter</h1><p>{words}</p><p>Aa bb {unbreakable} {words * 6}</p>"
            f"<p style='break-before: page'>A few lines. {words}</p>"
            # a block too tall for the rest of the page leaves it half empty
            "<div style='height: 6in; border: 1pt solid black'></div><p>The chapter goes on.</p>")
    report = _report(tmp_path, body)
    stretched = report.of_kind("stretched")
    assert stretched and stretched[0].folio == "1", report.problems
    assert [p.folio for p in report.of_kind("underfull")] == ["2"], report.problems


def test_the_real_book_reads_well(real_book):
    report = check_file(real_book.pdf)
    assert not report.problems, "\n".join(map(str, report.problems))


def test_a_second_imported_book_reads_well(second_book):
    report = check_file(second_book)
    assert not report.problems, "\n".join(map(str, report.problems))


def test_check_reports_a_stretched_line_it_cannot_mend_at_its_manuscript_line(tmp_path):
    from bookbuilder.check.lint import check_book

    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    filler = "Lorem ipsum dolor sit amet. " * 30
    # "Aa bb" and a word that cannot break nor share their line: no spacing mends it
    (book / "chapters" / "01.md").write_text(
        f"# One\n\n{filler}\n\nAa bb {'m' * 35} and the text goes on. {filler}\n", encoding="utf-8")
    (book / "book.yaml").write_text(
        "title: Small Book\nslug: small-book\nlanguage: en\nidentifier: urn:uuid:00000000-0000-4000-8000-000000000001\n"
        "creator: T\nsource_title: S\nsource_url: https://example.org/s\nlicence: CC BY-SA 4.0\n"
        "licence_url: https://creativecommons.org/licenses/by-sa/4.0/\nedition_date: 2026-01-01\n"
        "chapters:\n  - chapters/01.md\n", encoding="utf-8")
    findings = [f for f in check_book(book, layout=True) if f.code == "l-001"]
    assert [(f.file.name, f.line) for f in findings] == [("01.md", 5)], findings
    assert "“Aa” and “bb”" in findings[0].message and "page 1" in findings[0].message
