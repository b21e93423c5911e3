from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from meetlat.accounts.roles import Role
from meetlat.web.nav import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    role = Role(membership.role) if membership is not None else None
    memberships_count = 0
    if membership is not None:
        memberships_count = membership.user.memberships.count()
    return {
        "nav_links": navigation_for(role, request.path),
        "membership": membership,
        "can_switch_organisation": memberships_count > 1,
    }
