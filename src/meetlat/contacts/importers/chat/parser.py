"""Chat, WhatsApp and social-media conversations as JSON (`--format chat-json`), pure.

A JSON array of conversations, or JSON lines (one conversation per line):
`{"id", "channel": "chat"|"whatsapp"|"social", "started_at", "contact_point"?, "topic"?,
"customer"?, "closed_at"?, "messages": [{"at", "from": "customer"|"agent"|"bot",
"auto"?: bool}]}`. The first human response is the first agent message that is not marked
`auto` (bots and autoreplies do not count; METHODOLOGY.md §4.3). Message texts are never read.
Problems name the physical line of the conversation, its element index and the field.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Final

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import ParsedContact, ParseResult, ProblemList, Progress
from meetlat.contacts.importers.csv.cells import CellError, instant
from meetlat.contacts.importers.csv.parser import decode, failed
from meetlat.contacts.importers.events import CONTACT_ID_MAX, TEXT_MAX, contact_of

__all__ = ["CHANNELS", "SENDERS", "parse"]

CHANNELS: Final = ("chat", "whatsapp", "social")
SENDERS: Final = ("customer", "agent", "bot")
CUSTOMER_MAX: Final = 200
PROGRESS_EVERY: Final = 1000
_DECODER: Final = json.JSONDecoder()
_SPACE: Final = " \t\r\n"


class _FieldError(Exception):
    """A conversation's field is not acceptable."""

    def __init__(self, field: str, value: object, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = "" if value is None else str(value)
        self.message = message


def parse(
    data: bytes,
    *,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
) -> ParseResult:
    """Parse chat conversations; every one or, with any problem, none."""
    problems = ProblemList()
    text = decode(data, problems)
    if text is None:
        return failed(problems)
    contacts: list[ParsedContact] = []
    first_line: dict[str, int] = {}
    rows = 0
    for index, line, item in _elements(text, problems):
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
        where = f"conversation {index}"
        try:
            contact = _conversation(item, line, tz, default_contact_point.strip())
        except _FieldError as bad:
            field = f"{bad.field} " if bad.field else ""
            problems.add(line, bad.field, bad.value, f"{where}: {field}{bad.message}")
            continue
        if contact.contact_id in first_line:
            first = first_line[contact.contact_id]
            problems.add(
                line,
                "id",
                contact.contact_id,
                f"{where}: id appears again (first on line {first}).",
            )
            continue
        first_line[contact.contact_id] = line
        contacts.append(contact)
    if progress is not None:
        progress(rows)
    if problems.count:
        return failed(problems, rows)
    return ParseResult(rows, tuple(contacts), (), 0)


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _elements(text: str, problems: ProblemList) -> Iterator[tuple[int, int, object]]:
    """(index from 1, physical line, value) of each conversation, array or JSON lines."""
    start = len(text) - len(text.lstrip(_SPACE))
    if text.startswith("[", start):
        yield from _array(text, start + 1, problems)
        return
    index = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        index += 1
        try:
            yield index, number, json.loads(raw)
        except json.JSONDecodeError as error:
            problems.add(number, "", raw, f"conversation {index}: not valid JSON ({error.msg}).")


def _array(text: str, position: int, problems: ProblemList) -> Iterator[tuple[int, int, object]]:
    index = 0
    while True:
        position = _skip_space(text, position)
        if text.startswith("]", position):
            if _skip_space(text, position + 1) < len(text):
                problems.add(_line(text, position), "", "", "text after the end of the array.")
            return
        if index and not text.startswith(",", position):
            problems.add(
                _line(text, position), "", "", "expected ',' or ']' between conversations."
            )
            return
        if index:
            position = _skip_space(text, position + 1)
        index += 1
        try:
            value, end = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError as error:
            where = f"conversation {index}: " if position < len(text) else ""
            problems.add(error.lineno, "", "", f"{where}not valid JSON ({error.msg}).")
            return
        yield index, _line(text, position), value
        position = end


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position


def _text(item: Mapping[str, object], field: str, limit: int, *, required: bool = False) -> str:
    value = item.get(field)
    if value is None or value == "":
        if required:
            raise _FieldError(field, "", "is required.")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _FieldError(field, value, "must be text.")
    text = str(value).strip()
    if len(text) > limit:
        raise _FieldError(field, text, f"is longer than {limit} characters ({len(text)}).")
    return text


def _when(item: Mapping[str, object], field: str, tz: dt.tzinfo) -> dt.datetime:
    value = item.get(field)
    if not isinstance(value, str):
        raise _FieldError(
            field,
            value,
            "is required: an ISO 8601 date and time."
            if value is None
            else "must be an ISO 8601 date and time (text).",
        )
    try:
        return instant(value.strip(), tz)
    except CellError as error:
        raise _FieldError(field, value, str(error)) from None


def _first_response(
    messages: object, tz: dt.tzinfo
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first human agent message and the last message of any kind (both may be None)."""
    if not isinstance(messages, list):
        raise _FieldError("messages", "", "must be a list of messages.")
    human: list[dt.datetime] = []
    every: list[dt.datetime] = []
    for number, message in enumerate(messages):
        field = f"messages[{number}]"
        if not isinstance(message, dict):
            raise _FieldError(field, "", "must be an object with 'at' and 'from'.")
        at = _when(message, "at", tz) if "at" in message else None
        if at is None:
            raise _FieldError(f"{field}.at", "", "is required: an ISO 8601 date and time.")
        sender = message.get("from")
        if sender not in SENDERS:
            raise _FieldError(f"{field}.from", sender, f"must be one of {', '.join(SENDERS)}.")
        auto = message.get("auto", False)
        if not isinstance(auto, bool):
            raise _FieldError(f"{field}.auto", auto, "must be true or false.")
        every.append(at)
        if sender == "agent" and not auto:
            human.append(at)
    return (min(human) if human else None), (max(every) if every else None)


def _conversation(
    item: object, line: int, tz: dt.tzinfo, default_contact_point: str
) -> ParsedContact:
    if not isinstance(item, dict):
        raise _FieldError("", "", "must be a JSON object.")
    contact_id = _text(item, "id", CONTACT_ID_MAX, required=True)
    channel = _text(item, "channel", 20, required=True).lower()
    if channel not in CHANNELS:
        raise _FieldError("channel", channel, f"must be one of {', '.join(CHANNELS)}.")
    started_at = _when(item, "started_at", tz)
    first_response, _last = _first_response(item.get("messages", []), tz)
    closed_at = _when(item, "closed_at", tz) if item.get("closed_at") else None
    return contact_of(
        line=line,
        contact_id=contact_id,
        channel=channel,
        started_at=started_at,
        contact_point=_text(item, "contact_point", TEXT_MAX) or default_contact_point,
        topic=_text(item, "topic", TEXT_MAX),
        customer=_text(item, "customer", CUSTOMER_MAX),
        answered=first_response is not None,
        first_response_at=first_response,
        closed_at=closed_at,
    )
