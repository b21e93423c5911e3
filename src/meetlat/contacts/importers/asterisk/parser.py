"""Asterisk `queue_log` (`--format asterisk`), parsed as a pure function.

Each line is `time|callid|queuename|agent|event|data1|data2|...`: `time` is Unix epoch seconds
(read as UTC), `callid` the caller channel's unique id. The old layout writes the event's data as
one `data` value `a|b|c`, the new one as `data1`..`data5` (empty ones included); both end up as
the same pipe-separated fields, so both are read the same way. Blank lines are fine.

One call per ENTERQUEUE, with contact_id = callid (a call that enters a queue again after its
outcome gets `callid-2`, `callid-3` …):

- ENTERQUEUE (data2 = caller id, stored only as a salted hash by the service; the queue is the
  contact point);
- CONNECT (data1 = hold time → `wait_s`, answered; the agent is pseudonymised by the service);
- ABANDON, EXITWITHTIMEOUT, EXITEMPTY (data3 = wait) and EXITWITHKEY (data4 = wait) → abandoned;
  without the wait field (old versions) the wait is the time since ENTERQUEUE;
- COMPLETEAGENT, COMPLETECALLER (data2 = talk time → `handle_s`) end an answered call;
- TRANSFER, BLINDTRANSFER, ATTENDEDTRANSFER (data4 = talk time) count a transfer and end it;
- RINGNOANSWER and every other event are ignored.

A call whose outcome is not final at the end of the log (still waiting, or answered but not yet
ended) is not counted: `ParseResult.open_calls` says how many there were. Events of a call
that entered before the log began are ignored. Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import ParsedContact, ParseResult, ProblemList, Progress
from meetlat.contacts.importers.csv.cells import MAX_INTEGER, MAX_LENGTH
from meetlat.contacts.importers.csv.parser import PROGRESS_EVERY, decode

__all__ = ["FIELDS", "parse"]

FIELDS: Final[tuple[str, ...]] = (
    "time",
    "callid",
    "queuename",
    "agent",
    "event",
    "data1",
    "data2",
    "data3",
    "data4",
    "data5",
)
MIN_FIELDS: Final = 5
NO_VALUE: Final = frozenset({"", "NONE", "REALTIME"})
ABANDON_WAIT: Final[dict[str, int]] = {  # event → data field (1-based) holding the wait
    "ABANDON": 3,
    "EXITWITHTIMEOUT": 3,
    "EXITEMPTY": 3,
    "EXITWITHKEY": 4,
}
COMPLETE: Final = frozenset({"COMPLETEAGENT", "COMPLETECALLER"})
TRANSFERS: Final = frozenset({"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"})
_EPOCH = re.compile(r"[0-9]{1,12}(?:\.[0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass
class _Call:
    """A call being read: from its ENTERQUEUE to its final event."""

    contact_id: str
    line: int
    started_at: dt.datetime
    queue: str
    caller: str
    outcome: str = ""
    wait_s: int | None = None
    handle_s: int | None = None
    agent: str = ""
    transfers: int = 0
    final: bool = False


@dataclass(frozen=True)
class _Event:
    line: int
    at: dt.datetime
    callid: str
    queue: str
    agent: str
    name: str
    data: tuple[str, ...]

    def value(self, number: int) -> str:
        """data<number> (1-based); empty when the line has fewer fields."""
        return self.data[number - 1].strip() if len(self.data) >= number else ""


def parse(
    data: bytes,
    *,
    tz: dt.tzinfo = AMSTERDAM,
    default_contact_point: str = "",
    progress: Progress | None = None,
) -> ParseResult:
    """Parse a queue_log; `tz` is not used (epoch times are UTC) but kept for the registry."""
    problems = ProblemList()
    if not data.strip():
        return ParseResult(0, (), (), 0)
    text = decode(data, problems)
    if text is None:
        return ParseResult(0, (), tuple(problems.errors), problems.count)
    reader = _Reader(default_contact_point.strip(), problems)
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(len(reader.done))
        if line.strip():
            event = _event(line, number, problems)
            if event is not None:
                reader.read(event)
    contacts = tuple(_contact(call) for call in sorted(reader.done, key=lambda c: c.line))
    open_calls = sum(1 for call in reader.calls.values() if not call.final)
    if progress is not None:
        progress(len(contacts))
    if problems.count:
        return ParseResult(len(contacts), (), tuple(problems.errors), problems.count)
    return ParseResult(len(contacts), contacts, (), 0, open_calls=open_calls)


def _event(line: str, number: int, problems: ProblemList) -> _Event | None:
    """One line's event, or None after adding its problem."""
    fields = line.split("|")
    if len(fields) < MIN_FIELDS:
        problems.add(
            number,
            FIELDS[len(fields)],
            line,
            f"the line has {len(fields)} field(s); expected at least {MIN_FIELDS} "
            "(time|callid|queuename|agent|event|data…).",
        )
        return None
    stamp = fields[0].strip()
    if not _EPOCH.fullmatch(stamp):
        problems.add(number, "time", stamp, "time is not a Unix time (seconds since 1970).")
        return None
    try:
        at = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC).replace(microsecond=0)
        at.astimezone(AMSTERDAM)
    except (OverflowError, OSError, ValueError):
        problems.add(number, "time", stamp, "time is out of range.")
        return None
    return _Event(
        line=number,
        at=at,
        callid=fields[1].strip(),
        queue=fields[2].strip(),
        agent=fields[3].strip(),
        name=fields[4].strip().upper(),
        data=tuple(fields[5:]),
    )


class _Reader:
    """Follows every call from event to event."""

    def __init__(self, default_contact_point: str, problems: ProblemList) -> None:
        self.default_contact_point = default_contact_point
        self.problems = problems
        self.calls: dict[str, _Call] = {}
        self.entries: dict[str, int] = {}
        self.done: list[_Call] = []

    def read(self, event: _Event) -> None:
        if event.callid in NO_VALUE:
            return  # agent and queue events (AGENTLOGIN, PAUSE, QUEUESTART …)
        if event.name == "ENTERQUEUE":
            self._enter(event)
            return
        call = self.calls.get(event.callid)
        if call is None or call.final:
            return  # entered before the log began, or already ended
        if event.name == "CONNECT":
            call.outcome = "answered"
            call.wait_s = self._seconds(event, 1, call)
            call.agent = _agent(event.agent)
        elif event.name in ABANDON_WAIT:
            if call.outcome != "answered":
                call.outcome = "abandoned"
                call.wait_s = self._seconds(event, ABANDON_WAIT[event.name], call)
                self._end(call)
        elif event.name in COMPLETE:
            self._answered_end(event, call, talk_field=2)
        elif event.name in TRANSFERS:
            call.transfers += 1
            self._answered_end(event, call, talk_field=4)

    def _enter(self, event: _Event) -> None:
        known = self.calls.get(event.callid)
        if known is not None and not known.final:
            return  # entered again without an outcome: the first entry counts
        count = self.entries.get(event.callid, 0) + 1
        self.entries[event.callid] = count
        contact_id = event.callid if count == 1 else f"{event.callid}-{count}"
        if len(contact_id) > MAX_LENGTH["contact_id"]:
            self.problems.add(
                event.line, "callid", event.callid, "callid is longer than 128 characters."
            )
            return
        queue = "" if event.queue in NO_VALUE else event.queue
        self.calls[event.callid] = _Call(
            contact_id=contact_id,
            line=event.line,
            started_at=event.at,
            queue=(queue or self.default_contact_point)[: MAX_LENGTH["contact_point"]],
            caller=_caller(event.value(2)),
        )

    def _answered_end(self, event: _Event, call: _Call, *, talk_field: int) -> None:
        if call.outcome != "answered":  # no CONNECT line: the hold time is data1 here too
            call.outcome = "answered"
            call.wait_s = self._seconds(event, 1, call)
            call.agent = _agent(event.agent)
        talk = event.value(talk_field)
        call.handle_s = self._whole(event, talk_field, talk) if talk else None
        self._end(call)

    def _end(self, call: _Call) -> None:
        call.final = True
        self.done.append(call)

    def _seconds(self, event: _Event, number: int, call: _Call) -> int | None:
        """data<number> in seconds; without it, the time since the call entered the queue."""
        value = event.value(number)
        if not value:
            return max(0, int((event.at - call.started_at).total_seconds()))
        return self._whole(event, number, value)

    def _whole(self, event: _Event, number: int, value: str) -> int | None:
        if not _DIGITS.fullmatch(value) or int(value) > MAX_INTEGER:
            self.problems.add(
                event.line,
                f"data{number}",
                value,
                f"data{number} of {event.name} is not a whole number of seconds.",
            )
            return None
        return int(value)


def _agent(value: str) -> str:
    return "" if value in NO_VALUE else value[: MAX_LENGTH["agent"]]


def _caller(value: str) -> str:
    hidden = {"unknown", "anonymous", "restricted", "private"}
    return "" if value in NO_VALUE or value.lower() in hidden else value[: MAX_LENGTH["customer"]]


def _contact(call: _Call) -> ParsedContact:
    local = call.started_at.astimezone(AMSTERDAM)
    return ParsedContact(
        line=call.line,
        contact_id=call.contact_id,
        channel="phone",
        started_at=call.started_at,
        local_date=local.date(),
        local_hour=local.hour,
        outcome=call.outcome,
        wait_s=call.wait_s,
        handle_s=call.handle_s,
        transfers=call.transfers,
        contact_point=call.queue,
        topic="",
        agent=call.agent,
        customer=call.caller,
        resolved_first_contact=None,
    )
