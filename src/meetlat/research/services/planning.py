"""Writes for the fieldwork plan of a wave (METHODOLOGY.md §2.2).

:func:`wave_plan` asks :mod:`meetlat.calc.planner` for a plan with the wave's seed and stores it
as :class:`Assignment` rows; planning again replaces the assignments not done yet and keeps
the done ones (they count in every rule). :func:`assignment_update` changes the time or auditor
of one assignment and refuses a change that breaks a rule the plan kept.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.calc.planner import (
    Plan,
    PlanningError,
    Violation,
    plan_fieldwork,
    validate_plan,
)
from meetlat.organisations.models import Organisation
from meetlat.research.models import Assignment, AssignmentStatus, Wave
from meetlat.research.plan_context import PlanContext, auditors_of, plan_item
from meetlat.research.services.studies import SEED_LIMIT


class WavePlanError(Exception):
    """No valid plan: ``error`` names the rule; ``municipality`` the organisation concerned."""

    def __init__(self, error: PlanningError, municipality: Organisation | None) -> None:
        super().__init__(str(error))
        self.error, self.municipality = error, municipality


class PlanViolationError(Exception):
    """A manual edit would break rules the plan kept."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        super().__init__("; ".join(v.message for v in violations))
        self.violations = list(violations)


@dataclass(frozen=True)
class PlanResult:
    created: int
    kept: int
    replaced: int


@transaction.atomic
def wave_plan(*, wave: Wave, actor: User, new_seed: bool = False) -> PlanResult:
    """Plan (or plan again) the fieldwork of a wave; done assignments are kept."""
    wave = (
        Wave.objects.select_for_update(of=("self",)).select_related("study__owner").get(pk=wave.pk)
    )
    if wave.is_published:
        raise ValidationError(_("This wave is published; its plan can no longer change."))
    if new_seed:
        wave.seed = secrets.randbelow(SEED_LIMIT)
        wave.save(update_fields=["seed"])
    existing = list(wave.assignments.select_related("organisation", "scenario"))
    done = [a for a in existing if a.status == AssignmentStatus.DONE]
    skipped = [a for a in existing if a.status == AssignmentStatus.SKIPPED]
    context = PlanContext(wave)
    request = context.request(
        fixed=[plan_item(a) for a in done], skipped=skipped, not_before=clock.now()
    )
    try:
        plan = plan_fieldwork(request)
    except PlanningError as error:
        raise WavePlanError(error, context.organisations.get(error.municipality)) from error
    replaced = wave.assignments.filter(status=AssignmentStatus.PLANNED).delete()[0]
    fixed = set(request.fixed)
    new = [item for item in plan.items if item not in fixed]
    Assignment.objects.bulk_create(context.assignment(item) for item in new)
    result = PlanResult(created=len(new), kept=len(done) + len(skipped), replaced=replaced)
    audit_record(
        actor=actor,
        action="research.wave.planned",
        target=wave,
        organisation=wave.study.owner,
        data={
            "study": wave.study.name,
            "wave": wave.name,
            "seed": wave.seed,
            "created": result.created,
            "kept": result.kept,
            "replaced": result.replaced,
        },
    )
    return result


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    planned_at: dt.datetime,
    auditor: User | None,
    status: str = AssignmentStatus.PLANNED,
    actor: User,
) -> Assignment:
    """Change the time, auditor or status (planned/skipped) of an assignment not done yet.

    The plan is checked again: a change that breaks a rule the plan kept is refused with
    :class:`PlanViolationError`; skipping a question is always allowed.
    """
    wave = (
        Wave.objects.select_for_update(of=("self",))
        .select_related("study__owner")
        .get(pk=assignment.wave_id)
    )
    assignment = Assignment.objects.select_related("organisation", "scenario").get(pk=assignment.pk)
    if wave.is_published or assignment.status == AssignmentStatus.DONE:
        raise ValidationError(_("Done assignments and published waves cannot be changed."))
    if status not in {AssignmentStatus.PLANNED, AssignmentStatus.SKIPPED}:
        raise ValidationError({"status": _("Choose planned or skipped.")})
    auditors = {u.pk for u in auditors_of(wave.study.owner)}
    if auditor is not None and auditor.pk not in auditors:
        raise ValidationError({"auditor": _("Choose an auditor of your organisation.")})
    before: dict[str, object] = {
        "planned_at": assignment.planned_at,
        "auditor": assignment.auditor_id,
        "status": assignment.status,
    }
    assignment.planned_at, assignment.auditor, assignment.status = planned_at, auditor, status
    if status == AssignmentStatus.PLANNED:
        _check_edit(wave, assignment)
    assignment.full_clean()
    assignment.save(update_fields=["planned_at", "auditor", "status"])
    audit_record(
        actor=actor,
        action="research.assignment.updated",
        target=assignment,
        organisation=wave.study.owner,
        data={
            "before": _plain(before),
            "after": _plain(
                {"planned_at": planned_at, "auditor": assignment.auditor_id, "status": status}
            ),
        },
    )
    return assignment


def _plain(values: Mapping[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in values.items()}


def _check_edit(wave: Wave, edited: Assignment) -> None:
    """Raise if the edit adds violations to the plan as it stands."""
    rows = list(
        wave.assignments.exclude(status=AssignmentStatus.SKIPPED).select_related(
            "organisation", "scenario"
        )
    )
    skipped = list(wave.assignments.filter(status=AssignmentStatus.SKIPPED))
    request = PlanContext(wave).request(fixed=[], skipped=skipped, not_before=None)
    current = [a for a in rows if a.pk != edited.pk]
    before = validate_plan(Plan(request, tuple(plan_item(a) for a in rows)))
    after = validate_plan(Plan(request, tuple(plan_item(a) for a in [*current, edited])))
    known = {v.key for v in before}
    new = [v for v in after if v.key not in known]
    if new:
        raise PlanViolationError(new)
