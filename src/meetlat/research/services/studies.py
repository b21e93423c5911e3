"""Writes for studies and waves: create a study with its municipalities and first wave, add a
wave, publish a wave (METHODOLOGY.md §2.1)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.organisations.models import Organisation, OrganisationKind
from meetlat.organisations.selectors import reference_municipality_get
from meetlat.organisations.services import organisation_create
from meetlat.research.models import (
    DEFAULT_WAVE_NAME,
    Study,
    StudyMunicipality,
    Wave,
    WaveStatus,
)
from meetlat.research.selectors import study_score_get

SEED_LIMIT = 2**31


@transaction.atomic
def study_create(
    *,
    name: str,
    owner: Organisation,
    municipality_codes: Sequence[str],
    questions: Mapping[str, int],
    fieldwork_start: dt.date,
    fieldwork_end: dt.date,
    max_calls_per_auditor: int = 3,
    wave_name: str = DEFAULT_WAVE_NAME,
    actor: User,
) -> Study:
    """A study run by ``owner`` with its municipalities and its first wave (0-meting).

    Municipalities are found by CBS code; one not yet known is created from the CBS list.
    """
    study = Study(
        name=name.strip(),
        owner=owner,
        questions=dict(questions),
        max_calls_per_auditor=max_calls_per_auditor,
    )
    study.full_clean()
    study.save()
    organisations = _municipalities(municipality_codes, actor=actor)
    StudyMunicipality.objects.bulk_create(
        StudyMunicipality(study=study, organisation=o) for o in organisations
    )
    audit_record(
        actor=actor,
        action="research.study.created",
        target=study,
        organisation=owner,
        data={
            "name": study.name,
            "municipalities": [o.code for o in organisations],
            "questions": study.questions,
            "max_calls_per_auditor": study.max_calls_per_auditor,
            "weights": study.weights,
        },
    )
    wave_create(
        study=study,
        name=wave_name,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        actor=actor,
    )
    return study


def _municipalities(codes: Sequence[str], *, actor: User) -> list[Organisation]:
    """The organisations of the CBS codes, in the order given; unknown ones are created."""
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    if not wanted:
        raise ValidationError({"municipalities": _("Choose at least one municipality.")})
    known = {o.code: o for o in Organisation.objects.filter(code__in=wanted)}
    organisations: list[Organisation] = []
    for code in wanted:
        organisation = known.get(code)
        if organisation is None:
            reference = reference_municipality_get(cbs_code=code)
            if reference is None:
                message = _("%(code)s is not a municipality in the CBS list.") % {"code": code}
                raise ValidationError({"municipalities": message})
            organisation = organisation_create(code=code, name=reference.display_name, actor=actor)
        elif organisation.kind != OrganisationKind.MUNICIPALITY:
            message = _("%(code)s is not a municipality.") % {"code": code}
            raise ValidationError({"municipalities": message})
        organisations.append(organisation)
    return organisations


@transaction.atomic
def wave_create(
    *,
    study: Study,
    name: str,
    fieldwork_start: dt.date | None = None,
    fieldwork_end: dt.date | None = None,
    actor: User | None,
) -> Wave:
    """The next wave of a study (1-meting …), with a fresh planner seed."""
    last = study.waves.aggregate(last=Max("order"))["last"] or 0
    wave = Wave(
        study=study,
        name=name.strip(),
        order=last + 1,
        seed=secrets.randbelow(SEED_LIMIT),
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
    )
    wave.full_clean()
    wave.save()
    audit_record(
        actor=actor,
        action="research.wave.created",
        target=wave,
        organisation=study.owner,
        data={
            "study": study.name,
            "wave": wave.name,
            "seed": wave.seed,
            "fieldwork_start": _iso(fieldwork_start),
            "fieldwork_end": _iso(fieldwork_end),
        },
    )
    return wave


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@transaction.atomic
def wave_publish(*, wave: Wave, actor: User) -> Wave:
    """Publish a wave: municipality viewers then see their results. The audit entry keeps the
    grades as published."""
    wave = Wave.objects.select_for_update(of=("self",)).select_related("study").get(pk=wave.pk)
    if wave.is_published:
        raise ValidationError(_("This wave is already published."))
    if not wave.observations.exists():
        raise ValidationError(_("Nothing to publish yet: record or import observations first."))
    wave.status = WaveStatus.PUBLISHED
    wave.published_at = clock.now()
    wave.save(update_fields=["status", "published_at"])
    score = study_score_get(study=wave.study, wave=wave)
    audit_record(
        actor=actor,
        action="research.wave.published",
        target=wave,
        organisation=wave.study.owner,
        data={
            "study": wave.study.name,
            "wave": wave.name,
            "observations": wave.observations.count(),
            "overall": {m["code"]: m["overall"] for m in score["municipalities"]},
        },
    )
    return wave
