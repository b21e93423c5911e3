"""The SQL KPIs equal `calc.kpi.phone_kpis` on the same rows (METHODOLOGY.md §4.1, §4.2).

Hypothesis draws random calls around the spring clock change, imports them as a canonical CSV
and compares `kpis.selectors.phone_kpis_get` with the pure reference, overall and per group.
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
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create
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
    return organisation_create(code="GM9994", name="Kruisdorp")


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
    sl_threshold_s=st.sampled_from([0, 20, 30]),
    short_abandon_s=st.sampled_from([0, 5, 10]),
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
        report = phone_kpis_get(
            organisation=organisation,
            date_from=date_from,
            date_to=date_to,
            sl_threshold_s=sl_threshold_s,
            short_abandon_s=short_abandon_s,
            group_by=group_by,
        )
    finally:
        transaction.savepoint_rollback(savepoint)
    in_period = [c for c in calls if date_from <= c.started_at.astimezone(AMS).date() <= date_to]
    history = [c for c in calls if c not in in_period]
    options: dict[str, Any] = {
        "sl_threshold_s": sl_threshold_s,
        "short_abandon_s": short_abandon_s,
        "history": history,
    }
    assert_close(report.kpis, phone_kpis(in_period, **options))
    if group_by is not None:
        want = grouped_phone_kpis(in_period, group_by=group_by, **options)
        assert_close(report.groups, want, "groups")
