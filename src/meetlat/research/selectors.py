"""Reads for mystery research: studies, waves, scenarios, assignments, observations, scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from meetlat import clock
from meetlat.accounts.models import User
from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.observations import CHANNELS
from meetlat.calc.planner import Plan, Violation, validate_plan
from meetlat.calc.scoring import study_score
from meetlat.organisations.models import Channel, Organisation
from meetlat.organisations.selectors import calendar_for, calendars_for
from meetlat.research.models import (
    Assignment,
    AssignmentStatus,
    Observation,
    Scenario,
    Study,
    Wave,
    WaveStatus,
)
from meetlat.research.plan_context import PlanContext, auditors_of, plan_item


def study_get(*, name: str) -> Study | None:
    return Study.objects.filter(name=name).first()


def wave_get(*, study: Study, name: str) -> Wave | None:
    return study.waves.filter(name=name).first()


def wave_latest(*, study: Study) -> Wave | None:
    """The wave with the highest order (the newest measurement)."""
    return study.waves.order_by("-order").first()


def observation_list(*, wave: Wave) -> QuerySet[Observation]:
    return wave.observations.select_related("organisation", "scenario").order_by(
        "organisation__code", "planned_at", "scenario__code", "id"
    )


def _calendars(organisations: dict[str, Organisation]) -> dict[str, WorkCalendar]:
    by_pk = calendars_for(organisations=organisations.values())
    return {code: by_pk[o.pk] for code, o in organisations.items()}


def study_score_get(*, study: Study, wave: Wave | None) -> dict[str, Any]:
    """The object ``study score --json`` prints for one wave (METHODOLOGY.md §2.5).

    Scored with the study's stored weights and each municipality's own working-day calendar;
    a study without a wave has no municipalities.
    """
    rows = list(observation_list(wave=wave)) if wave is not None else []
    organisations = {row.organisation.code: row.organisation for row in rows}
    return study_score(
        study.name,
        [row.as_values() for row in rows],
        calendar_for(organisation=None),
        calendars=_calendars(organisations),
        names={code: o.name for code, o in organisations.items()},
        weights=study.scoring_weights(),
        channel_weights=study.scoring_channel_weights(),
    )


# -- scoped reads for the web pages ------------------------------------------------------------
# A research lead sees the studies their organisation owns; an auditor their own assignments;
# a municipality viewer the published waves of studies their municipality takes part in.


def auditor_list(*, organisation: Organisation | None) -> list[User]:
    return auditors_of(organisation)


def study_list_owned(*, organisation: Organisation) -> QuerySet[Study]:
    return (
        Study.objects.filter(owner=organisation)
        .annotate(
            municipality_count=Count("participants", distinct=True),
            wave_count=Count("waves", distinct=True),
        )
        .order_by("-created_at", "name")
    )


def study_get_owned(*, organisation: Organisation, pk: int) -> Study | None:
    return Study.objects.filter(owner=organisation, pk=pk).first()


def wave_get_owned(*, organisation: Organisation, pk: int) -> Wave | None:
    return Wave.objects.select_related("study").filter(study__owner=organisation, pk=pk).first()


def scenario_list(*, study: Study) -> QuerySet[Scenario]:
    return study.scenarios.select_related("organisation", "proposed_by").order_by(
        "status", "-national", "code"
    )


def scenario_get_owned(*, organisation: Organisation, pk: int) -> Scenario | None:
    scenarios = Scenario.objects.select_related("study", "organisation")
    return scenarios.filter(study__owner=organisation, pk=pk).first()


def assignment_get_owned(*, organisation: Organisation, pk: int) -> Assignment | None:
    assignments = Assignment.objects.select_related("wave__study", "organisation", "auditor")
    return assignments.filter(wave__study__owner=organisation, pk=pk).first()


def plan_rows(*, wave: Wave) -> QuerySet[Assignment]:
    return wave.assignments.select_related("organisation", "scenario", "auditor").order_by(
        "planned_at", "organisation__code", "question"
    )


def plan_violations(*, wave: Wave) -> list[Violation]:
    """The rules the wave's stored plan breaks (empty for a valid plan or no plan)."""
    rows = list(
        wave.assignments.exclude(status=AssignmentStatus.SKIPPED).select_related(
            "organisation", "scenario"
        )
    )
    if wave.fieldwork_start is None or not rows:
        return []
    skipped = wave.assignments.filter(status=AssignmentStatus.SKIPPED)
    request = PlanContext(wave).request(fixed=[], skipped=skipped, not_before=None)
    return validate_plan(Plan(request, tuple(plan_item(a) for a in rows)))


@dataclass(frozen=True)
class ProgressRow:
    """Fieldwork of one municipality on one channel: questions wanted, planned, done."""

    organisation: Organisation
    channel: str
    target: int
    planned: int
    done: int
    overdue: int

    @property
    def missing(self) -> int:
        return max(0, self.target - self.done)

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


def wave_progress(*, wave: Wave) -> list[ProgressRow]:
    """Per municipality and channel: planned (not skipped), done (observations stored, also
    imported ones), overdue (planned in the past, not done) and missing (target − done).
    Counted in three queries, whatever the number of municipalities."""
    now = clock.now()
    planned = {
        (r["organisation_id"], r["channel"]): r
        for r in wave.assignments.exclude(status=AssignmentStatus.SKIPPED)
        .values("organisation_id", "channel")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(status=AssignmentStatus.PLANNED, planned_at__lt=now)),
        )
    }
    done = {
        (r["organisation_id"], r["channel"]): r["n"]
        for r in wave.observations.values("organisation_id", "channel").annotate(n=Count("id"))
    }
    targets = wave.study.question_counts()
    channels = [c for c in CHANNELS if c in targets or any(k[1] == c for k in done)]
    rows: list[ProgressRow] = []
    participants = wave.study.participants.select_related("organisation")
    for participant in participants.order_by("organisation__name"):
        organisation = participant.organisation
        for channel in channels:
            key = (organisation.pk, channel)
            counts = planned.get(key, {"n": 0, "overdue": 0})
            rows.append(
                ProgressRow(
                    organisation,
                    channel,
                    targets.get(channel, 0),
                    counts["n"],
                    done.get(key, 0),
                    counts["overdue"],
                )
            )
    return rows


def assignment_list_for_auditor(
    *, user: User, organisation: Organisation
) -> tuple[list[Assignment], list[Assignment]]:
    """The auditor's own assignments for studies of their organisation: to do (soonest first)
    and done or skipped (latest first)."""
    mine = Assignment.objects.filter(auditor=user, wave__study__owner=organisation).select_related(
        "organisation", "scenario", "wave__study"
    )
    to_do = list(mine.filter(status=AssignmentStatus.PLANNED).order_by("planned_at", "id"))
    other = list(mine.exclude(status=AssignmentStatus.PLANNED).order_by("-planned_at", "-id"))
    return to_do, other


def assignment_get_for_auditor(
    *, user: User, organisation: Organisation, pk: int
) -> Assignment | None:
    assignments = Assignment.objects.select_related(
        "organisation", "scenario", "wave__study", "observation"
    )
    return assignments.filter(auditor=user, wave__study__owner=organisation, pk=pk).first()


def study_list_for_municipality(*, organisation: Organisation) -> QuerySet[Study]:
    """The studies a municipality takes part in."""
    return Study.objects.filter(participants__organisation=organisation).order_by("name")


def study_get_for_municipality(*, organisation: Organisation, pk: int) -> Study | None:
    return study_list_for_municipality(organisation=organisation).filter(pk=pk).first()


def published_wave_list(*, organisation: Organisation) -> QuerySet[Wave]:
    """Published waves of the studies a municipality takes part in, newest first."""
    return (
        Wave.objects.filter(
            status=WaveStatus.PUBLISHED, study__participants__organisation=organisation
        )
        .select_related("study")
        .order_by("-published_at", "-id")
    )


def published_wave_get(*, organisation: Organisation, pk: int) -> Wave | None:
    return published_wave_list(organisation=organisation).filter(pk=pk).first()


def municipality_result_get(*, wave: Wave, organisation: Organisation) -> dict[str, Any] | None:
    """One municipality's entry of the wave's score, with the study means and the norm (the
    other municipalities' scores are left out)."""
    score = study_score_get(study=wave.study, wave=wave)
    own = next((m for m in score["municipalities"] if m["code"] == organisation.code), None)
    if own is None:
        return None
    ranked = sum(1 for m in score["municipalities"] if m["rank"] is not None)
    return {"own": own, "ranked": ranked, "reference": score["reference"]}
