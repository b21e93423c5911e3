"""The contact import formats (`meetlat import contacts --format F`), registered by dotted path.

One sub-package per format, each with a pure parser and its own sample files. A format named in
DESIGN.md but not built yet is listed in `PLANNED`; adding it means writing its parser and
adding one line to `PARSERS` (CONTRIBUTING: "a new importer").
"""

from __future__ import annotations

from typing import Final, cast

from django.utils.module_loading import import_string

from meetlat.contacts.importers.base import MailParser, Parser

PARSERS: Final[dict[str, str]] = {
    "csv": "meetlat.contacts.importers.csv.parser.parse",
    "asterisk": "meetlat.contacts.importers.asterisk.parser.parse",
    "eml": "meetlat.contacts.importers.eml.parser.parse_eml",
    "mbox": "meetlat.contacts.importers.eml.parser.parse_mbox",
    "chat-json": "meetlat.contacts.importers.chat.parser.parse",
    "survey-csv": "meetlat.contacts.importers.survey.parser.parse",
}
PLANNED: Final[tuple[str, ...]] = ()
MAIL_FORMATS: Final = frozenset({"eml", "mbox"})
"""Formats whose parser also takes the organisation's own domains (a `MailParser`)."""
ANSWER_FORMATS: Final = frozenset({"survey-csv"})
"""Formats that give survey answers (`ParseResult.answers`) rather than contacts."""
FORMATS: Final[tuple[str, ...]] = (*PARSERS, *PLANNED)


class FormatNotAvailableError(Exception):
    """The format is unknown, or named in DESIGN.md but not supported yet."""


def parser_for(format_name: str) -> Parser:
    """The parser of a format; raises FormatNotAvailableError with a message for the user."""
    if format_name in PARSERS:
        return cast(Parser, import_string(PARSERS[format_name]))
    if format_name in PLANNED:
        raise FormatNotAvailableError(f"format {format_name} is not supported yet.")
    raise FormatNotAvailableError(
        f"unknown format {format_name!r}; the formats are {', '.join(FORMATS)}."
    )


def mail_parser_for(format_name: str) -> MailParser:
    """The parser of an e-mail format (MAIL_FORMATS), which takes `own_domains`."""
    if format_name not in MAIL_FORMATS:
        raise FormatNotAvailableError(f"format {format_name} is not an e-mail format.")
    return cast(MailParser, import_string(PARSERS[format_name]))
