"""What the fieldwork planner needs from the database for one wave, read once (no writes).

Shared by the planning services and the selectors that check a stored plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meetlat.accounts.models import Membership, User
from meetlat.accounts.roles import Role
from meetlat.calc.fieldwork import Interval, WeekHours
from meetlat.calc.planner import (
    Municipality,
    PlannedItem,
    PlannerSettings,
    PlanRequest,
    Question,
)
from meetlat.organisations.models import Channel, Organisation, PhoneKind
from meetlat.organisations.selectors import calendars_for
from meetlat.research.models import Assignment, AssignmentStatus, Scenario, ScenarioStatus, Wave


def auditors_of(organisation: Organisation | None) -> list[User]:
    """The users with the auditor role in an organisation (the agency running a study)."""
    if organisation is None:
        return []
    memberships = Membership.objects.filter(organisation=organisation, role=Role.AUDITOR)
    return list(User.objects.filter(memberships__in=memberships).order_by("username").distinct())


def plan_item(assignment: Assignment) -> PlannedItem:
    return PlannedItem(
        municipality=assignment.organisation.code,
        question=assignment.question,
        channel=assignment.channel,
        at=assignment.planned_at,
        auditor=str(assignment.auditor_id) if assignment.auditor_id is not None else None,
        persona=assignment.scenario.persona if assignment.scenario is not None else "",
    )


class PlanContext:
    """What the planner needs from the database for one wave, read once."""

    def __init__(self, wave: Wave) -> None:
        self.wave, self.study = wave, wave.study
        if wave.fieldwork_start is None or wave.fieldwork_end is None:
            raise ValidationError(_("Set the fieldwork window of this wave first."))
        self.start, self.end = wave.fieldwork_start, wave.fieldwork_end
        participants = self.study.participants.select_related("organisation").prefetch_related(
            "organisation__contact_points__opening_hours"
        )
        self.organisations = {
            p.organisation.code: p.organisation for p in participants.order_by("organisation__code")
        }
        self.calendars = calendars_for(organisations=self.organisations.values())
        self.auditors = {str(u.pk): u for u in auditors_of(self.study.owner)}
        self.scenarios = list(
            self.study.scenarios.filter(status=ScenarioStatus.ACCEPTED).order_by(
                "-national", "code"
            )
        )

    def request(
        self,
        *,
        fixed: Sequence[PlannedItem],
        skipped: Iterable[Assignment],
        not_before: dt.datetime | None,
    ) -> PlanRequest:
        left_out = {(a.organisation_id, a.question) for a in skipped}
        municipalities = tuple(
            Municipality(
                code=o.code,
                calendar=self.calendars[o.pk],
                questions=tuple(q for q in self._questions(o) if (o.pk, q.key) not in left_out),
                hours=_opening_hours(o),
            )
            for o in self.organisations.values()
        )
        return PlanRequest(
            municipalities=municipalities,
            auditors=tuple(self.auditors),
            start=self.start,
            end=self.end,
            seed=self.wave.seed,
            settings=PlannerSettings(max_calls_per_auditor=self.study.max_calls_per_auditor),
            fixed=tuple(fixed),
            not_before=not_before,
        )

    def _questions(self, organisation: Organisation) -> list[Question]:
        questions: list[Question] = []
        for channel, count in self.study.question_counts().items():
            for number in range(1, count + 1):
                key = f"{channel}-{number:02d}"
                scenario = self.scenario_for(organisation, channel, number)
                persona = scenario.persona if scenario is not None else ""
                questions.append(Question(key, channel, persona))
        return questions

    def scenario_for(
        self, organisation: Organisation, channel: str, number: int
    ) -> Scenario | None:
        """The scenarios of a channel in turn: national ones first, then the municipality's."""
        usable = [
            s
            for s in self.scenarios
            if s.channel == channel and (s.organisation_id in {None, organisation.pk})
        ]
        return usable[(number - 1) % len(usable)] if usable else None

    def assignment(self, item: PlannedItem) -> Assignment:
        organisation = self.organisations[item.municipality]
        number = int(item.question.rsplit("-", 1)[1])
        return Assignment(
            wave=self.wave,
            organisation=organisation,
            question=item.question,
            scenario=self.scenario_for(organisation, item.channel, number),
            channel=item.channel,
            planned_at=item.at,
            auditor=self.auditors.get(item.auditor) if item.auditor is not None else None,
            status=AssignmentStatus.PLANNED,
        )


def _opening_hours(organisation: Organisation) -> dict[str, WeekHours]:
    """Opening hours per channel from the active contact points (the main number for phone);
    a channel without any keeps the office hours of the organisation."""
    hours: dict[str, WeekHours] = {}
    points = [p for p in organisation.contact_points.all() if p.active]  # prefetched
    ordered = sorted(points, key=lambda p: (p.phone_kind != PhoneKind.MAIN, p.name))
    for point in ordered:
        if point.channel in hours or point.channel == Channel.LETTER:
            continue
        week: dict[int, list[Interval]] = {}
        for row in point.opening_hours.all():
            week.setdefault(row.weekday, []).append((row.opens, row.closes))
        if week:
            hours[point.channel] = {day: tuple(spans) for day, spans in week.items()}
    return hours
