"""What the home page shows each role: figures where there are any, else the next step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetlat.accounts.models import Membership
from meetlat.accounts.roles import Role


@dataclass(frozen=True)
class NextStep:
    title: Promise
    text: Promise
    url: str | None = None
    link_label: Promise | None = None


def _steps_for(membership: Membership) -> list[NextStep]:
    organisation = membership.organisation
    role = membership.role
    steps: list[NextStep] = []
    if role in {Role.ADMIN, Role.QUALITY_COACH} and not organisation.contact_points.exists():
        steps.append(
            NextStep(
                _("Add your contact points"),
                _(
                    "Record how citizens reach you: the 14+area code number, group numbers, "
                    "mailboxes, chat. KPIs and mystery research use them."
                ),
                reverse("organisations:contact_point_create"),
                _("Add a contact point"),
            )
        )
    if role == Role.ADMIN:
        steps.append(
            NextStep(
                _("Invite your colleagues"),
                _("Give each colleague a role: research lead, quality coach, team lead …"),
                reverse("accounts:user_list"),
                _("Manage users"),
            )
        )
    if role in {Role.RESEARCH_LEAD, Role.MUNICIPALITY_VIEWER}:
        steps.append(
            NextStep(
                _("Mystery research is on its way"),
                _(
                    "Planning studies, recording observations and reports will appear here. "
                    "Until then you can check your organisation's working days and norms."
                ),
                reverse("organisations:mine"),
                _("View organisation"),
            )
        )
    if role == Role.AUDITOR:
        steps.append(
            NextStep(
                _("No assignments yet"),
                _(
                    "Your research lead has not given you any calls or e-mails to make. "
                    "They will appear here as soon as fieldwork is planned."
                ),
            )
        )
    if role in {Role.EMPLOYEE, Role.TEAM_LEAD}:
        steps.append(
            NextStep(
                _("Nothing to review yet"),
                _("Reviews and coaching of your contacts will appear here once they start."),
            )
        )
    return steps


def home_context(*, membership: Membership) -> dict[str, Any]:
    organisation = membership.organisation
    return {
        "organisation": organisation,
        "role_label": membership.get_role_display(),
        "next_steps": _steps_for(membership),
        "contact_point_count": organisation.contact_points.count(),
        "norm_count": organisation.norms.values("key").distinct().count(),
    }
