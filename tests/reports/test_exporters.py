"""The exporter base class: XLSX cells (formula injection, numbers, local times) and the PDF
page furniture (footer with the generation time in the tenant's zone, page numbers)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from meetlat.reports.exporters import (
    Column,
    Exporter,
    Sheet,
    UnknownFormatError,
    escape_cell,
    format_of,
    page_numbers_css,
)
from meetlat.reports.formatting import css_string, number, percent, signed
from tests.reports.pdftext import page_texts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","klik")', '\'=HYPERLINK("http://x","klik")'),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Meetdorp", "Meetdorp"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_that_would_start_a_formula_is_prefixed(value: str, expected: str) -> None:
    assert escape_cell(value) == expected


class Tiny(Exporter):
    """A one-sheet, one-paragraph exporter for testing the base class."""

    template_name = "reports/base_pdf.html"

    def __init__(self, rows: Iterable[list[object]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows = rows

    def title(self) -> str:
        return "Tiny"

    def context(self) -> dict[str, object]:
        return {"header": "Kop"}

    def sheets(self) -> Iterable[Sheet]:
        yield Sheet("=Blad", [Column("a", "=A"), Column("b", "B")], self.rows)  # type: ignore[arg-type]


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_xlsx_keeps_numbers_as_numbers_and_dates_as_local_naive_datetimes() -> None:
    instant = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)  # 03:30 CEST, after the clock change
    rows: list[list[object]] = [
        ["=1+1", 5.679735],
        [Decimal("7.00"), Fraction(1, 4)],
        [instant, True],
        [None, "-x"],
    ]
    workbook = load_workbook(io.BytesIO(Tiny(rows).render_xlsx()))
    assert workbook.sheetnames == ["'=Blad"]
    sheet = workbook.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [
        ["'=A", "B"],
        ["'=1+1", 5.679735],
        [7.0, 0.25],
        [dt.datetime(2026, 3, 29, 3, 30), True],
        [None, "'-x"],
    ]
    assert sheet["A4"].data_type == "d" and sheet["B2"].data_type == "n"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_the_footer_gives_the_generation_time_in_the_tenants_zone() -> None:
    generated = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)  # 12:00 in Amsterdam (CEST)
    html = Tiny([], language="nl", generated_at=generated).render_html()
    assert 'lang="nl"' in html
    with translation.override("nl"):
        footer = _("Generated on %(date)s (%(zone)s)") % {
            "date": "1 juni 2026 12:00",
            "zone": "Europe/Amsterdam",
        }
        page = _("Page %(number)s of %(total)s") % {"number": 1, "total": 1}
    [text] = page_texts(html)
    assert footer in text and page in text
    assert "Kop" not in text  # no page header on the first (cover) page
    english = page_texts(Tiny([], language="en", generated_at=generated).render_html())[0]
    assert "Generated on June 1, 2026, noon (Europe/Amsterdam)" in english
    assert "Page 1 of 1" in english


def test_page_numbers_are_css_counters_around_translated_text() -> None:
    css = page_numbers_css()
    assert "counter(page)" in css and "counter(pages)" in css
    assert css.index("counter(page)") < css.index("counter(pages)")


def test_css_strings_cannot_break_out_of_the_style_sheet() -> None:
    assert css_string('a"b</style>') == '"a\\22 b\\3c \\2f style\\3e "'


def test_a_pdf_is_a_pdf() -> None:
    assert Tiny([]).render_pdf().startswith(b"%PDF")


def test_format_by_extension(tmp_path: Path) -> None:
    assert format_of(Path("x.PDF")) == "pdf" and format_of(Path("a/b.xlsx")) == "xlsx"
    with pytest.raises(UnknownFormatError, match="use .pdf or .xlsx"):
        format_of(Path("x.csv"))
    with pytest.raises(UnknownFormatError):
        Tiny([]).write(tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ("5,68", "+1,42", "\u22120,30", "62,5 %", "5,01", "0,00")),
        ("en", ("5.68", "+1.42", "\u22120.30", "62.5 %", "5.01", "0.00")),
    ],
)
def test_numbers_follow_the_language_and_round_half_away_from_zero(
    language: str, expected: tuple[str, ...]
) -> None:
    with translation.override(language):
        got = (
            number(5.679735),
            signed(1.42),
            signed(-0.3),
            percent(Fraction(5, 8)),
            number(5.005),
            signed(-0.001),
        )
    assert got == expected
    assert number(None) == "–" and percent(None) == "–" and signed(None) == "–"
