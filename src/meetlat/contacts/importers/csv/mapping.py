"""`--mapping M.toml`: other CSV layouts read into the canonical columns (docs/import-mappings.md).

A mapping names the source column of each canonical field, joins split date and time columns,
reads durations given as `H:MM:SS` or seconds, names values that mean "empty", translates
outcome values, skips rows by a column value, and gives the delimiter and encoding. The mapping
file itself is checked first: a problem raises `MappingError` naming the key and the value.

Problems in the data name the physical line and the *source* column, as in the canonical CSV.
Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final

from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.kpi import OUTCOMES
from meetlat.contacts.importers.base import Parser, ParseResult, ProblemList, Progress
from meetlat.contacts.importers.csv.parser import (
    COLUMNS,
    REQUIRED,
    CellError,
    decode,
    failed,
    parse_table,
)

__all__ = ["ColumnMapping", "MappingError", "mapped_parser", "mapping_load", "parse"]

ENCODINGS: Final = ("utf-8", "cp1252")
DURATIONS: Final = ("auto", "h:mm:ss", "seconds")
DURATION_FIELDS: Final = frozenset({"wait_s", "handle_s"})
_TOP_KEYS: Final = frozenset({"delimiter", "encoding", "empty", "columns", "outcomes", "skip"})
_FIELD_KEYS: Final = frozenset({"column", "empty", "values", "duration", "format"})
_STARTED_KEYS: Final = frozenset({"column", "format", "date", "time", "date_format", "time_format"})
_HMS = re.compile(r"(?:(\d+):)?([0-5]?\d):([0-5]\d)")
_SECONDS = re.compile(r"\d+(?:[.,]\d+)?")


class MappingError(ValueError):
    """The mapping file itself is wrong: `key` names the place, `value` what was found."""

    def __init__(self, key: str, value: object, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.value = "" if value is None else str(value)
        self.message = message

    def describe(self, file_name: str) -> str:
        where = f"{file_name}, key {self.key}" if self.key else file_name
        found = f" (found {self.value!r})" if self.value else ""
        return f"{where}: {self.message}{found}"


@dataclass(frozen=True)
class FieldSource:
    """Where a canonical field comes from: one source column, read with these rules."""

    column: str
    empty: frozenset[str] = frozenset()
    values: Mapping[str, str] = field(default_factory=dict)  # lower-case source → canonical
    duration: str = "auto"


@dataclass(frozen=True)
class StartSource:
    """`started_at`: one column (ISO 8601 or `format`), or a date and a time column."""

    column: str = ""
    format: str = ""
    date: str = ""
    time: str = ""
    date_format: str = "%Y-%m-%d"
    time_format: str = "%H:%M:%S"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,) if self.column else (self.date, self.time)


@dataclass(frozen=True)
class ColumnMapping:
    """A checked mapping file."""

    started_at: StartSource
    fields: Mapping[str, FieldSource]
    delimiter: str = ","
    encoding: str = "utf-8"
    skip: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def source_columns(self) -> tuple[str, ...]:
        """Every source column the mapping reads, in a stable order."""
        named = [*self.started_at.columns, *(f.column for f in self.fields.values())]
        return tuple(dict.fromkeys([*named, *self.skip]))


# --- the mapping file -----------------------------------------------------------------------


def mapping_load(data: bytes) -> ColumnMapping:
    """Read and check a mapping file; raises MappingError naming the key and value."""
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise MappingError("", "", "the mapping is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError("", "", f"the mapping is not valid TOML ({error}).") from None
    _known_keys(doc, _TOP_KEYS, "")
    delimiter = _string(doc, "delimiter", ",", "")
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise MappingError("delimiter", delimiter, "must be one character, such as ; or ,.")
    encoding = _string(doc, "encoding", "utf-8", "").lower().replace("_", "-")
    encoding = {"utf8": "utf-8", "windows-1252": "cp1252"}.get(encoding, encoding)
    if encoding not in ENCODINGS:
        raise MappingError("encoding", encoding, f"must be one of {', '.join(ENCODINGS)}.")
    empty = frozenset(_strings(doc.get("empty", []), "empty"))
    columns = _table(doc.get("columns"), "columns")
    _known_keys(columns, frozenset(COLUMNS), "columns.")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise MappingError("columns", "", f"required field(s) not mapped: {', '.join(missing)}.")
    fields = {
        name: _field(name, spec, empty) for name, spec in columns.items() if name != "started_at"
    }
    outcomes = _values(_table(doc.get("outcomes", {}), "outcomes"), "outcomes")
    if outcomes:
        point = fields["outcome"]
        fields["outcome"] = FieldSource(
            point.column, point.empty, {**outcomes, **point.values}, point.duration
        )
    for name, value in fields["outcome"].values.items():
        if value not in OUTCOMES:
            raise MappingError(
                f"outcomes.{name}", value, f"must be one of {', '.join(sorted(OUTCOMES))}."
            )
    skip = {
        column: frozenset(_strings(values, f"skip.{column}"))
        for column, values in _table(doc.get("skip", {}), "skip").items()
    }
    return ColumnMapping(
        started_at=_started(columns["started_at"]),
        fields=fields,
        delimiter=delimiter,
        encoding=encoding,
        skip=skip,
    )


def _known_keys(table: Mapping[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise MappingError(
                f"{prefix}{key}", key, f"unknown key; allowed are {', '.join(sorted(allowed))}."
            )


def _table(value: object, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MappingError(key, _shown(value), "must be a table ([...] section).")
    return value


def _string(table: Mapping[str, Any], name: str, default: str, prefix: str) -> str:
    value = table.get(name, default)
    if not isinstance(value, str) or not value.strip() and name != "delimiter":
        raise MappingError(f"{prefix}{name}", _shown(value), "must be a non-empty text.")
    return value if name == "delimiter" else value.strip()


def _strings(value: object, key: str) -> list[str]:
    if isinstance(value, str):
        return [value.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MappingError(key, _shown(value), "must be a text or a list of texts.")
    return [v.strip() for v in value]


def _values(table: Mapping[str, Any], key: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for source, target in table.items():
        if not isinstance(target, str):
            raise MappingError(f"{key}.{source}", _shown(target), "must be a text.")
        values[source.strip().lower()] = target.strip()
    return values


def _shown(value: object) -> str:
    return value if isinstance(value, str) else repr(value)


def _field(name: str, spec: object, empty: frozenset[str]) -> FieldSource:
    key = f"columns.{name}"
    if isinstance(spec, str):
        return FieldSource(_column(spec, key), empty)
    table = _table(spec, key)
    _known_keys(table, _FIELD_KEYS, f"{key}.")
    if "format" in table:
        raise MappingError(f"{key}.format", table["format"], "only started_at takes a format.")
    duration = _string(table, "duration", "auto", f"{key}.").lower()
    if duration not in DURATIONS:
        raise MappingError(f"{key}.duration", duration, f"must be one of {', '.join(DURATIONS)}.")
    if "duration" in table and name not in DURATION_FIELDS:
        raise MappingError(f"{key}.duration", duration, "only wait_s and handle_s are durations.")
    return FieldSource(
        column=_column(table.get("column"), f"{key}.column"),
        empty=empty | frozenset(_strings(table.get("empty", []), f"{key}.empty")),
        values=_values(_table(table.get("values", {}), f"{key}.values"), f"{key}.values"),
        duration=duration,
    )


def _column(value: object, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MappingError(key, _shown(value), "must name a column of the file.")
    return value.strip()


def _started(spec: object) -> StartSource:
    key = "columns.started_at"
    if isinstance(spec, str):
        return StartSource(column=_column(spec, key))
    table = _table(spec, key)
    _known_keys(table, _STARTED_KEYS, f"{key}.")
    formats = {
        name: _format(table, name, default)
        for name, default in (
            ("format", ""),
            ("date_format", "%Y-%m-%d"),
            ("time_format", "%H:%M:%S"),
        )
    }
    if "column" in table:
        if "date" in table or "time" in table:
            raise MappingError(key, "", "give either column, or date and time; not both.")
        return StartSource(
            column=_column(table["column"], f"{key}.column"), format=formats["format"]
        )
    if "date" not in table or "time" not in table:
        raise MappingError(key, "", "give column, or both date and time.")
    return StartSource(
        date=_column(table["date"], f"{key}.date"),
        time=_column(table["time"], f"{key}.time"),
        date_format=formats["date_format"],
        time_format=formats["time_format"],
    )


def _format(table: Mapping[str, Any], name: str, default: str) -> str:
    key = f"columns.started_at.{name}"
    value = table.get(name, default)
    if not isinstance(value, str) or (value and "%" not in value):
        raise MappingError(key, _shown(value), "must be a strftime format such as %d-%m-%Y.")
    return value


# --- the data -------------------------------------------------------------------------------


def duration_seconds(value: str, style: str = "auto") -> str:
    """A duration as whole seconds in text: `H:MM:SS`, `M:SS` or seconds (`12`, `12,4`)."""
    match = _HMS.fullmatch(value)
    if match is not None and style != "seconds":
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return str(hours * 3600 + minutes * 60 + seconds)
    if _SECONDS.fullmatch(value) and style != "h:mm:ss":
        return str(round(float(value.replace(",", "."))))
    expected = {"auto": "H:MM:SS or seconds", "h:mm:ss": "H:MM:SS", "seconds": "seconds"}[style]
    raise CellError(f"is not a duration ({expected}).")


def _start(start: StartSource, row: Mapping[str, str]) -> str:
    """`started_at` as ISO text for the canonical parser; CellError names the bad column."""
    if start.column:
        value = row[start.column]
        if not start.format or not value:
            return value
        return _strptime(value, start.format).isoformat()
    day_text, time_text = row[start.date], row[start.time]
    if not day_text:
        raise _ColumnError(start.date, day_text, "started_at is required.")
    if not time_text:
        raise _ColumnError(start.time, time_text, "started_at is required (the time is empty).")
    try:
        day = _strptime(day_text, start.date_format).date()
    except CellError as error:
        raise _ColumnError(start.date, day_text, f"started_at {error}") from None
    try:
        clock = _strptime(time_text, start.time_format).time()
    except CellError as error:
        raise _ColumnError(start.time, time_text, f"started_at {error}") from None
    return dt.datetime.combine(day, clock).isoformat()


def _strptime(value: str, pattern: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, pattern)  # noqa: DTZ007 - read in --tz afterwards
    except ValueError:
        raise CellError(f"does not match the format {pattern}.") from None


class _ColumnError(Exception):
    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column, self.value, self.message = column, value, message


class MappedLayout:
    """A CSV layout read through a mapping (`Layout` of the canonical parser)."""

    def __init__(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        self.delimiter = mapping.delimiter
        self._names = {name: source.column for name, source in mapping.fields.items()}
        self._names["started_at"] = mapping.started_at.columns[0]

    def header(self, raw: list[str], problems: ProblemList) -> list[str] | None:
        names = [name.strip() for name in raw]
        missing = [c for c in self.mapping.source_columns() if c not in names]
        for column in missing:
            problems.add(
                1, column, "", f"the mapping names column {column!r}, but the header has none."
            )
        twice = {c for c in self.mapping.source_columns() if names.count(c) > 1}
        for column in sorted(twice):
            problems.add(1, column, column, "this column appears twice in the header.")
        if len(names) == 1 and self.delimiter not in raw[0] and missing:
            problems.add(
                1, "", raw[0], f"the header has no {self.delimiter!r}; check the delimiter."
            )
        return None if missing or twice else names

    def positions(self, header: Sequence[str]) -> list[int] | None:
        return None  # rows are translated by `canonical`

    def skip(self, row: Mapping[str, str]) -> bool:
        return any(row[column] in values for column, values in self.mapping.skip.items())

    def canonical(
        self, row: Mapping[str, str], line: int, problems: ProblemList
    ) -> dict[str, str] | None:
        before = problems.count
        canonical: dict[str, str] = {}
        try:
            canonical["started_at"] = _start(self.mapping.started_at, row)
        except _ColumnError as error:
            problems.add(line, error.column, error.value, error.message)
        except CellError as error:
            column = self.mapping.started_at.column
            problems.add(line, column, row[column], f"started_at {error}")
        for name, source in self.mapping.fields.items():
            value = row[source.column]
            try:
                canonical[name] = _cell(name, source, value)
            except CellError as error:
                problems.add(line, source.column, value, f"{name} {error}")
        return None if problems.count > before else canonical

    def source_column(self, column: str) -> str:
        return self._names.get(column, column)


def _cell(name: str, source: FieldSource, value: str) -> str:
    if value in source.empty:
        return ""
    value = source.values.get(value.lower(), value)
    if name in DURATION_FIELDS and value:
        return duration_seconds(value, source.duration)
    return value


def parse(
    data: bytes,
    *,
    mapping: ColumnMapping,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
) -> ParseResult:
    """Parse a CSV file of another layout through a checked mapping."""
    problems = ProblemList()
    text = decode(data, problems, mapping.encoding)
    if text is None:
        return failed(problems)
    return parse_table(
        text,
        layout=MappedLayout(mapping),
        tz=tz,
        default_contact_point=default_contact_point,
        progress=progress,
    )


def mapped_parser(mapping: ColumnMapping) -> Parser:
    """A `Parser` (the registry's signature) that reads through this mapping."""
    return partial(parse, mapping=mapping)
