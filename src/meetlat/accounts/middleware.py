"""Attach the user's active membership (role in one organisation) to the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from meetlat.accounts.selectors import membership_active

SESSION_KEY = "meetlat_membership"


class MembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            wanted = request.session.get(SESSION_KEY)
            request.membership = membership_active(  # type: ignore[attr-defined]
                user=request.user, membership_id=wanted if isinstance(wanted, int) else None
            )
        return self.get_response(request)
