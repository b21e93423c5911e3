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
    if role == Role.RESEARCH_LEAD:
        steps.append(
            NextStep(
                _("Run a mystery study"),
                _(
                    "Choose the municipalities and questions, add scenarios, plan the fieldwork "
                    "and follow its progress."
                ),
                reverse("research:study_list"),
                _("Go to your studies"),
            )
        )
    if role == Role.MUNICIPALITY_VIEWER:
        steps.append(
            NextStep(
                _("Results of mystery research"),
                _("See how your municipality was helped by phone and e-mail, once published."),
                reverse("research:result_list"),
                _("View results"),
            )
        )
    if role == Role.AUDITOR:
        steps.append(
            NextStep(
                _("Your assignments"),
                _("The calls and e-mails your research lead planned for you, soonest first."),
                reverse("research:assignment_list"),
                _("View my assignments"),
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
