"""Reads for mystery research: studies, waves, observations and the study score."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.scoring import study_score
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import calendar_for
from meetlat.research.models import Observation, Study, Wave


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
    return {code: calendar_for(organisation=o) for code, o in organisations.items()}


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
