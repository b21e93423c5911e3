"""`wave_plan` and `assignment_update`: the planner's plan stored as assignments, re-planning,
and manual edits that break a rule refused with the rule named."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from meetlat.accounts.models import AuditEntry, User
from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.fieldwork import slot_of
from meetlat.calc.planner import Rule
from meetlat.research.models import Assignment, AssignmentStatus, Study, Wave, WaveStatus
from meetlat.research.selectors import plan_violations
from meetlat.research.services.planning import (
    PlanViolationError,
    WavePlanError,
    assignment_update,
    wave_plan,
)
from tests.conftest import Cast
from tests.research.conftest import NOW

pytestmark = pytest.mark.django_db


def times(wave: Wave) -> list[tuple[str, str, dt.datetime, int | None]]:
    rows = wave.assignments.order_by("organisation__code", "question")
    return [(a.organisation.code, a.question, a.planned_at, a.auditor_id) for a in rows]


def test_planning_stores_one_assignment_per_question(planned: Wave, cast: Cast) -> None:
    counts = Counter((a.organisation.code, a.channel) for a in planned.assignments.all())
    assert counts == {
        ("GM9801", "phone"): 15,
        ("GM9801", "email"): 5,
        ("GM9802", "phone"): 15,
        ("GM9802", "email"): 5,
    }
    assert plan_violations(wave=planned) == []
    assert all(a.planned_at > NOW for a in planned.assignments.all())
    assert not planned.assignments.filter(scenario__isnull=True).exists()
    assert AuditEntry.objects.filter(action="research.wave.planned", actor=cast.ruben).count() == 1


def test_scenarios_are_given_in_turn_and_emails_get_different_personas(planned: Wave) -> None:
    calls = planned.assignments.filter(organisation__code="GM9801", channel="phone")
    assert Counter(a.scenario.code for a in calls if a.scenario) == {"T01": 5, "T02": 5, "T03": 5}
    mails = planned.assignments.filter(organisation__code="GM9801", channel="email")
    assert sorted(a.scenario.persona for a in mails if a.scenario) == [
        f"Persona {n}" for n in range(1, 6)
    ]


def test_planning_again_with_the_same_seed_gives_the_same_plan(planned: Wave, cast: Cast) -> None:
    before = times(planned)
    result = wave_plan(wave=planned, actor=cast.ruben)
    assert times(planned) == before
    assert (result.created, result.replaced, result.kept) == (40, 40, 0)


def test_a_new_seed_gives_another_plan(planned: Wave, cast: Cast) -> None:
    before = times(planned)
    wave_plan(wave=planned, actor=cast.ruben, new_seed=True)
    assert times(planned) != before


def test_planning_again_keeps_done_and_skipped_assignments(planned: Wave, cast: Cast) -> None:
    done = planned.assignments.filter(channel="phone").order_by("planned_at").first()
    skipped = planned.assignments.filter(channel="email").order_by("planned_at").first()
    assert done is not None and skipped is not None
    Assignment.objects.filter(pk=done.pk).update(status=AssignmentStatus.DONE)
    Assignment.objects.filter(pk=skipped.pk).update(status=AssignmentStatus.SKIPPED)
    result = wave_plan(wave=planned, actor=cast.ruben, new_seed=True)
    assert (result.kept, result.created) == (2, 38)
    assert Assignment.objects.get(pk=done.pk).planned_at == done.planned_at
    assert Assignment.objects.filter(pk=skipped.pk).exists()
    assert planned.assignments.count() == 40
    assert plan_violations(wave=planned) == []


def test_too_few_auditors_names_the_rotation_rule(study: Study, cast: Cast) -> None:
    User.objects.filter(username__startswith="auditor").delete()  # Bram alone is left
    wave = study.waves.get()
    with pytest.raises(WavePlanError) as caught:
        wave_plan(wave=wave, actor=cast.ruben)
    assert caught.value.error.rule is Rule.ROTATION
    assert caught.value.municipality in {cast.voorbeeld, cast.anders}
    assert not wave.assignments.exists()


def test_a_published_wave_is_not_planned_again(planned: Wave, cast: Cast) -> None:
    Wave.objects.filter(pk=planned.pk).update(status=WaveStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="gepubliceerd"):
        wave_plan(wave=planned, actor=cast.ruben)


def _calls(wave: Wave, code: str = "GM9801") -> list[Assignment]:
    return list(
        wave.assignments.filter(organisation__code=code, channel="phone").order_by("planned_at")
    )


def test_an_edit_closer_than_an_hour_to_another_call_is_refused(planned: Wave, cast: Cast) -> None:
    first, second = _calls(planned)[:2]
    with pytest.raises(PlanViolationError) as caught:
        assignment_update(
            assignment=second,
            planned_at=first.planned_at + dt.timedelta(minutes=20),
            auditor=second.auditor,
            actor=cast.ruben,
        )
    assert Rule.GAP in {v.rule for v in caught.value.violations}
    assert Assignment.objects.get(pk=second.pk).planned_at == second.planned_at


def test_a_fourth_call_for_one_auditor_is_refused(planned: Wave, cast: Cast) -> None:
    calls = _calls(planned)
    auditor = calls[0].auditor
    assert auditor is not None
    days = {c.planned_at.astimezone(dt.UTC).date() for c in calls if c.auditor == auditor}
    other = next(
        c
        for c in calls
        if c.auditor != auditor and c.planned_at.astimezone(dt.UTC).date() not in days
    )
    with pytest.raises(PlanViolationError) as caught:
        assignment_update(
            assignment=other, planned_at=other.planned_at, auditor=auditor, actor=cast.ruben
        )
    assert {v.rule for v in caught.value.violations} == {Rule.ROTATION}


def _free_move(wave: Wave) -> tuple[Assignment, dt.datetime]:
    """A call and a time five minutes off that stays in its slot, an hour from the other calls
    to the municipality and half an hour from the auditor's other calls."""
    everything = list(wave.assignments.filter(channel="phone"))
    for call in _calls(wave):
        for minutes in (5, -5, 10, -10):
            moved = call.planned_at + dt.timedelta(minutes=minutes)
            if slot_of(moved.astimezone(AMSTERDAM).time()) != slot_of(
                call.planned_at.astimezone(AMSTERDAM).time()
            ):
                continue
            others = [a for a in everything if a.pk != call.pk]
            near_call = any(
                abs(a.planned_at - moved) < dt.timedelta(hours=1)
                for a in others
                if a.organisation_id == call.organisation_id
            )
            near_auditor = any(
                abs(a.planned_at - moved) < dt.timedelta(minutes=30)
                for a in others
                if a.auditor_id == call.auditor_id
            )
            if not near_call and not near_auditor:
                return call, moved
    raise AssertionError("no free move in this plan")


def test_an_edit_within_the_rules_is_saved_and_audited(planned: Wave, cast: Cast) -> None:
    call, later = _free_move(planned)
    assignment_update(assignment=call, planned_at=later, auditor=call.auditor, actor=cast.ruben)
    assert Assignment.objects.get(pk=call.pk).planned_at == later
    entry = AuditEntry.objects.get(action="research.assignment.updated")
    assert entry.data["after"]["planned_at"] == later.isoformat()


def test_skipping_an_assignment_is_always_allowed(planned: Wave, cast: Cast) -> None:
    call = _calls(planned)[0]
    assignment_update(
        assignment=call,
        planned_at=call.planned_at,
        auditor=call.auditor,
        status=AssignmentStatus.SKIPPED,
        actor=cast.ruben,
    )
    assert Assignment.objects.get(pk=call.pk).status == AssignmentStatus.SKIPPED


def test_only_auditors_of_the_agency_may_be_given_an_assignment(planned: Wave, cast: Cast) -> None:
    call = _calls(planned)[0]
    with pytest.raises(Exception, match="auditor"):
        assignment_update(
            assignment=call, planned_at=call.planned_at, auditor=cast.vera, actor=cast.ruben
        )
