"""KPIs of callbacks, written channels, chat, counter and KTO (METHODOLOGY.md §4.3).

Same conventions as `calc.kpi`: zero denominator → None, empty percentile → None, counts 0.
A measurement is taken "as of" `now`: events later than `now` have not happened yet. A contact
whose event has not happened and whose deadline for a ratio has not passed is left out of that
ratio; once the deadline passes without the event it counts as missed.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypedDict

from meetlat.calc.calendar import Mode24h, WorkCalendar
from meetlat.calc.kpi import IsOpen, mean, percentile_cont, ratio, utc

__all__ = [
    "Callback",
    "ChatConversation",
    "CounterVisit",
    "KtoAnswer",
    "Thread",
    "callback_kpis",
    "chat_kpis",
    "counter_kpis",
    "email_kpis",
    "kto_kpis",
    "kto_kpis_by_channel_aspect",
]

_HOUR: Final = dt.timedelta(hours=1)
_DAY: Final = dt.timedelta(hours=24)
TERM_NOTICE_WD: Final = 10
DONT_KNOW: Final[frozenset[str]] = frozenset(
    {"", "weet niet", "weet ik niet", "geen mening", "n.v.t.", "nvt"}
)
"""KTO answers that are left out: empty and "weet niet" (and its usual variants)."""

Within = Callable[[dt.datetime], bool]


def _happened(event: dt.datetime | None, now: dt.datetime | None) -> dt.datetime | None:
    """The event if it happened by `now` (always, without `now`), else None."""
    if event is None or now is None or utc(event) <= utc(now):
        return event
    return None


def _first(*events: dt.datetime | None) -> dt.datetime | None:
    present = [e for e in events if e is not None]
    return min(present, key=utc) if present else None


def _judge(event: dt.datetime | None, now: dt.datetime | None, within: Within) -> bool | None:
    """True or False once decided; None while the event is pending and still in time."""
    if event is not None:
        return within(event)
    if now is not None and within(now):
        return None
    return False


def _rate(judgements: Iterable[bool | None]) -> float | None:
    decided = [j for j in judgements if j is not None]
    return ratio(sum(decided), len(decided))


def _within_clock(start: dt.datetime, limit: dt.timedelta) -> Within:
    return lambda t: utc(t) - utc(start) <= limit


def _within_until(deadline: dt.datetime) -> Within:
    return lambda t: utc(t) <= utc(deadline)


def _within_term(calendar: WorkCalendar, received: dt.datetime, n: int) -> Within:
    return lambda t: calendar.in_term(t, received, n)


def _outside(starts: Iterable[tuple[dt.datetime, str]], is_open: IsOpen | None) -> int | None:
    if is_open is None:
        return None
    return sum(1 for at, point in starts if not is_open(at, point))


# --- e-mail and web form --------------------------------------------------------------------


@dataclass(frozen=True)
class Thread:
    """An e-mail or web-form thread: receipt, first acknowledgement, answer, term notice."""

    received_at: dt.datetime
    acknowledged_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    term_notice_at: dt.datetime | None = None
    contact_id: str = ""
    channel: str = "email"
    contact_point: str = ""
    topic: str = ""


class EmailKpis(TypedDict):
    received: int
    ack_within_1h_rate: float | None
    answered_within_term_rate: float | None
    answered_within_24h_rate: float | None
    term_notice_within_10wd_rate: float | None
    doorlooptijd_wd_p50: float | None
    doorlooptijd_wd_p90: float | None
    open: int
    mode_24h: str
    term_wd: int
    outside_opening_hours: int | None


def _within_24h(calendar: WorkCalendar, received: dt.datetime, mode: Mode24h) -> Within:
    if mode is Mode24h.CLOCK_24H:
        return _within_clock(received, _DAY)
    if mode is Mode24h.NEXT_WORKING_DAY:
        return _within_term(calendar, received, 1)
    return _within_until(calendar.deadline_24h(utc(received), mode))


def _term_notice(
    thread: Thread, answered: dt.datetime | None, now: dt.datetime, calendar: WorkCalendar, n: int
) -> bool | None:
    """Among threads not answered by due(received, n): answer or term notice by 10 wd."""
    late = _judge(answered, now, _within_term(calendar, thread.received_at, n))
    if late is not False:  # answered in term, or not due yet: not in the base
        return None
    reply = _first(answered, _happened(thread.term_notice_at, now))
    return _judge(reply, now, _within_term(calendar, thread.received_at, TERM_NOTICE_WD))


def email_kpis(
    threads: Sequence[Thread],
    *,
    calendar: WorkCalendar,
    now: dt.datetime,
    term_wd: int = 2,
    mode_24h: Mode24h | str = Mode24h.CLOCK_24H,
    is_open: IsOpen | None = None,
) -> EmailKpis:
    """E-mail and web-form KPIs of the threads received in the period, as of `now`."""
    mode = Mode24h(mode_24h)
    if term_wd < 0:
        raise ValueError(f"term_wd cannot be negative, got {term_wd!r}")
    utc(now)
    ack: list[bool | None] = []
    term: list[bool | None] = []
    day: list[bool | None] = []
    notice: list[bool | None] = []
    lead_times: list[int] = []
    for thread in threads:
        received = thread.received_at
        answered = _happened(thread.answered_at, now)
        first_ack = _first(_happened(thread.acknowledged_at, now), answered)
        ack.append(_judge(first_ack, now, _within_clock(received, _HOUR)))
        term.append(_judge(answered, now, _within_term(calendar, received, term_wd)))
        day.append(_judge(answered, now, _within_24h(calendar, received, mode)))
        notice.append(_term_notice(thread, answered, now, calendar, term_wd))
        if answered is not None:
            answer_date = utc(answered).astimezone(calendar.tz).date()
            lead_times.append(
                calendar.working_days_after(calendar.receipt_day(received), answer_date)
            )
    return {
        "received": len(threads),
        "ack_within_1h_rate": _rate(ack),
        "answered_within_term_rate": _rate(term),
        "answered_within_24h_rate": _rate(day),
        "term_notice_within_10wd_rate": _rate(notice),
        "doorlooptijd_wd_p50": percentile_cont(lead_times, 0.5),
        "doorlooptijd_wd_p90": percentile_cont(lead_times, 0.9),
        "open": len(threads) - len(lead_times),
        "mode_24h": mode.value,
        "term_wd": term_wd,
        "outside_opening_hours": _outside(
            ((t.received_at, t.contact_point) for t in threads), is_open
        ),
    }


# --- chat, WhatsApp, social -----------------------------------------------------------------


@dataclass(frozen=True)
class ChatConversation:
    """A chat, WhatsApp or social conversation; `first_response_at` is the first human message
    (bots and autoreplies do not count)."""

    started_at: dt.datetime
    first_response_at: dt.datetime | None = None
    contact_id: str = ""
    channel: str = "chat"
    contact_point: str = ""
    topic: str = ""


class ChatKpis(TypedDict):
    conversations: int
    first_response_within_norm_rate: float | None
    first_response_office_min_p50: float | None
    first_response_office_min_p90: float | None
    norm_office_hours: float
    outside_opening_hours: int | None


def chat_kpis(
    conversations: Sequence[ChatConversation],
    *,
    calendar: WorkCalendar,
    norm_office_hours: float = 4,
    now: dt.datetime | None = None,
    is_open: IsOpen | None = None,
) -> ChatKpis:
    """First response within N office hours [NISS] / conversations.

    Without `now` every conversation counts and one without a response has missed the norm;
    with `now`, one still waiting within its norm is left out.
    """
    if norm_office_hours < 0:
        raise ValueError(f"norm_office_hours cannot be negative, got {norm_office_hours!r}")
    judgements: list[bool | None] = []
    minutes: list[float] = []
    for conv in conversations:
        response = _happened(conv.first_response_at, now)
        deadline = calendar.add_office_hours(utc(conv.started_at), norm_office_hours)
        judgements.append(_judge(response, now, _within_until(deadline)))
        if response is not None:
            office = calendar.office_time_between(utc(conv.started_at), utc(response))
            minutes.append(office.total_seconds() / 60)
    return {
        "conversations": len(conversations),
        "first_response_within_norm_rate": _rate(judgements),
        "first_response_office_min_p50": percentile_cont(minutes, 0.5),
        "first_response_office_min_p90": percentile_cont(minutes, 0.9),
        "norm_office_hours": norm_office_hours,
        "outside_opening_hours": _outside(
            ((c.started_at, c.contact_point) for c in conversations), is_open
        ),
    }


# --- counter --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterVisit:
    """A counter visit; with `appointment_at` it is an appointment, otherwise a walk-in.
    `called_at` is None when the visitor was never called."""

    arrived_at: dt.datetime
    called_at: dt.datetime | None = None
    appointment_at: dt.datetime | None = None
    contact_id: str = ""
    contact_point: str = ""
    topic: str = ""


class CounterKpis(TypedDict):
    visits: int
    appointments: int
    walk_ins: int
    served_within_5min_appointment_rate: float | None
    served_within_15min_walk_in_rate: float | None
    outside_opening_hours: int | None


def counter_wait(visit: CounterVisit) -> dt.timedelta | None:
    """called − max(arrived, appointment), or called − arrived for a walk-in; None if not called."""
    if visit.called_at is None:
        return None
    start = visit.arrived_at
    if visit.appointment_at is not None:
        start = max(start, visit.appointment_at, key=utc)
    return utc(visit.called_at) - utc(start)


def counter_kpis(
    visits: Sequence[CounterVisit],
    *,
    appointment_norm_s: int = 5 * 60,
    walk_in_norm_s: int = 15 * 60,
    is_open: IsOpen | None = None,
) -> CounterKpis:
    """Share served within the norm, each over its own visits; never called = not served."""
    appointment_ok: list[bool] = []
    walk_in_ok: list[bool] = []
    for visit in visits:
        wait = counter_wait(visit)
        is_appointment = visit.appointment_at is not None
        norm = dt.timedelta(seconds=appointment_norm_s if is_appointment else walk_in_norm_s)
        (appointment_ok if is_appointment else walk_in_ok).append(wait is not None and wait <= norm)
    return {
        "visits": len(visits),
        "appointments": len(appointment_ok),
        "walk_ins": len(walk_in_ok),
        "served_within_5min_appointment_rate": ratio(sum(appointment_ok), len(appointment_ok)),
        "served_within_15min_walk_in_rate": ratio(sum(walk_in_ok), len(walk_in_ok)),
        "outside_opening_hours": _outside(
            ((v.arrived_at, v.contact_point) for v in visits), is_open
        ),
    }


# --- KTO ------------------------------------------------------------------------------------

KtoQuestion = Literal["grade", "csat", "recommend"]
_SCALES: Final[dict[str, tuple[int, int]]] = {
    "grade": (1, 10),
    "csat": (1, 5),
    "recommend": (0, 10),
}


@dataclass(frozen=True)
class KtoAnswer:
    """One survey answer: `grade` 1–10, `csat` 1–5 or `recommend` 0–10 (the NPS question).

    `value` is a number, a numeric string, or empty / "weet niet" (left out).
    """

    question: KtoQuestion
    value: int | str | None
    channel: str = ""
    aspect: str = ""
    respondent: str = ""


class KtoKpis(TypedDict):
    grade_mean: float | None
    grade_n: int
    csat_rate: float | None
    csat_n: int
    nps: float | None
    nps_n: int


class KtoGroup(TypedDict):
    channel: str
    aspect: str
    kpis: KtoKpis


def _kto_value(answer: KtoAnswer) -> int | None:
    """The answer on its scale, or None for empty and "weet niet"; out of scale is an error."""
    if answer.question not in _SCALES:
        raise ValueError(f"unknown KTO question {answer.question!r}")
    value = answer.value
    if value is None or (isinstance(value, str) and value.strip().lower() in DONT_KNOW):
        return None
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise ValueError(f"KTO {answer.question} answer is not a whole number: {value!r}")
        value = int(value.strip())
    low, high = _SCALES[answer.question]
    if isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"KTO {answer.question} answer must be {low} to {high}, got {value!r}")
    return value


def kto_kpis(answers: Iterable[KtoAnswer]) -> KtoKpis:
    """grade_mean of 1–10, csat_rate = 4 or 5 / all 1–5, nps = %9–10 − %0–6; each with its n.

    nps is None when the 0–10 question was not asked (or only "weet niet" came back).
    """
    values: defaultdict[str, list[int]] = defaultdict(list)
    for answer in answers:
        value = _kto_value(answer)
        if value is not None:
            values[answer.question].append(value)
    grades, csat, recommend = values["grade"], values["csat"], values["recommend"]
    promoters = sum(1 for v in recommend if v >= 9)
    detractors = sum(1 for v in recommend if v <= 6)
    nps = ratio(100 * (promoters - detractors), len(recommend))
    return {
        "grade_mean": mean(grades),
        "grade_n": len(grades),
        "csat_rate": ratio(sum(1 for v in csat if v >= 4), len(csat)),
        "csat_n": len(csat),
        "nps": nps,
        "nps_n": len(recommend),
    }


def kto_kpis_by_channel_aspect(answers: Iterable[KtoAnswer]) -> list[KtoGroup]:
    """KTO KPIs per channel asked about and aspect, sorted by (channel, aspect)."""
    groups: defaultdict[tuple[str, str], list[KtoAnswer]] = defaultdict(list)
    for answer in answers:
        groups[(answer.channel, answer.aspect)].append(answer)
    return [
        {"channel": channel, "aspect": aspect, "kpis": kto_kpis(group)}
        for (channel, aspect), group in sorted(groups.items())
    ]


# --- callbacks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Callback:
    """A callback request or note: created, optionally a promised moment, and when done."""

    created_at: dt.datetime
    promised_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    contact_id: str = ""
    contact_point: str = ""
    topic: str = ""


class CallbackKpis(TypedDict):
    callbacks: int
    callback_within_norm_rate: float | None
    callback_kept_rate: float | None


def callback_norm(
    callback: Callback, *, calendar: WorkCalendar, norm_wd: int = 2, strict_24h: bool = False
) -> tuple[dt.datetime, Within]:
    """The norm moment (promised, else due(created, 2), strict: created + 24 h) and its test."""
    created = callback.created_at
    if callback.promised_at is not None:
        return callback.promised_at, _within_until(callback.promised_at)
    if strict_24h:
        return utc(created) + _DAY, _within_clock(created, _DAY)
    return calendar.due(created, norm_wd), _within_term(calendar, created, norm_wd)


def callback_kpis(
    callbacks: Sequence[Callback],
    *,
    calendar: WorkCalendar,
    period_from: dt.date,
    period_to: dt.date,
    now: dt.datetime,
    norm_wd: int = 2,
    strict_24h: bool = False,
    done_recorded: bool = True,
) -> CallbackKpis:
    """callback_within_norm_rate and callback_kept_rate (METHODOLOGY.md §4.3).

    Pass every callback created in the period or with its norm moment in it; the period is
    inclusive local dates. Without a record of `done_at` (`done_recorded=False`) both are None.
    """
    utc(now)

    def in_period(t: dt.datetime) -> bool:
        return period_from <= utc(t).astimezone(calendar.tz).date() <= period_to

    created_in_period = 0
    within_norm: list[bool | None] = []
    kept: list[bool] = []
    for callback in callbacks:
        moment, within = callback_norm(
            callback, calendar=calendar, norm_wd=norm_wd, strict_24h=strict_24h
        )
        done = _happened(callback.done_at, now)
        if in_period(moment):
            within_norm.append(_judge(done, now, within))
        if in_period(callback.created_at):
            created_in_period += 1
            if not within(now):  # norm moment passed
                kept.append(done is not None)
    return {
        "callbacks": created_in_period,
        "callback_within_norm_rate": _rate(within_norm) if done_recorded else None,
        "callback_kept_rate": ratio(sum(kept), len(kept)) if done_recorded else None,
    }
