"""Writes for KPIs: rebuilding the daily rollups (METHODOLOGY.md §4.1).

`rollups_refresh` rebuilds the rollup rows of an organisation's affected local dates from its
contact rows, in one transaction: one DELETE and one INSERT … SELECT … GROUP BY channel,
contact point, topic, date and hour (the SELECT is the ORM's aggregate query, compiled).
Thresholds come from the organisation's current norms and are stored on every row with the
norm versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, Final

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from meetlat import clock
from meetlat.contacts.bulk import without_jit
from meetlat.contacts.models import Contact
from meetlat.kpis.models import DailyRollup
from meetlat.kpis.selectors.expressions import (
    ANSWERED,
    OFFERED,
    ROLLUP_COLUMN,
    closed_dates,
    outside_hours,
    phone_counters,
)
from meetlat.kpis.selectors.phone import PhoneNorms, phone_norms_get, repeat_counters
from meetlat.organisations.models import Channel, Organisation
from meetlat.organisations.selectors import calendar_for

KEY_COLUMNS: Final = ("channel", "contact_point_name", "topic", "local_date", "local_hour")
#: 7 × 24 hours can end on the 8th local date (a spring clock change in between).
REPEAT_REACH: Final = dt.timedelta(days=8)


def _contacts(organisation: Organisation) -> QuerySet[Contact]:
    return Contact.objects.filter(organisation=organisation).order_by()


def _aggregates(organisation: Organisation, norms: PhoneNorms, outside: Q) -> dict[str, Any]:
    counters = {
        **phone_counters(norms.sl_threshold_s, norms.short_abandon_s),
        **repeat_counters(organisation),
    }
    no_transfer = Q(transfers__isnull=True) | Q(transfers=0)
    return {
        **{ROLLUP_COLUMN[name]: counters[name] for name in ROLLUP_COLUMN},
        "contacts": Count("pk"),
        "outside_opening_hours": Count("pk", filter=outside),
        "offered": Count("pk", filter=OFFERED),
        "transferred": Count("pk", filter=ANSWERED & Q(transfers__gte=1)),
        "transfers_0": Count("pk", filter=ANSWERED & no_transfer),
        "flr_no": Count("pk", filter=ANSWERED & Q(resolved_first_contact=False)),
        "received": Count("pk", filter=~Q(channel=Channel.PHONE)),
        "replied": Count(
            "pk", filter=Q(answered_at__isnull=False) | Q(first_response_at__isnull=False)
        ),
    }


@transaction.atomic
def rollups_refresh(*, organisation: Organisation, dates: Collection[dt.date]) -> int:
    """Rebuild the rollups of `dates` (every date from the first to the last of them, and the
    REPEAT_REACH days after: a call on those dates can make a later call a repeat contact).

    Returns the number of rollup rows written. Atomic: readers see the old rows or the new.
    """
    if not dates:
        return 0
    first, last = min(dates), max(dates) + REPEAT_REACH
    norms = phone_norms_get(organisation=organisation)
    calendar = calendar_for(organisation=organisation)
    DailyRollup.objects.filter(
        organisation=organisation, local_date__gte=first, local_date__lte=last
    ).delete()
    contacts = _contacts(organisation).filter(local_date__gte=first, local_date__lte=last)
    outside = outside_hours(organisation, calendar, closed_dates(calendar, first, last))
    aggregates = _aggregates(organisation, norms, outside)
    grouped = contacts.values(*KEY_COLUMNS).annotate(**aggregates).order_by()
    select_sql, select_params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    built = ("organisation_id", "sl_threshold_s", "short_abandon_s", "norm_version", "built_at")
    computed = [*KEY_COLUMNS, *aggregates]
    sql = (
        f"INSERT INTO {quote(DailyRollup._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in (*built, *computed))}) "
        f"SELECT {', '.join(['%s'] * len(built))}, "
        f"{', '.join(f'grouped.{quote(c)}' for c in computed)} FROM ({select_sql}) grouped"
    )
    built_at = connection.ops.adapt_datetimefield_value(clock.now())
    constants: list[Any] = [
        organisation.pk,
        norms.sl_threshold_s,
        norms.short_abandon_s,
        norms.version,
    ]
    with connection.cursor() as cursor, without_jit(cursor):
        cursor.execute(sql, [*constants, built_at, *select_params])
        return int(cursor.rowcount)


def rollups_refresh_all(*, organisation: Organisation) -> int:
    """Rebuild every rollup of the organisation (after a norm or opening-hours change)."""
    days = _contacts(organisation).values_list("local_date", flat=True)
    first = days.order_by("local_date").first()
    last = days.order_by("-local_date").first()
    if first is None or last is None:
        DailyRollup.objects.filter(organisation=organisation).delete()
        return 0
    return rollups_refresh(organisation=organisation, dates=(first, last))


__all__ = ["rollups_refresh", "rollups_refresh_all"]
