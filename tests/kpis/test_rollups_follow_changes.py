"""The daily rollups follow the organisation: a change of opening hours, closing days, norms or
a contact point's name rebuilds them when the transaction commits (and only then, only for that
organisation, once per transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from meetlat.contacts.services import contacts_import
from meetlat.kpis import receivers
from meetlat.kpis.models import DailyRollup
from meetlat.kpis.selectors import phone_kpis_get
from meetlat.kpis.selectors.report import KpiRequest, kpis_report_json
from meetlat.kpis.services import rollups_refresh_all
from meetlat.organisations.models import Channel, ContactPoint, Organisation, PhoneKind
from meetlat.organisations.selectors import norm_get_current
from meetlat.organisations.services import (
    closing_day_add,
    closing_day_remove,
    contact_point_save,
    norm_update,
    opening_hours_set,
)
from tests.conftest import Cast
from tests.contacts.samples import KPI_ROWS, csv_bytes
from tests.kpis import Period

AMS = ZoneInfo("Europe/Amsterdam")
MARCH = Period(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
TUESDAY = 2  # KPI_ROWS: ten calls on Tue 10 Mar 2026, 09:00 … 10:03 CET, at contact point KCC
IMPORTED_AT = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
CHANGED_AT = dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC)


def _kcc(organisation: Organisation) -> ContactPoint:
    return contact_point_save(
        contact_point=ContactPoint(
            organisation=organisation, name="KCC", channel=Channel.PHONE,
            phone_kind=PhoneKind.MAIN, address="14 0999",
        ),
        actor=None,
    )  # fmt: skip


@pytest.fixture
def kcc(cast: Cast) -> ContactPoint:
    """Voorbeeld's KCC, open on Tuesday 09:00–12:00, and the calls of KPI_ROWS (in Voorbeeld
    and in Anders), imported before any change."""
    point = _kcc(cast.voorbeeld)
    opening_hours_set(contact_point=point, hours={TUESDAY: [(dt.time(9), dt.time(12))]}, actor=None)
    with time_machine.travel(IMPORTED_AT, tick=False):
        for organisation in (cast.voorbeeld, cast.anders):
            result = contacts_import(
                organisation=organisation, data=csv_bytes(KPI_ROWS), file_name="calls.csv",
                format_name="csv", tz=AMS,
            )  # fmt: skip
            assert result.ok and result.imported == 10
    return point


@pytest.fixture
def refreshed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes of the organisations whose rollups the receiver rebuilt, in order."""
    calls: list[str] = []

    def spy(*, organisation: Organisation) -> int:
        calls.append(organisation.code)
        return rollups_refresh_all(organisation=organisation)

    monkeypatch.setattr(receivers, "rollups_refresh_all", spy)
    return calls


def _report(organisation: Organisation, sl_threshold_s: int = 20) -> dict[str, Any]:
    request = KpiRequest(channel="phone", sl_threshold_s=sl_threshold_s, **MARCH)
    kpis: dict[str, Any] = kpis_report_json(organisation=organisation, request=request)["kpis"]
    return kpis


def _rollups(organisation: Organisation) -> list[dict[str, Any]]:
    fields = [f.name for f in DailyRollup._meta.fields if f.name not in ("id", "built_at")]
    return list(DailyRollup.objects.filter(organisation=organisation).values(*fields))


def _assert_rollups_are_fresh(organisation: Organisation, sl_threshold_s: int = 20) -> None:
    """The stored rollups equal a rebuild from contact rows, and give the row-based KPIs."""
    stored = _rollups(organisation)
    rollups_refresh_all(organisation=organisation)
    assert stored == _rollups(organisation)
    t = sl_threshold_s
    from_rollups = phone_kpis_get(organisation=organisation, sl_threshold_s=t, **MARCH)
    from_rows = phone_kpis_get(organisation=organisation, source="rows", sl_threshold_s=t, **MARCH)
    assert from_rollups.source == "rollups" and from_rollups.kpis == from_rows.kpis


def test_changed_opening_hours_are_in_the_kpis_after_the_commit(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    assert _report(cast.voorbeeld)["outside_opening_hours"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        # now open 09:00–09:30 only: the calls from 09:35 on (5 of 10) come outside the hours
        opening_hours_set(
            contact_point=kcc, hours={TUESDAY: [(dt.time(9), dt.time(9, 30))]}, actor=None
        )
    kpis = _report(cast.voorbeeld)
    assert (kpis["source"], kpis["outside_opening_hours"]) == ("rollups", 5)
    assert refreshed == [cast.voorbeeld.code]
    _assert_rollups_are_fresh(cast.voorbeeld)


def test_nothing_is_rebuilt_before_the_commit(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        opening_hours_set(contact_point=kcc, hours={TUESDAY: []}, actor=None)
    assert len(callbacks) == 1 and refreshed == []
    assert _report(cast.voorbeeld)["outside_opening_hours"] == 0  # stale until the commit


def test_a_new_closing_day_counts_its_calls_outside_opening_hours(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        closing_day_add(
            organisation=cast.voorbeeld, date=dt.date(2026, 3, 10), reason="Brugdag", actor=None
        )
    kpis = _report(cast.voorbeeld)
    assert (kpis["source"], kpis["outside_opening_hours"]) == ("rollups", 10)
    assert refreshed == [cast.voorbeeld.code]
    _assert_rollups_are_fresh(cast.voorbeeld)


def test_a_removed_closing_day_brings_its_calls_back_inside_opening_hours(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        day = closing_day_add(
            organisation=cast.voorbeeld, date=dt.date(2026, 3, 10), reason="Brugdag", actor=None
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert closing_day_remove(organisation=cast.voorbeeld, pk=day.pk, actor=None)
    kpis = _report(cast.voorbeeld)
    assert (kpis["source"], kpis["outside_opening_hours"]) == ("rollups", 0)
    assert refreshed == [cast.voorbeeld.code, cast.voorbeeld.code]
    _assert_rollups_are_fresh(cast.voorbeeld)


def test_a_changed_norm_rebuilds_the_rollups_with_the_new_threshold(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    norm = norm_get_current(organisation=cast.voorbeeld, key="phone_service_level")
    assert norm is not None
    with django_capture_on_commit_callbacks(execute=True):
        norm_update(
            norm=norm, target=str(norm.target), threshold="30", source="Raadsbesluit",
            actor=cast.anouk,
        )  # fmt: skip
    rows = DailyRollup.objects.filter(organisation=cast.voorbeeld)
    assert set(rows.values_list("sl_threshold_s", "norm_version")) == {
        (30, "phone_service_level:v2,phone_short_abandon:v1")
    }
    kpis = _report(cast.voorbeeld, sl_threshold_s=30)
    # answered within 30 s: waits 5, 12, 18, 20, 25 of 8 answered calls
    assert (kpis["source"], kpis["service_level"]["answered"]) == ("rollups", 5 / 8)
    _assert_rollups_are_fresh(cast.voorbeeld, sl_threshold_s=30)


def test_a_renamed_contact_point_brings_its_hours_to_the_calls_of_that_name(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    new = contact_point_save(
        contact_point=ContactPoint(organisation=cast.voorbeeld, name="Nieuw", channel="chat"),
        actor=None,
    )
    opening_hours_set(
        contact_point=new, hours={TUESDAY: [(dt.time(9), dt.time(9, 30))]}, actor=None
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kcc.name = "Oud"
        contact_point_save(contact_point=kcc, actor=None)
        new.name = "KCC"  # the calls name "KCC": now open 09:00–09:30 only
        contact_point_save(contact_point=new, actor=None)
    assert _report(cast.voorbeeld)["outside_opening_hours"] == 5
    assert refreshed == [cast.voorbeeld.code]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contact_point_save(contact_point=new, actor=None)  # saved unchanged: nothing to rebuild
    assert callbacks == [] and refreshed == [cast.voorbeeld.code]


def test_changes_in_one_transaction_rebuild_once_and_only_their_organisation(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    other_before = list(
        DailyRollup.objects.filter(organisation=cast.anders).values_list("pk", "built_at")
    )
    with (
        time_machine.travel(CHANGED_AT, tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        opening_hours_set(
            contact_point=kcc, hours={TUESDAY: [(dt.time(9), dt.time(9, 30))]}, actor=None
        )
        closing_day_add(
            organisation=cast.voorbeeld, date=dt.date(2026, 3, 11), reason="Studiedag", actor=None
        )
    assert len(callbacks) == 2 and refreshed == [cast.voorbeeld.code]
    built = set(DailyRollup.objects.filter(organisation=cast.voorbeeld).values_list("built_at"))
    assert built == {(CHANGED_AT,)}
    other_after = DailyRollup.objects.filter(organisation=cast.anders).values_list("pk", "built_at")
    assert list(other_after) == other_before and other_before
    assert _report(cast.anders)["outside_opening_hours"] == 0


def test_a_rolled_back_change_rebuilds_nothing(
    cast: Cast, kcc: ContactPoint, refreshed: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            opening_hours_set(contact_point=kcc, hours={TUESDAY: []}, actor=None)
            raise RuntimeError("the request failed after the change")
    assert callbacks == [] and refreshed == []
