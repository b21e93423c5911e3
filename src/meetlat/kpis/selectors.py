"""Phone KPIs from stored contacts, aggregated in the database (METHODOLOGY.md §4.1, §4.2).

Two queries, however many contacts or groups:

1. one row per database group with a conditional aggregate for every counter, repeat contact
   included: a call is a repeat when an `EXISTS` probe finds an offered call of the same
   customer key 0 < Δ ≤ 7 × 24 h earlier (the look-back reaches before `--from`);
2. the answered waits, ascending, for the percentiles (they come from contact rows).

Time keys (`day`, `week`, `month`, `weekday`) are grouped on `local_date` in SQL and merged in
Python: counts add up exactly (`PhoneCounts.__add__`), so no ratio is a mean of means.
`calc.kpi_counts` turns the counts into the `kpis` object; tests check the result against
`calc.kpi.phone_kpis` on the same rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum

from meetlat.calc.kpi import GROUP_BY, LONG_WAIT_S, REPEAT_WINDOW_S, PhoneGroup, PhoneKpis
from meetlat.calc.kpi_counts import PhoneCounts, phone_kpis_from_counts
from meetlat.contacts.models import Contact, Outcome
from meetlat.contacts.selectors import contact_date_range, contact_list
from meetlat.organisations.models import Channel, Organisation
from meetlat.organisations.selectors import norm_get_current

DEFAULT_SL_THRESHOLD_S: Final = 20
DEFAULT_SHORT_ABANDON_S: Final = 5
PHONE: Final = Channel.PHONE.value
_ANSWERED = Q(outcome=Outcome.ANSWERED)
_ABANDONED = Q(outcome=Outcome.ABANDONED)
_OFFERED = _ANSWERED | _ABANDONED


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _iso_week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


# --group-by → (column grouped on in SQL, its value → the key of METHODOLOGY.md §4.1)
_GROUPS: Final[Mapping[str, tuple[str, Callable[[Any], str]]]] = {
    "channel": ("channel", _text),
    "contact_point": ("contact_point_name", _text),
    "topic": ("topic", _text),
    "month": ("local_date", lambda day: f"{day.year:04d}-{day.month:02d}"),
    "week": ("local_date", _iso_week),
    "day": ("local_date", lambda day: day.isoformat()),
    "hour": ("local_hour", lambda hour: f"{hour:02d}"),
    "weekday": ("local_date", lambda day: str(day.isoweekday())),
}
assert set(_GROUPS) == set(GROUP_BY)


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


def phone_thresholds_get(*, organisation: Organisation) -> tuple[int, int]:
    """T (service level) and S (short abandon) from the organisation's current norms.

    A wait counts within T when `wait_s <= T`, and as a short abandon when `wait_s < S`; waits
    are whole seconds, so a fractional T rounds down and a fractional S up.
    """
    sl_norm = norm_get_current(organisation=organisation, key="phone_service_level")
    short_norm = norm_get_current(organisation=organisation, key="phone_short_abandon")
    threshold = DEFAULT_SL_THRESHOLD_S
    if sl_norm is not None and sl_norm.threshold is not None:
        threshold = math.floor(sl_norm.threshold)
    short = DEFAULT_SHORT_ABANDON_S
    if short_norm is not None:
        short = math.ceil(short_norm.target)
    return threshold, short


def phone_period_resolve(
    *, organisation: Organisation, date_from: dt.date | None, date_to: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """A missing bound is the first or last day with phone contacts (one query if needed).

    A single given bound outside the data makes a one-day period rather than a reversed one.
    """
    if date_from is not None and date_to is not None:
        return date_from, date_to
    first, last = contact_date_range(organisation=organisation, channel=PHONE)
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
) -> PhoneReport:
    """Phone KPIs of the calls that started on local dates `date_from`…`date_to` (inclusive).

    A missing bound is the first or last day with phone contacts; with no contacts and no
    dates the period is empty and its bounds are None.
    """
    if group_by is not None and group_by not in _GROUPS:
        raise ValueError(f"unknown group_by {group_by!r}; expected one of {', '.join(GROUP_BY)}")
    if sl_threshold_s < 0 or short_abandon_s < 0:
        raise ValueError("sl_threshold_s and short_abandon_s cannot be negative")
    date_from, date_to = phone_period_resolve(
        organisation=organisation, date_from=date_from, date_to=date_to
    )
    counts: dict[str, PhoneCounts] = {}
    waits: dict[str, list[int]] = {}
    if date_from is not None and date_to is not None:
        period = contact_list(organisation=organisation, channel=PHONE).filter(
            local_date__gte=date_from, local_date__lte=date_to
        )
        counts = _counts(organisation, period, group_by, (sl_threshold_s, short_abandon_s))
        waits = _answered_waits(period, group_by)
    groups: list[PhoneGroup] = [
        {"key": key, "kpis": _kpis(counts[key], waits.get(key, []))} for key in sorted(counts)
    ]
    total = sum(counts.values(), PhoneCounts())
    return PhoneReport(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        sl_threshold_s=sl_threshold_s,
        short_abandon_s=short_abandon_s,
        group_by=group_by,
        kpis=_kpis(total, sorted(w for group_waits in waits.values() for w in group_waits)),
        groups=groups if group_by else [],
    )


def _kpis(counts: PhoneCounts, waits: list[int]) -> PhoneKpis:
    return phone_kpis_from_counts(counts, answered_waits=waits)


def _is_repeat(organisation: Organisation) -> Exists:
    """An offered call of the same customer key 0 < Δ ≤ 7 × 24 h earlier (UTC instants)."""
    window = dt.timedelta(seconds=REPEAT_WINDOW_S)
    earlier = contact_list(organisation=organisation, channel=PHONE).filter(
        _OFFERED,
        customer_hash=OuterRef("customer_hash"),
        started_at__lt=OuterRef("started_at"),
        started_at__gte=OuterRef("started_at") - window,
    )
    return Exists(earlier)


def _counters(
    organisation: Organisation, sl_threshold_s: int, short_abandon_s: int
) -> dict[str, Any]:
    """One conditional aggregate per `PhoneCounts` field."""
    with_customer = _OFFERED & ~Q(customer_hash="")
    return {
        "answered": Count("pk", filter=_ANSWERED),
        "abandoned": Count("pk", filter=_ABANDONED),
        "short_abandoned": Count("pk", filter=_ABANDONED & Q(wait_s__lt=short_abandon_s)),
        "ivr_abandoned": Count("pk", filter=Q(outcome=Outcome.IVR_ABANDONED)),
        "closed": Count("pk", filter=Q(outcome=Outcome.CLOSED)),
        "callback_requests": Count("pk", filter=Q(outcome=Outcome.CALLBACK_REQUEST)),
        "voicemails": Count("pk", filter=Q(outcome=Outcome.VOICEMAIL)),
        "answered_within_t": Count("pk", filter=_ANSWERED & Q(wait_s__lte=sl_threshold_s)),
        "abandoned_within_t": Count("pk", filter=_ABANDONED & Q(wait_s__lte=sl_threshold_s)),
        "wait_sum_answered": Sum("wait_s", filter=_ANSWERED, default=0),
        "wait_sum_abandoned": Sum("wait_s", filter=_ABANDONED, default=0),
        "wait_max_offered": Max("wait_s", filter=_OFFERED),
        "wait_over_300s": Count("pk", filter=_OFFERED & Q(wait_s__gt=LONG_WAIT_S)),
        "handled": Count("handle_s", filter=_ANSWERED),
        "handle_sum": Sum("handle_s", filter=_ANSWERED, default=0),
        "transfers_1": Count("pk", filter=_ANSWERED & Q(transfers=1)),
        "transfers_2": Count("pk", filter=_ANSWERED & Q(transfers=2)),
        "transfers_3_plus": Count("pk", filter=_ANSWERED & Q(transfers__gte=3)),
        "resolved_yes": Count("pk", filter=_ANSWERED & Q(resolved_first_contact=True)),
        "resolved_known": Count("pk", filter=_ANSWERED & Q(resolved_first_contact__isnull=False)),
        "repeat_contacts": Count("pk", filter=with_customer & Q(_is_repeat(organisation))),
        "repeat_base": Count("pk", filter=with_customer),
    }


def _counts(
    organisation: Organisation,
    period: QuerySet[Contact],
    group_by: str | None,
    thresholds: tuple[int, int],
) -> dict[str, PhoneCounts]:
    """Counters per group key in one query (without grouping: one row, also for no contacts)."""
    counters = _counters(organisation, *thresholds)
    if group_by is None:
        return {"": PhoneCounts(**period.aggregate(**counters))}
    column, key_of = _GROUPS[group_by]
    rows = period.values(group_value=F(column)).annotate(**counters).order_by()
    merged: defaultdict[str, PhoneCounts] = defaultdict(PhoneCounts)
    for row in rows.iterator():
        values: dict[str, Any] = dict(row)
        key = key_of(values.pop("group_value"))
        merged[key] = merged[key] + PhoneCounts(**values)
    return merged


def _answered_waits(period: QuerySet[Contact], group_by: str | None) -> dict[str, list[int]]:
    """`wait_s` of the answered calls per group key, in ascending order (for the percentiles)."""
    answered = period.filter(_ANSWERED, wait_s__isnull=False).order_by("wait_s")
    if group_by is None:
        return {"": [w for w in answered.values_list("wait_s", flat=True) if w is not None]}
    column, key_of = _GROUPS[group_by]
    waits: defaultdict[str, list[int]] = defaultdict(list)
    for value, wait in answered.values_list(column, "wait_s").iterator():
        waits[key_of(value)].append(wait)
    if group_by in ("week", "month", "weekday"):  # merged from several days
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
        "kpis": report.kpis,
        "groups": report.groups,
    }
