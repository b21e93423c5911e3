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
        _("KPIs"),
        "kpis:dashboard",
        frozenset({Role.ADMIN, Role.QUALITY_COACH, Role.TEAM_LEAD}),
    ),
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
    links: list[NavLink] = []
    for item in NAVIGATION:
        if not item.enabled or role not in item.roles:
            continue
        url = reverse(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        links.append(NavLink(item.label, url, current))
    return links
