"""The navigation: each entry names the roles that may use it.

An entry whose capability is not finished stays disabled and is never shown, so ``main`` is
always releasable. Later issues add entries (research, contacts, KPIs, monitoring …).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetlat.accounts.roles import ALL_ROLES, ORGANISATION_READERS, Role
from meetlat.jobs.registry import JOB_ROLES


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    roles: frozenset[Role]
    enabled: bool = True


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Overview"), "web:home", ALL_ROLES),
    NavItem(
        _("Mystery research"),
        "research:home",
        frozenset({Role.RESEARCH_LEAD, Role.AUDITOR, Role.MUNICIPALITY_VIEWER}),
    ),
    NavItem(_("Contact data"), "contacts:import_list", frozenset({Role.ADMIN, Role.QUALITY_COACH})),
    NavItem(
        _("Survey invitations"),
        "contacts:survey_invitations",
        frozenset({Role.ADMIN, Role.QUALITY_COACH}),
    ),
    NavItem(
        _("KPIs"),
        "kpis:dashboard",
        frozenset({Role.ADMIN, Role.QUALITY_COACH, Role.TEAM_LEAD}),
    ),
    NavItem(
        _("Channel mix"),
        "kpis:channel_mix",
        frozenset({Role.ADMIN, Role.QUALITY_COACH, Role.TEAM_LEAD}),
    ),
    NavItem(_("Background jobs"), "jobs:job_list", JOB_ROLES),
    NavItem(_("Organisation"), "organisations:mine", ORGANISATION_READERS),
    NavItem(_("Working days"), "organisations:calendar", ORGANISATION_READERS),
    NavItem(_("Municipalities"), "organisations:reference_list", ORGANISATION_READERS),
    NavItem(_("Organisations"), "organisations:list", frozenset({Role.ADMIN})),
    NavItem(_("Users"), "accounts:user_list", frozenset({Role.ADMIN})),
    NavItem(_("Audit log"), "accounts:audit_list", frozenset({Role.ADMIN})),
)


@dataclass(frozen=True)
class NavLink:
    label: Promise
    url: str
    current: bool


def navigation_for(role: Role | None, path: str) -> list[NavLink]:
    """The entries a role may use, in order, with the current one marked."""
    if role is None:
        return []
    urls = [
        (item, reverse(item.url_name)) for item in NAVIGATION if item.enabled and role in item.roles
    ]
    matches = [url for _item, url in urls if (path == url if url == "/" else path.startswith(url))]
    # only the most specific entry is current (/kpis/channel-mix/ is not also /kpis/)
    current = max(matches, key=len, default=None)
    return [NavLink(item.label, url, url == current) for item, url in urls]
