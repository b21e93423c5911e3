"""Writes for organisations: create, contact points, opening hours, norms, closing days.

A change of what measured results depend on (opening hours, closing days, norms, a contact
point's name) sends `signals.settings_changed` inside the transaction; the KPI app rebuilds the
organisation's rollups when it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.organisations.models import (
    ClosingDay,
    ContactPoint,
    Employee,
    OpeningHours,
    Organisation,
    OrganisationKind,
    ReferenceMunicipality,
    ServiceNorm,
    Team,
)
from meetlat.organisations.norms import DEFAULT_NORMS
from meetlat.organisations.reference import reference_rows
from meetlat.organisations.signals import (
    CLOSING_DAYS,
    CONTACT_POINTS,
    NORMS,
    OPENING_HOURS,
    settings_changed,
)


def _settings_changed(organisation: Organisation, what: str) -> None:
    settings_changed.send(sender=Organisation, organisation=organisation, what=what)


@transaction.atomic
def organisation_create(
    *,
    code: str,
    name: str,
    kind: str = OrganisationKind.MUNICIPALITY,
    is_demo: bool = False,
    actor: User | None = None,
) -> Organisation:
    """Create an organisation and seed its default service norms."""
    organisation = Organisation(code=code.strip(), name=name.strip(), kind=kind, is_demo=is_demo)
    organisation.full_clean()
    organisation.save()
    norms_seed(organisation=organisation)
    audit_record(
        actor=actor,
        action="organisations.organisation.created",
        target=organisation,
        organisation=organisation,
        data={"code": organisation.code, "kind": organisation.kind},
    )
    return organisation


def norms_seed(*, organisation: Organisation) -> int:
    """Add the default norms the organisation does not have yet; returns how many were added."""
    existing = set(organisation.norms.values_list("key", flat=True))
    today = clock.today_local()
    new = [
        ServiceNorm(
            organisation=organisation,
            key=norm.key,
            channel=norm.channel,
            target=norm.target,
            unit=norm.unit,
            threshold=norm.threshold,
            source=norm.source,
            version=1,
            valid_from=today,
        )
        for norm in DEFAULT_NORMS
        if norm.key not in existing
    ]
    ServiceNorm.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def norm_update(
    *, norm: ServiceNorm, target: str, threshold: str | None, source: str, actor: User
) -> ServiceNorm:
    """Change a norm by adding a new version; older results keep the version they used."""
    new = ServiceNorm(
        organisation=norm.organisation,
        key=norm.key,
        channel=norm.channel,
        target=target,
        unit=norm.unit,
        threshold=threshold,
        source=source,
        version=norm.version + 1,
        valid_from=clock.today_local(),
    )
    new.full_clean()
    new.save()
    audit_record(
        actor=actor,
        action="organisations.norm.changed",
        target=new,
        organisation=norm.organisation,
        data={"key": norm.key, "before": str(norm.target), "after": str(new.target)},
    )
    _settings_changed(norm.organisation, NORMS)
    return new


@transaction.atomic
def contact_point_save(*, contact_point: ContactPoint, actor: User | None) -> ContactPoint:
    created = contact_point.pk is None
    old_name = (
        None
        if created
        else ContactPoint.objects.filter(pk=contact_point.pk).values_list("name", flat=True).first()
    )
    contact_point.full_clean()
    contact_point.save()
    audit_record(
        actor=actor,
        action="organisations.contact_point.created"
        if created
        else "organisations.contact_point.changed",
        target=contact_point,
        organisation=contact_point.organisation,
        data={"channel": contact_point.channel, "address": contact_point.address},
    )
    if old_name is not None and old_name != contact_point.name:
        # opening hours are matched on the contact point's name as imported
        _settings_changed(contact_point.organisation, CONTACT_POINTS)
    return contact_point


@transaction.atomic
def opening_hours_set(
    *,
    contact_point: ContactPoint,
    hours: dict[int, list[tuple[dt.time, dt.time]]],
    actor: User | None,
) -> None:
    """Replace the opening hours of a contact point (weekday 1–7 → intervals)."""
    rows: list[OpeningHours] = []
    for weekday, intervals in sorted(hours.items()):
        ordered = sorted(intervals)
        for (_o1, c1), (o2, _c2) in zip(ordered, ordered[1:], strict=False):
            if o2 < c1:
                raise ValidationError(f"Opening intervals overlap on weekday {weekday}.")
        for opens, closes in ordered:
            row = OpeningHours(
                contact_point=contact_point, weekday=weekday, opens=opens, closes=closes
            )
            row.full_clean()
            rows.append(row)
    contact_point.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="organisations.opening_hours.changed",
        target=contact_point,
        organisation=contact_point.organisation,
        data={str(k): [[o.isoformat(), c.isoformat()] for o, c in v] for k, v in hours.items()},
    )
    _settings_changed(contact_point.organisation, OPENING_HOURS)


@transaction.atomic
def closing_day_add(
    *, organisation: Organisation, date: dt.date, reason: str, actor: User | None
) -> ClosingDay:
    day = ClosingDay(organisation=organisation, date=date, reason=reason)
    day.full_clean()
    day.save()
    audit_record(
        actor=actor,
        action="organisations.closing_day.added",
        target=day,
        organisation=organisation,
        data={"date": date.isoformat(), "reason": reason},
    )
    _settings_changed(organisation, CLOSING_DAYS)
    return day


@transaction.atomic
def closing_day_remove(*, organisation: Organisation, pk: int, actor: User | None) -> bool:
    """Remove one of the organisation's closing days; False if it has no such day."""
    day = ClosingDay.objects.filter(organisation=organisation, pk=pk).first()
    if day is None:
        return False
    audit_record(
        actor=actor,
        action="organisations.closing_day.removed",
        target=day,
        organisation=organisation,
        data={"date": day.date.isoformat(), "reason": day.reason},
    )
    day.delete()
    _settings_changed(organisation, CLOSING_DAYS)
    return True


def team_get_or_create(*, organisation: Organisation, name: str) -> Team:
    team, _created = Team.objects.get_or_create(organisation=organisation, name=name)
    return team


def pseudonym_hash(*, organisation: Organisation, source_id: str) -> str:
    """HMAC-SHA-256 of a source id (agent or customer) with a per-organisation key."""
    key = hmac.new(
        settings.CUSTOMER_HASH_SECRET.encode("utf-8"),
        organisation.code.encode("utf-8"),
        hashlib.sha256,
    ).digest()
    return hmac.new(key, source_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def employee_get_or_create(
    *, organisation: Organisation, source_id: str, team: Team | None = None
) -> Employee:
    """The pseudonymised employee for a source id (e.g. an agent number in an export)."""
    digest = pseudonym_hash(organisation=organisation, source_id=source_id)
    employee = Employee.objects.filter(organisation=organisation, source_hash=digest).first()
    if employee is not None:
        return employee
    return Employee.objects.create(
        organisation=organisation, team=team, source_hash=digest, pseudonym=f"M-{digest[:10]}"
    )


@dataclass(frozen=True)
class ReferenceLoadResult:
    reference_date: dt.date
    rows: int
    created: int


@transaction.atomic
def reference_municipalities_load(
    *, path: Path, reference_date: dt.date, actor: User | None = None
) -> ReferenceLoadResult:
    """Load a CBS municipality list (reference/municipalities.csv) for one reference date.

    All rows or none; loading the same file for the same date again changes nothing.
    """
    rows = reference_rows(path)
    existing = set(
        ReferenceMunicipality.objects.filter(reference_date=reference_date).values_list(
            "cbs_code", flat=True
        )
    )
    new = [
        ReferenceMunicipality(reference_date=reference_date, **row)
        for row in rows
        if row["cbs_code"] not in existing
    ]
    ReferenceMunicipality.objects.bulk_create(new)
    for row in rows:  # names may be corrected within a reference date
        ReferenceMunicipality.objects.filter(
            reference_date=reference_date, cbs_code=row["cbs_code"]
        ).exclude(display_name=row["display_name"], name=row["name"]).update(
            name=row["name"], display_name=row["display_name"]
        )
    audit_record(
        actor=actor,
        action="organisations.reference.loaded",
        data={"file": path.name, "reference_date": reference_date.isoformat(), "rows": len(rows)},
    )
    return ReferenceLoadResult(reference_date=reference_date, rows=len(rows), created=len(new))
