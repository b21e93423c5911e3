"""The SQL KPIs equal `calc.kpi.phone_kpis` on the same rows (METHODOLOGY.md §4.1, §4.2).

Hypothesis draws random calls around the spring clock change, imports them as a canonical CSV
(which builds the daily rollups) and compares `kpis.selectors.phone_kpis_get` from rollups and
from contact rows with the pure reference, overall and per group, for random periods. Contact
point KCC has opening hours (with a lunch break and a Saturday morning), Vergunningen none (the
office hours apply), so `outside_opening_hours` is checked too.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetlat.calc.kpi import GROUP_BY, Outcome, PhoneCall, grouped_phone_kpis, phone_kpis
from meetlat.contacts.services import contacts_import
from meetlat.kpis.selectors import phone_kpis_get
from meetlat.kpis.selectors.opening import is_open_for, opening_hours_by_point
from meetlat.organisations.models import Channel, ContactPoint, Organisation, PhoneKind
from meetlat.organisations.selectors import calendar_for
from meetlat.organisations.services import (
    closing_day_add,
    contact_point_save,
    opening_hours_set,
    organisation_create,
)
from tests.contacts.samples import PHONE_COLUMNS, csv_bytes

AMS = ZoneInfo("Europe/Amsterdam")
START = dt.datetime(2026, 3, 18, 0, 0, tzinfo=dt.UTC)
SPAN_S = 21 * 24 * 3600  # 18 March – 8 April 2026, across 29 March
FIRST_DAY = dt.date(2026, 3, 18)


def assert_close(got: Any, want: Any, path: str = "kpis") -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), path
        for key in want:
            assert_close(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_close(g, w, f"{path}[{i}]")
    elif isinstance(want, float) and isinstance(got, int | float):
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), f"{path}: {got} != {want}"
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


@st.composite
def phone_calls(draw: st.DrawFn, index: int) -> PhoneCall:
    outcome: Outcome = draw(
        st.sampled_from(
            ["answered"] * 4
            + ["abandoned"] * 2
            + ["ivr_abandoned", "closed", "callback_request", "voicemail"]
        )
    )
    offered = outcome in ("answered", "abandoned")
    wait = st.integers(0, 420)
    return PhoneCall(
        contact_id=f"h{index}",
        started_at=START
        + dt.timedelta(
            seconds=draw(st.integers(0, SPAN_S)),
            microseconds=draw(st.sampled_from([0, 0, 0, 1, 500_000])),
        ),
        outcome=outcome,
        wait_s=draw(wait if offered else st.none() | wait),
        handle_s=draw(st.none() | st.integers(0, 900)),
        transfers=draw(st.none() | st.integers(0, 4)),
        customer=draw(st.none() | st.sampled_from(["K1", "K2", "K3", "K4", "K5"])),
        resolved_first_contact=draw(st.none() | st.booleans()),
        contact_point=draw(st.sampled_from(["", "KCC", "Vergunningen"])),
        topic=draw(st.sampled_from(["", "afval", "paspoort"])),
    )


@st.composite
def call_sets(draw: st.DrawFn) -> list[PhoneCall]:
    n = draw(st.integers(0, 40))
    return [draw(phone_calls(i)) for i in range(n)]


def row(call: PhoneCall) -> list[str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    yes_no = {None: "", True: "yes", False: "no"}[call.resolved_first_contact]
    cells = {
        "contact_id": call.contact_id,
        "started_at": call.started_at.astimezone(AMS).isoformat(),
        "contact_point": call.contact_point,
        "outcome": call.outcome,
        "wait_s": text(call.wait_s),
        "handle_s": text(call.handle_s),
        "agent": "",
        "transfers": text(call.transfers),
        "topic": call.topic,
        "customer": call.customer or "",
        "resolved_first_contact": yes_no,
    }
    return [cells[column] for column in PHONE_COLUMNS]


@pytest.fixture
def organisation(db: None) -> Organisation:
    dorp = organisation_create(code="GM9994", name="Kruisdorp")
    kcc = contact_point_save(
        contact_point=ContactPoint(
            organisation=dorp,
            name="KCC",
            channel=Channel.PHONE,
            phone_kind=PhoneKind.MAIN,
            address="14 0999",
        ),
        actor=None,
    )
    morning, afternoon = (dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0))
    hours = {day: [morning, afternoon] for day in range(1, 6)}
    opening_hours_set(
        contact_point=kcc, hours={**hours, 6: [(dt.time(10), dt.time(12))]}, actor=None
    )
    closing_day_add(organisation=dorp, date=dt.date(2026, 3, 20), reason="heidag", actor=None)
    return dorp


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    calls=call_sets(),
    first=st.integers(0, 20),
    length=st.integers(0, 20),
    group_by=st.none() | st.sampled_from(GROUP_BY),
    sl_threshold_s=st.sampled_from([20, 20, 0, 30]),
    short_abandon_s=st.sampled_from([5, 5, 0, 10]),
)
def test_sql_kpis_equal_the_pure_reference(
    organisation: Organisation,
    calls: list[PhoneCall],
    first: int,
    length: int,
    group_by: str | None,
    sl_threshold_s: int,
    short_abandon_s: int,
) -> None:
    date_from = FIRST_DAY + dt.timedelta(days=first)
    date_to = date_from + dt.timedelta(days=length)
    savepoint = transaction.savepoint()
    try:
        result = contacts_import(
            organisation=organisation,
            data=csv_bytes([row(c) for c in calls]),
            file_name="random.csv",
            format_name="csv",
            tz=AMS,
        )
        assert result.ok and result.imported == len(calls)
        is_open = is_open_for(
            calendar_for(organisation=organisation),
            opening_hours_by_point(organisation=organisation),
        )
        from_rows, auto = (
            phone_kpis_get(
                organisation=organisation,
                date_from=date_from,
                date_to=date_to,
                sl_threshold_s=sl_threshold_s,
                short_abandon_s=short_abandon_s,
                group_by=group_by,
                source=source,
            )
            for source in ("rows", "auto")
        )
    finally:
        transaction.savepoint_rollback(savepoint)
    in_period = [c for c in calls if date_from <= c.started_at.astimezone(AMS).date() <= date_to]
    history = [c for c in calls if c not in in_period]
    reference: dict[str, Any] = {
        "sl_threshold_s": sl_threshold_s,
        "short_abandon_s": short_abandon_s,
        "history": history,
        "is_open": is_open,
    }
    # the import built rollups with the organisation's T 20 and S 5; other values read rows
    built_with = (sl_threshold_s, short_abandon_s) == (20, 5)
    assert auto.source == ("rollups" if built_with and in_period else "rows")
    for report in (from_rows, auto):
        assert_close(report.kpis, phone_kpis(in_period, **reference))
        if group_by is not None:
            want = grouped_phone_kpis(in_period, group_by=group_by, **reference)
            assert_close(report.groups, want, "groups")
