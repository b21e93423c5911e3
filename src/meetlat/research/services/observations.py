"""Writes for observations recorded by an auditor in the web form (METHODOLOGY.md §2.3).

The form's values are checked by the same row parser as an imported file
(:func:`meetlat.research.parsing.parse_row`), so a recorded question scores exactly as the
same row imported from a CSV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.research.models import (
    OBSERVATION_FIELDS,
    Assignment,
    AssignmentStatus,
    Observation,
)
from meetlat.research.parsing import PHONE_ONLY, WRITTEN_ONLY, RowError, parse_row

#: The columns an auditor fills in; the rest of the row comes from the assignment.
RECORDED_COLUMNS = frozenset(
    {*PHONE_ONLY, *WRITTEN_ONLY, "correctness", "completeness", "extra_step"}
)


class ObservationInvalidError(Exception):
    """The values break the rules of §2.3; ``errors`` name the column of each problem."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(f"{e.column}: {e.message}" for e in errors))
        self.errors = list(errors)


@transaction.atomic
def observation_record(
    *, assignment: Assignment, values: Mapping[str, str], actor: User
) -> Observation:
    """Store what the auditor observed for their assignment (again, to correct it) and mark
    the assignment done."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("wave__study", "organisation", "scenario", "observation")
        .get(pk=assignment.pk)
    )
    _check_may_record(assignment, actor)
    scenario, organisation = assignment.scenario, assignment.organisation
    assert scenario is not None  # checked above
    unknown = sorted(set(values) - RECORDED_COLUMNS)
    if unknown:
        raise ValueError(f"Not a recorded column: {unknown[0]}")
    raw = {
        **values,
        "municipality": organisation.code,
        "municipality_name": organisation.name,
        "scenario": scenario.code,
        "channel": assignment.channel,
        "planned_at": assignment.planned_at.isoformat(),
    }
    parsed, errors = parse_row(raw, 0)
    if parsed is None:
        raise ObservationInvalidError(errors)
    fields = {name: getattr(parsed, name) for name in OBSERVATION_FIELDS}
    observation = assignment.observation
    created = observation is None
    if observation is None:
        observation = Observation(
            wave=assignment.wave, organisation=organisation, scenario=scenario, **fields
        )
        _check_not_imported(observation)
    else:
        for name, value in fields.items():
            setattr(observation, name, value)
    observation.save()
    assignment.observation, assignment.status = observation, AssignmentStatus.DONE
    assignment.save(update_fields=["observation", "status"])
    audit_record(
        actor=actor,
        action="research.observation.recorded" if created else "research.observation.corrected",
        target=observation,
        organisation=assignment.wave.study.owner,
        data={
            "study": assignment.wave.study.name,
            "wave": assignment.wave.name,
            "municipality": organisation.code,
            "scenario": scenario.code,
            "question": assignment.question,
            "values": {k: v for k, v in sorted(values.items()) if v},
        },
    )
    return observation


def _check_may_record(assignment: Assignment, actor: User) -> None:
    if assignment.auditor_id != actor.pk:
        raise ValidationError(_("This assignment is not yours."))
    if assignment.wave.is_published:
        raise ValidationError(_("The results of this wave are published; it can no longer change."))
    if assignment.status == AssignmentStatus.SKIPPED:
        raise ValidationError(_("This assignment was cancelled by your research lead."))
    if assignment.scenario is None:
        raise ValidationError(_("This assignment has no scenario yet. Ask your research lead."))


def _check_not_imported(observation: Observation) -> None:
    duplicate = Observation.objects.filter(
        wave=observation.wave,
        organisation=observation.organisation,
        scenario=observation.scenario,
        channel=observation.channel,
        planned_at=observation.planned_at,
    ).exists()
    if duplicate:
        raise ValidationError(_("An observation of this question was already imported."))
