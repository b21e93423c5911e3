"""Dashboard tables: what a chart shows, as rows, for the page, CSV and XLSX.

Every chart on a dashboard has a table below it (the accessible form of the chart) and that
table can be downloaded. Cells keep their raw values (numbers stay numbers in XLSX); the page
formats them with `display_rows`. Exports escape text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

from django.utils import formats
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font

Kind = Literal["text", "date", "count", "ratio", "seconds", "grade", "money"]
Cell = str | int | float | Decimal | dt.date | None
EXPORT_FORMATS: Final = ("csv", "xlsx")
#: A text starting with one of these is a formula (or a DDE payload) to a spreadsheet.
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: Kind = "count"


@dataclass(frozen=True)
class Table:
    """One table of a dashboard; `key` names it in export URLs."""

    key: str
    title: str | Promise
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)

    def display_rows(self) -> list[list[str]]:
        return [
            [display(c.kind, v) for c, v in zip(self.columns, r, strict=True)] for r in self.rows
        ]

    def records(self) -> list[dict[str, Cell | str]]:
        """Rows as `{column key: value}` (dates as ISO text), the data of a Vega-Lite spec."""
        return [
            {
                c.key: v.isoformat() if isinstance(v, dt.date) else v
                for c, v in zip(self.columns, r, strict=True)
            }
            for r in self.rows
        ]


def _number(value: float | Decimal, places: int, *, grouping: bool = False) -> str:
    """In the active language's format, rounded half up (Django's own formatting cuts off
    the digits after `places`: 7.67 would show as 7,6)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(formats.number_format(rounded, places, force_grouping=grouping))


def display(kind: Kind, value: Cell) -> str:
    if value is None:
        return "–"
    if kind == "ratio" and isinstance(value, int | float):
        return f"{_number(value * 100, 1)} %"
    if kind == "seconds" and isinstance(value, int | float):
        return f"{_number(value, 1)} s"
    if kind == "count" and isinstance(value, int | float):
        return _number(value, 0, grouping=True)
    if kind == "grade" and isinstance(value, int | float):
        return _number(value, 1)
    if kind == "money" and isinstance(value, int | float | Decimal):
        return f"€ {_number(value, 2, grouping=True)}"
    if isinstance(value, dt.date):
        return str(formats.date_format(value, "SHORT_DATE_FORMAT"))
    return str(value)


def escape_cell(value: str) -> str:
    """`'=SUM(A1)` for `=SUM(A1)`: text that would start a formula stays text."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _export_value(value: Cell) -> str | int | float | Decimal | dt.date | None:
    return escape_cell(value) if isinstance(value, str) else value


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheets read the accents), header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(str(c.label)) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                "" if v is None else v.isoformat() if isinstance(v, dt.date) else _export_value(v)
                for v in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """One sheet: a bold header row, numbers as numbers, dates as dates."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _SHEET_TITLE_FORBIDDEN.sub("-", str(table.title))[:31]
    sheet.append([escape_cell(str(c.label)) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_export_value(v) for v in row])
    for column, spec in zip(sheet.iter_cols(min_row=2), table.columns, strict=False):
        for cell in column:
            if spec.kind == "ratio":
                cell.number_format = "0.0%"
            elif spec.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif spec.kind == "grade":
                cell.number_format = "0.0"
            elif spec.kind == "money":
                cell.number_format = '"€" #,##0.00'
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
