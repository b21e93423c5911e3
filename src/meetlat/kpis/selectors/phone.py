"""Phone KPIs from stored contacts and daily rollups (METHODOLOGY.md §4.1, §4.2).

A fixed number of queries, however many contacts or groups:

- counters: from the daily rollups (one query) when every rollup row of the period was built
  with the requested T and S; otherwise from contact rows (one conditional aggregate per
  counter, `outside_opening_hours` included, after the calendar's two small reads);
- repeat contact from contact rows: a call is a repeat when an `EXISTS` probe finds an offered
  call of the same customer key 0 < Δ ≤ 7 × 24 h earlier (the look-back reaches before
  `--from`); on the rows path it is part of the counters query;
- the answered waits, ascending, for the percentiles (they come from contact rows);
- the callbacks of `callback_request` calls (METHODOLOGY.md §4.3), from contact rows.

Counts of several SQL groups add up exactly (`PhoneCounts.__add__`), so no ratio is a mean of
means. `calc.kpi_counts` turns the counts into the `kpis` object; tests check the result
against `calc.kpi.phone_kpis` on the same rows, on both paths.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final, Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from meetlat import clock
from meetlat.calc.kpi import REPEAT_WINDOW_S, PhoneGroup, PhoneKpis
from meetlat.calc.kpi_counts import PhoneCounts, phone_kpis_from_counts
from meetlat.calc.kpi_written import Callback, CallbackKpis, callback_kpis
from meetlat.contacts.models import Contact, Outcome
from meetlat.contacts.selectors import contact_date_range, contact_list
from meetlat.kpis.selectors.expressions import (
    ANSWERED,
    OFFERED,
    SecondsBefore,
    closed_dates,
    outside_hours,
    phone_counters,
)
from meetlat.kpis.selectors.groups import GROUPS, MERGED, check_group_by, grouped_rows
from meetlat.kpis.selectors.rollups import phone_rollup_counts
from meetlat.organisations.models import Channel, Organisation
from meetlat.organisations.selectors import calendar_for, norm_get_current

DEFAULT_SL_THRESHOLD_S: Final = 20
DEFAULT_SHORT_ABANDON_S: Final = 5
PHONE: Final = Channel.PHONE.value
Source = Literal["auto", "rows", "rollups"]
Tally = tuple[PhoneCounts, int]
"""The counts of a group and how many of its calls started outside opening hours."""


@dataclass(frozen=True)
class PhoneReport:
    """The phone KPIs of a period, overall and per group (`meetlat kpis --json`)."""

    organisation: Organisation
    date_from: dt.date | None
    date_to: dt.date | None
    sl_threshold_s: int
    short_abandon_s: int
    group_by: str | None
    kpis: PhoneKpis
    groups: list[PhoneGroup]
    source: str = "rows"
    """Where the counters came from: `rollups` or `rows`."""
    callbacks: CallbackKpis | None = None
    """Of the `callback_request` calls (METHODOLOGY.md §4.3), when asked for and the period is
    not empty."""


@dataclass(frozen=True)
class PhoneNorms:
    """T and S from the organisation's current norms, and the versions they came from."""

    sl_threshold_s: int
    short_abandon_s: int
    version: str


def phone_norms_get(*, organisation: Organisation) -> PhoneNorms:
    """T (service level) and S (short abandon) from the organisation's current norms.

    A wait counts within T when `wait_s <= T`, and as a short abandon when `wait_s < S`; waits
    are whole seconds, so a fractional T rounds down and a fractional S up. `version` names the
    norm versions (`default` for a norm the organisation does not have).
    """
    sl_norm = norm_get_current(organisation=organisation, key="phone_service_level")
    short_norm = norm_get_current(organisation=organisation, key="phone_short_abandon")
    threshold = DEFAULT_SL_THRESHOLD_S
    if sl_norm is not None and sl_norm.threshold is not None:
        threshold = math.floor(sl_norm.threshold)
    short = DEFAULT_SHORT_ABANDON_S
    if short_norm is not None:
        short = math.ceil(short_norm.target)
    version = ",".join(
        f"{key}:v{norm.version}" if norm is not None else f"{key}:default"
        for key, norm in (("phone_service_level", sl_norm), ("phone_short_abandon", short_norm))
    )
    return PhoneNorms(threshold, short, version)


def phone_thresholds_get(*, organisation: Organisation) -> tuple[int, int]:
    """T (service level) and S (short abandon) from the organisation's current norms."""
    norms = phone_norms_get(organisation=organisation)
    return norms.sl_threshold_s, norms.short_abandon_s


def phone_period_resolve(
    *,
    organisation: Organisation,
    date_from: dt.date | None,
    date_to: dt.date | None,
    channel: str = PHONE,
) -> tuple[dt.date | None, dt.date | None]:
    """A missing bound is the first or last day with contacts of the channel (one query if
    needed).

    A single given bound outside the data makes a one-day period rather than a reversed one.
    """
    if date_from is not None and date_to is not None:
        return date_from, date_to
    first, last = contact_date_range(organisation=organisation, channel=channel)
    if date_from is not None:
        return date_from, max(last, date_from) if last else date_from
    if date_to is not None:
        return min(first, date_to) if first else date_to, date_to
    return first, last


def phone_kpis_get(
    *,
    organisation: Organisation,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    sl_threshold_s: int = DEFAULT_SL_THRESHOLD_S,
    short_abandon_s: int = DEFAULT_SHORT_ABANDON_S,
    group_by: str | None = None,
    source: Source = "auto",
    with_callbacks: bool = False,
    with_waits: bool = True,
) -> PhoneReport:
    """Phone KPIs of the calls that started on local dates `date_from`…`date_to` (inclusive).

    A missing bound is the first or last day with phone contacts; with no contacts and no
    dates the period is empty and its bounds are None. `source` "auto" reads the counters
    from the daily rollups when they were built with T and S, else from contact rows; "rows"
    always reads rows; "rollups" is "auto" that fails rather than fall back (for tests).
    `with_callbacks` adds the callback KPIs (three more queries). Without `with_waits` the
    wait percentiles (read from the answered calls' rows) are None: for pages that do not
    show them, so a month of a large organisation costs rollup reads only (and the repeat
    contact count).
    """
    check_group_by(group_by)
    if sl_threshold_s < 0 or short_abandon_s < 0:
        raise ValueError("sl_threshold_s and short_abandon_s cannot be negative")
    date_from, date_to = phone_period_resolve(
        organisation=organisation, date_from=date_from, date_to=date_to
    )
    tallies: dict[str, Tally] = {}
    waits: dict[str, list[int]] = {}
    used = "rows"
    if date_from is not None and date_to is not None:
        thresholds = (sl_threshold_s, short_abandon_s)
        period = contact_list(organisation=organisation, channel=PHONE).filter(
            local_date__gte=date_from, local_date__lte=date_to
        )
        from_rollups = None
        if source != "rows":
            from_rollups = phone_rollup_counts(
                organisation=organisation,
                channel=PHONE,
                date_from=date_from,
                date_to=date_to,
                group_by=group_by,
                thresholds=thresholds,
            )
        if from_rollups is not None:
            used = "rollups"
            tallies = from_rollups  # the rollups hold the repeat counts too
        elif source == "rollups":
            raise LookupError("the rollups of this period were not built with these T and S")
        else:
            tallies = _counts(organisation, period, group_by, thresholds, (date_from, date_to))
        if with_waits:
            waits = _answered_waits(period, group_by)
    callbacks = None
    if with_callbacks and date_from is not None and date_to is not None:
        callbacks = _callbacks(organisation, date_from, date_to)
    groups: list[PhoneGroup] = [
        {"key": key, "kpis": _kpis(tallies[key], waits.get(key, []))} for key in sorted(tallies)
    ]
    total = (
        sum((c for c, _ in tallies.values()), PhoneCounts()),
        sum(o for _, o in tallies.values()),
    )
    return PhoneReport(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        sl_threshold_s=sl_threshold_s,
        short_abandon_s=short_abandon_s,
        group_by=group_by,
        kpis=_kpis(total, sorted(w for group_waits in waits.values() for w in group_waits)),
        groups=groups if group_by else [],
        source=used,
        callbacks=callbacks,
    )


CALLBACK_REACH: Final = dt.timedelta(days=21)
"""How far before the period a callback request may start and still have its norm moment in
the period (two working days, however many holidays follow)."""


def _callbacks(organisation: Organisation, date_from: dt.date, date_to: dt.date) -> CallbackKpis:
    """callback_within_norm_rate and callback_kept_rate of the `callback_request` calls created
    in the period or with their norm moment (promised, else two working days on) in it.

    One query; the rates are None when no callback of those has a `callback_done_at` (the
    source records no callbacks done).
    """
    calendar = calendar_for(organisation=organisation)
    first = dt.datetime.combine(date_from - CALLBACK_REACH, dt.time(), calendar.tz)
    last = dt.datetime.combine(date_to + dt.timedelta(days=2), dt.time(), calendar.tz)
    rows = (
        contact_list(organisation=organisation, channel=PHONE)
        .filter(outcome=Outcome.CALLBACK_REQUEST)
        .filter(
            Q(local_date__gte=date_from - CALLBACK_REACH, local_date__lte=date_to)
            | Q(callback_due_at__gte=first, callback_due_at__lt=last)
        )
        .values_list("started_at", "callback_due_at", "callback_done_at")
    )
    callbacks = [Callback(created_at=r[0], promised_at=r[1], done_at=r[2]) for r in rows]
    return callback_kpis(
        callbacks,
        calendar=calendar,
        period_from=date_from,
        period_to=date_to,
        now=clock.now(),
        done_recorded=any(c.done_at is not None for c in callbacks),
    )


def _kpis(tally: Tally, waits: list[int]) -> PhoneKpis:
    counts, outside = tally
    return phone_kpis_from_counts(counts, answered_waits=waits, outside_opening_hours=outside)


def _is_repeat(organisation: Organisation) -> Exists:
    """An offered call of the same customer key 0 < Δ ≤ 7 × 24 h earlier (UTC instants)."""
    earlier = contact_list(organisation=organisation, channel=PHONE).filter(
        OFFERED,
        customer_hash=OuterRef("customer_hash"),
        started_at__lt=OuterRef("started_at"),
        started_at__gte=SecondsBefore(OuterRef("started_at"), REPEAT_WINDOW_S),
    )
    return Exists(earlier)


def repeat_counters(organisation: Organisation) -> dict[str, Any]:
    with_customer = OFFERED & ~Q(customer_hash="")
    return {
        "repeat_contacts": Count("pk", filter=with_customer & Q(_is_repeat(organisation))),
        "repeat_base": Count("pk", filter=with_customer),
    }


def _counts(
    organisation: Organisation,
    period: QuerySet[Contact],
    group_by: str | None,
    thresholds: tuple[int, int],
    dates: tuple[dt.date, dt.date],
) -> dict[str, Tally]:
    """Counters per group key from contact rows in one query (after the calendar's reads)."""
    calendar = calendar_for(organisation=organisation)
    rows = period
    aggregates = {
        **phone_counters(*thresholds),
        **repeat_counters(organisation),
        "outside": Count(
            "pk", filter=outside_hours(organisation, calendar, closed_dates(calendar, *dates))
        ),
    }
    merged: dict[str, Tally] = {}
    for key, row in grouped_rows(rows, group_by, aggregates):
        outside = row.pop("outside")
        counts, before = merged.get(key, (PhoneCounts(), 0))
        merged[key] = (counts + PhoneCounts(**row), before + outside)
    if group_by is None and not merged:
        merged[""] = (PhoneCounts(), 0)
    return merged


def _answered_waits(period: QuerySet[Contact], group_by: str | None) -> dict[str, list[int]]:
    """`wait_s` of the answered calls per group key, in ascending order (for the percentiles)."""
    answered = period.filter(ANSWERED, wait_s__isnull=False).order_by("wait_s")
    if group_by is None:
        return {"": [w for w in answered.values_list("wait_s", flat=True) if w is not None]}
    column, key_of = GROUPS[group_by]
    waits: defaultdict[str, list[int]] = defaultdict(list)
    for value, wait in answered.values_list(column, "wait_s").iterator():
        waits[key_of(value)].append(wait)
    if group_by in MERGED:  # merged from several days
        for group_waits in waits.values():
            group_waits.sort()
    return waits


def phone_report_json(report: PhoneReport) -> dict[str, Any]:
    """The `meetlat kpis --json` object for channel phone (DESIGN.md)."""
    return {
        "org": report.organisation.code,
        "channel": PHONE,
        "from": report.date_from.isoformat() if report.date_from else None,
        "to": report.date_to.isoformat() if report.date_to else None,
        "sl_threshold_s": report.sl_threshold_s,
        "short_abandon_s": report.short_abandon_s,
        "kpis": {**report.kpis, **(report.callbacks or {}), "source": report.source},
        "groups": report.groups,
    }
