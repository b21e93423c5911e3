"""KPIs of e-mail, web form, chat, WhatsApp, social and counter (METHODOLOGY.md §4.3).

Their definitions need the working-day calendar, office hours and "as of now" (a thread that
is not answered yet and not due yet is left out), so they come from `calc.kpi_written` on the
contact rows of the period: one query fetching only the needed columns (`values_list`), after
the calendar's and the opening hours' small reads. Grouping uses the same keys as phone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from meetlat import clock
from meetlat.calc.calendar import Mode24h, WorkCalendar
from meetlat.calc.kpi import IsOpen, group_key
from meetlat.calc.kpi_written import (
    ChatConversation,
    CounterVisit,
    Thread,
    chat_kpis,
    counter_kpis,
    email_kpis,
)
from meetlat.contacts.selectors import contact_list
from meetlat.kpis.selectors.groups import check_group_by
from meetlat.kpis.selectors.opening import is_open_for, opening_hours_by_point
from meetlat.kpis.selectors.phone import phone_period_resolve
from meetlat.organisations.models import Channel, Organisation
from meetlat.organisations.selectors import calendar_for, norm_get_current

EMAIL_CHANNELS: Final = frozenset({Channel.EMAIL.value, Channel.WEBFORM.value})
CHAT_CHANNELS: Final = frozenset({Channel.CHAT.value, Channel.WHATSAPP.value, Channel.SOCIAL.value})
COUNTER: Final = Channel.COUNTER.value
WRITTEN_CHANNELS: Final = EMAIL_CHANNELS | CHAT_CHANNELS | {COUNTER}
DEFAULT_TERM_WD: Final = 2
DEFAULT_CHAT_NORM_HOURS: Final = 4.0
_KEY_COLUMNS: Final = ("started_at", "contact_point_name", "topic", "channel")
_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "email": ("acknowledged_at", "answered_at", "term_notice_at"),
    "chat": ("first_response_at",),
    "counter": ("wait_s", "appointment_at"),
}


@dataclass(frozen=True)
class WrittenReport:
    """The KPIs of one non-phone channel for a period, overall and per group."""

    organisation: Organisation
    channel: str
    date_from: dt.date | None
    date_to: dt.date | None
    group_by: str | None
    kpis: dict[str, Any]
    groups: list[dict[str, Any]]


@dataclass(frozen=True)
class _Settings:
    calendar: WorkCalendar
    is_open: IsOpen
    now: dt.datetime
    term_wd: int
    mode_24h: Mode24h
    chat_norm_hours: float


def _family(channel: str) -> str:
    if channel in EMAIL_CHANNELS:
        return "email"
    if channel in CHAT_CHANNELS:
        return "chat"
    if channel == COUNTER:
        return "counter"
    raise ValueError(f"no written-channel KPIs for channel {channel!r}")


def term_wd_get(*, organisation: Organisation, channel: str) -> int:
    """N of "answered within N working days": the norm's threshold (default 2)."""
    norm = norm_get_current(organisation=organisation, key=f"{channel}_answer_term")
    if norm is None or norm.threshold is None:
        return DEFAULT_TERM_WD
    return int(norm.threshold)


def chat_norm_hours_get(*, organisation: Organisation, channel: str) -> float:
    norm = norm_get_current(organisation=organisation, key=f"{channel}_first_response")
    return DEFAULT_CHAT_NORM_HOURS if norm is None else float(norm.target)


def _kpis_of(family: str, rows: Sequence[tuple[Any, ...]], s: _Settings) -> dict[str, Any]:
    """The calc KPIs of rows (key columns first, then the family's columns)."""
    if family == "email":
        threads = [
            Thread(received_at=r[0], contact_point=r[1], topic=r[2], channel=r[3],
                   acknowledged_at=r[4], answered_at=r[5], term_notice_at=r[6])
            for r in rows
        ]  # fmt: skip
        return dict(
            email_kpis(
                threads,
                calendar=s.calendar,
                now=s.now,
                term_wd=s.term_wd,
                mode_24h=s.mode_24h,
                is_open=s.is_open,
            )
        )
    if family == "chat":
        chats = [
            ChatConversation(started_at=r[0], contact_point=r[1], topic=r[2], channel=r[3],
                             first_response_at=r[4])
            for r in rows
        ]  # fmt: skip
        return dict(
            chat_kpis(
                chats,
                calendar=s.calendar,
                norm_office_hours=s.chat_norm_hours,
                now=s.now,
                is_open=s.is_open,
            )
        )
    visits = [  # counter rows hold the wait from arrival until called; no appointment: walk-in
        CounterVisit(
            arrived_at=r[0],
            contact_point=r[1],
            topic=r[2],
            called_at=None if r[4] is None else r[0] + dt.timedelta(seconds=r[4]),
            appointment_at=r[5],
        )
        for r in rows
    ]
    return dict(counter_kpis(visits, is_open=s.is_open))


def written_kpis_get(
    *,
    organisation: Organisation,
    channel: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: str | None = None,
    mode_24h: Mode24h | str = Mode24h.CLOCK_24H,
    now: dt.datetime | None = None,
) -> WrittenReport:
    """KPIs of e-mail/web form, chat/WhatsApp/social or counter contacts received in the period.

    Queries: the data range (only without both dates), equal days, closing days, opening hours,
    the norm, and one query for the rows, however many rows or groups.
    """
    check_group_by(group_by)
    family = _family(channel)
    date_from, date_to = phone_period_resolve(
        organisation=organisation, date_from=date_from, date_to=date_to, channel=channel
    )
    settings = _Settings(
        calendar=(calendar := calendar_for(organisation=organisation)),
        is_open=is_open_for(calendar, opening_hours_by_point(organisation=organisation)),
        now=now or clock.now(),
        term_wd=term_wd_get(organisation=organisation, channel=channel)
        if family == "email"
        else DEFAULT_TERM_WD,
        mode_24h=Mode24h(mode_24h),
        chat_norm_hours=chat_norm_hours_get(organisation=organisation, channel=channel)
        if family == "chat"
        else DEFAULT_CHAT_NORM_HOURS,
    )
    rows: list[tuple[Any, ...]] = []
    if date_from is not None and date_to is not None:
        rows = list(
            contact_list(organisation=organisation, channel=channel)
            .filter(local_date__gte=date_from, local_date__lte=date_to)
            .order_by("started_at")
            .values_list(*_KEY_COLUMNS, *_COLUMNS[family])
        )
    groups: list[dict[str, Any]] = []
    if group_by is not None:
        by_key = _group(rows, group_by, settings.calendar)
        groups = [
            {"key": key, "kpis": _kpis_of(family, by_key[key], settings)} for key in sorted(by_key)
        ]
    return WrittenReport(
        organisation=organisation,
        channel=channel,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        kpis=_kpis_of(family, rows, settings),
        groups=groups,
    )


def _group(
    rows: Sequence[tuple[Any, ...]], group_by: str, calendar: WorkCalendar
) -> dict[str, list[tuple[Any, ...]]]:
    by_key: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_key[group_key(row[0], row[1], row[2], row[3], group_by, calendar.tz)].append(row)
    return by_key
