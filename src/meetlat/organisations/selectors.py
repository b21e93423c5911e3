"""Reads for organisations. Every read takes the organisation it is scoped to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, QuerySet

from meetlat.calc.calendar import WorkCalendar
from meetlat.organisations.models import (
    ClosingDay,
    ContactPoint,
    EqualDay,
    Organisation,
    ReferenceMunicipality,
    ServiceNorm,
)


def organisation_get(*, code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def contact_point_list(*, organisation: Organisation) -> QuerySet[ContactPoint]:
    return organisation.contact_points.prefetch_related("opening_hours").order_by("channel", "name")


def contact_point_get(*, organisation: Organisation, pk: int) -> ContactPoint | None:
    return organisation.contact_points.filter(pk=pk).first()


def norm_list_current(*, organisation: Organisation) -> list[ServiceNorm]:
    """The newest version of every norm of the organisation."""
    norms = organisation.norms.order_by("channel", "key", "-version")
    current: dict[str, ServiceNorm] = {}
    for norm in norms:
        current.setdefault(norm.key, norm)
    return list(current.values())


def norm_get_current(*, organisation: Organisation, key: str) -> ServiceNorm | None:
    return organisation.norms.filter(key=key).order_by("-version").first()


def closing_day_list(*, organisation: Organisation) -> QuerySet[ClosingDay]:
    return organisation.closing_days.order_by("date")


def calendar_for(*, organisation: Organisation | None) -> WorkCalendar:
    """The working-day calendar of an organisation (the national one without)."""
    equal_days = set(EqualDay.objects.values_list("date", flat=True))
    if organisation is None:
        return WorkCalendar(closed_days=frozenset(equal_days))
    closing = set(organisation.closing_days.values_list("date", flat=True))
    return _calendar(organisation, equal_days | closing)


def calendars_for(*, organisations: Iterable[Organisation]) -> dict[int, WorkCalendar]:
    """The calendars of many organisations by primary key, in two queries."""
    organisations = list(organisations)
    equal_days = set(EqualDay.objects.values_list("date", flat=True))
    closing: dict[int, set[dt.date]] = {o.pk: set() for o in organisations}
    rows = ClosingDay.objects.filter(organisation__in=organisations)
    for organisation_id, date in rows.values_list("organisation_id", "date"):
        closing[organisation_id].add(date)
    return {o.pk: _calendar(o, equal_days | closing[o.pk]) for o in organisations}


def _calendar(organisation: Organisation, closed: set[dt.date]) -> WorkCalendar:
    return WorkCalendar(
        closed_days=frozenset(closed),
        good_friday_closed=organisation.good_friday_closed,
        opens=organisation.office_opens,
        closes=organisation.office_closes,
    )


def reference_municipality_list(*, search: str = "") -> QuerySet[ReferenceMunicipality]:
    """Municipalities of the newest reference date, optionally filtered by name or code."""
    latest = ReferenceMunicipality.objects.aggregate(latest=Max("reference_date"))["latest"]
    queryset = ReferenceMunicipality.objects.filter(reference_date=latest)
    if search:
        queryset = queryset.filter(display_name__icontains=search) | queryset.filter(
            cbs_code__iexact=search
        )
    return queryset.order_by("display_name")


def reference_municipality_get(*, cbs_code: str) -> ReferenceMunicipality | None:
    return (
        ReferenceMunicipality.objects.filter(cbs_code=cbs_code).order_by("-reference_date").first()
    )
