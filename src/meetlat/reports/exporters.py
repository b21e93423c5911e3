"""The exporter base class (STYLE.md practice 4): one subclass per report.

A subclass fills an HTML template (:meth:`Exporter.context`) and declares its sheets
(:meth:`Exporter.sheets`); the base class renders them:

- PDF through WeasyPrint, inside ``translation.override(language)``, from a template that
  extends ``reports/base_pdf.html``. That base template owns the page header, the footer with
  page numbers and the "generated at" time in the tenant's zone (:func:`meetlat.clock.now`).
- XLSX through openpyxl: numbers stay numbers, dates become timezone-naive local times (Excel
  has no time zones; the header cell says which zone), and text that a spreadsheet would run
  as a formula is prefixed with ``'`` (:func:`escape_cell`).

The same object serves the command line, the web, the API and a background job.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar, Final
from zoneinfo import ZoneInfo

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from meetlat.clock import now
from meetlat.reports.formatting import css_string

Label = str | Promise
CellValue = Label | int | float | bool | dt.datetime | dt.date | Decimal | Fraction | None

#: A text starting with one of these is a formula (or DDE payload) to a spreadsheet.
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
FORMATS: Final = ("pdf", "xlsx")
DATETIME_FORMAT: Final = "yyyy-mm-dd hh:mm:ss"
MAX_COLUMN_WIDTH: Final = 60


class UnknownFormatError(ValueError):
    """The output path's extension names no format the exporter renders."""


def escape_cell(value: str) -> str:
    """``'=HYPERLINK(…)`` for ``=HYPERLINK(…)``: text that would start a formula stays text."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


@dataclass(frozen=True)
class Column:
    """A sheet column: a stable key (for code and tests), a translated label and a note."""

    key: str
    label: Label
    note: Label = ""


@dataclass(frozen=True)
class Sheet:
    title: Label
    columns: Sequence[Column]
    rows: Iterable[Sequence[CellValue]]

    def index(self, key: str) -> int:
        """The 0-based position of the column ``key``."""
        return [c.key for c in self.columns].index(key)


def format_of(path: Path) -> str:
    """``pdf`` or ``xlsx`` from the extension of ``path``."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UnknownFormatError(
            f"{path.name}: unknown extension {path.suffix or '(none)'!r}; use .pdf or .xlsx."
        )
    return suffix


class Exporter(ABC):
    """Base class of every report; see the module docstring."""

    template_name: ClassVar[str]
    formats: ClassVar[tuple[str, ...]] = FORMATS

    def __init__(
        self,
        *,
        language: str | None = None,
        tz: ZoneInfo | None = None,
        generated_at: dt.datetime | None = None,
    ) -> None:
        self.language = language or settings.LANGUAGE_CODE
        self.tz = tz or ZoneInfo(settings.TIME_ZONE)
        self.generated_at = (generated_at or now()).astimezone(self.tz)

    # -- what a subclass provides ---------------------------------------------------------------

    @abstractmethod
    def title(self) -> str:
        """The report's title (called inside the language override)."""

    def context(self) -> dict[str, Any]:
        """The template context of the PDF (called inside the language override)."""
        return {}

    def sheets(self) -> Iterable[Sheet]:
        """The sheets of the XLSX (called inside the language override)."""
        return ()

    # -- rendering ------------------------------------------------------------------------------

    def render(self, fmt: str) -> bytes:
        if fmt not in self.formats:
            raise UnknownFormatError(f"{type(self).__name__} renders {', '.join(self.formats)}.")
        return self.render_pdf() if fmt == "pdf" else self.render_xlsx()

    def write(self, path: Path) -> Path:
        """Render by the extension of ``path`` and write the file; returns ``path``."""
        data = self.render(format_of(path))
        path.write_bytes(data)
        return path

    def render_html(self) -> str:
        """The HTML WeasyPrint lays out (tests read it to check the numbers)."""
        with translation.override(self.language):
            generated = formats.date_format(self.generated_at, "DATETIME_FORMAT")
            context = {
                "title": self.title(),
                "language": self.language,
                "generated_at": generated,
                "footer": _("Generated on %(date)s (%(zone)s)")
                % {"date": generated, "zone": str(self.tz)},
                "zone": str(self.tz),
                "page_numbers": page_numbers_css(),
                **self.context(),
            }
            return render_to_string(self.template_name, context)

    def render_pdf(self) -> bytes:
        html = weasyprint.HTML(
            string=self.render_html(),
            base_url=str(settings.PACKAGE_DIR),
            url_fetcher=refuse_fetch,
        )
        pdf = html.write_pdf()
        assert isinstance(pdf, bytes)
        return pdf

    def render_xlsx(self) -> bytes:
        workbook = Workbook()
        for default in list(workbook.worksheets):
            workbook.remove(default)
        with translation.override(self.language):
            for sheet in self.sheets():
                self._write_sheet(workbook, sheet)
            workbook.properties.title = self.title()
        workbook.properties.created = self.generated_at.replace(tzinfo=None)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    # -- XLSX helpers ---------------------------------------------------------------------------

    def _write_sheet(self, workbook: Workbook, sheet: Sheet) -> None:
        ws = workbook.create_sheet(title=escape_cell(str(sheet.title))[:31])
        ws.append([escape_cell(str(c.label)) for c in sheet.columns])
        widths = [len(str(c.label)) for c in sheet.columns]
        for cell, column in zip(ws[1], sheet.columns, strict=True):
            cell.font = Font(bold=True)
            if column.note:
                cell.comment = Comment(str(column.note), "meetlat")
        for row in sheet.rows:
            values = [self.cell(v) for v in row]
            ws.append(values)
            for i, value in enumerate(values):
                if isinstance(value, dt.datetime):
                    ws.cell(row=ws.max_row, column=i + 1).number_format = DATETIME_FORMAT
                widths[i] = max(widths[i], len(str(value)) if value is not None else 0)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_COLUMN_WIDTH)
        ws.freeze_panes = "A2"

    def cell(self, value: CellValue) -> str | int | float | bool | dt.datetime | dt.date | None:
        """A value as openpyxl should store it (see the module docstring)."""
        if isinstance(value, str | Promise):
            return escape_cell(str(value))
        if isinstance(value, Decimal | Fraction):
            return float(value)
        if isinstance(value, dt.datetime):
            if value.utcoffset() is None:
                return value
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Reports embed everything (SVG charts inline); WeasyPrint fetches no URL or file."""
    raise ValueError(f"Reports load no external resources: {url}")


def page_numbers_css() -> SafeString:
    """CSS ``content`` for the footer: the translated "Page %(number)s of %(total)s" with
    the page counters in place of the placeholders."""
    tokens = []
    for part in re.split(r"(%\(number\)s|%\(total\)s)", _("Page %(number)s of %(total)s")):
        if part == "%(number)s":
            tokens.append("counter(page)")
        elif part == "%(total)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(css_string(part))
    return mark_safe(" ".join(tokens))  # noqa: S308 - css_string escapes every text part


def local_time_note(tz: ZoneInfo) -> str:
    """The header note of date-time columns (Excel has no time zones)."""
    return _("Local time %(zone)s, without a time zone: Excel cannot store one.") % {
        "zone": str(tz)
    }
