"""The roles of DESIGN.md. A membership gives a user one role in one organisation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    RESEARCH_LEAD = "research_lead", _("Research lead")
    AUDITOR = "auditor", _("Auditor (mystery shopper)")
    MUNICIPALITY_VIEWER = "municipality_viewer", _("Municipality viewer")
    QUALITY_COACH = "quality_coach", _("Quality coach")
    TEAM_LEAD = "team_lead", _("Team lead")
    EMPLOYEE = "employee", _("Employee")


ALL_ROLES: frozenset[Role] = frozenset(Role)
#: Roles that may read an organisation's settings (contact points, norms, calendar).
ORGANISATION_READERS: frozenset[Role] = frozenset(
    {Role.ADMIN, Role.RESEARCH_LEAD, Role.QUALITY_COACH, Role.TEAM_LEAD, Role.MUNICIPALITY_VIEWER}
)
#: Roles that may change an organisation's settings.
ORGANISATION_EDITORS: frozenset[Role] = frozenset({Role.ADMIN, Role.QUALITY_COACH})
