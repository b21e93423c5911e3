"""Writes for scenarios (praktijkvragen, METHODOLOGY.md §2.1).

The research lead creates national and municipality-specific scenarios; a municipality viewer
may propose a scenario for their own municipality, which the lead accepts. Personas are
fictitious: a text holding a valid BSN is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.calc.bsn import contains_bsn
from meetlat.organisations.models import Organisation
from meetlat.research.models import Scenario, ScenarioStatus, Study

#: The free-text fields of a scenario that must never hold a BSN.
TEXT_FIELDS = ("name", "question", "persona", "expected_department")


@dataclass(frozen=True)
class ScenarioText:
    """What a person writes for a scenario."""

    name: str
    channel: str
    question: str = ""
    persona: str = ""
    expected_department: str = ""
    required_elements: Sequence[str] = ()


@transaction.atomic
def scenario_create(
    *,
    study: Study,
    code: str,
    text: ScenarioText,
    national: bool = True,
    organisation: Organisation | None = None,
    actor: User,
) -> Scenario:
    """A scenario the research lead writes; accepted at once."""
    scenario = _scenario(study, code.strip(), text, national, organisation)
    scenario.status = ScenarioStatus.ACCEPTED
    _save(scenario)
    _audit(scenario, "research.scenario.created", actor)
    return scenario


@transaction.atomic
def scenario_propose(
    *, study: Study, organisation: Organisation, text: ScenarioText, actor: User
) -> Scenario:
    """A municipality-specific scenario proposed by a viewer of that municipality."""
    count = study.scenarios.filter(organisation=organisation).count()
    code = _free_code(study, f"{organisation.code}-", count + 1)
    scenario = _scenario(study, code, text, False, organisation)
    scenario.status = ScenarioStatus.PROPOSED
    scenario.proposed_by = actor
    _save(scenario)
    _audit(scenario, "research.scenario.proposed", actor, organisation=organisation)
    return scenario


@transaction.atomic
def scenario_accept(*, scenario: Scenario, actor: User) -> Scenario:
    """The research lead accepts a proposed scenario; the planner may then use it."""
    if scenario.status == ScenarioStatus.ACCEPTED:
        raise ValidationError(_("This scenario is already accepted."))
    _check_no_bsn(scenario)
    updated = Scenario.objects.filter(pk=scenario.pk, status=ScenarioStatus.PROPOSED).update(
        status=ScenarioStatus.ACCEPTED
    )
    if updated != 1:
        raise ValidationError(_("This scenario is already accepted."))
    scenario.status = ScenarioStatus.ACCEPTED
    _audit(scenario, "research.scenario.accepted", actor)
    return scenario


def _scenario(
    study: Study, code: str, text: ScenarioText, national: bool, organisation: Organisation | None
) -> Scenario:
    if organisation is not None and not study.participants.filter(organisation=organisation):
        raise ValidationError(_("This municipality does not take part in the study."))
    elements = [e.strip() for e in text.required_elements if e.strip()]
    return Scenario(
        study=study,
        code=code,
        name=text.name.strip(),
        channel=text.channel,
        national=national and organisation is None,
        organisation=organisation,
        question=text.question.strip(),
        persona=text.persona.strip(),
        expected_department=text.expected_department.strip(),
        answer_key={"required_elements": elements},
    )


def _free_code(study: Study, prefix: str, number: int) -> str:
    taken = set(study.scenarios.filter(code__startswith=prefix).values_list("code", flat=True))
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def _check_no_bsn(scenario: Scenario) -> None:
    """METHODOLOGY.md §2.1 and §8: fictitious personas only, never a real BSN."""
    errors = {
        name: _("This text contains a citizen service number (BSN). Use fictitious details only.")
        for name in TEXT_FIELDS
        if contains_bsn(str(getattr(scenario, name)))
    }
    elements = scenario.answer_key.get("required_elements", [])
    if any(contains_bsn(str(e)) for e in elements):
        errors["answer_key"] = _(
            "The answer key contains a citizen service number (BSN). Use fictitious details only."
        )
    if errors:
        raise ValidationError(errors)


def _save(scenario: Scenario) -> None:
    _check_no_bsn(scenario)
    scenario.full_clean()
    scenario.save()


def _audit(
    scenario: Scenario, action: str, actor: User, organisation: Organisation | None = None
) -> None:
    """One audit entry, in the study owner's log unless another organisation acted."""
    audit_record(
        actor=actor,
        action=action,
        target=scenario,
        organisation=organisation or scenario.study.owner,
        data={
            "study": scenario.study.name,
            "code": scenario.code,
            "channel": scenario.channel,
            "municipality": scenario.organisation.code if scenario.organisation else None,
            "status": scenario.status,
        },
    )
