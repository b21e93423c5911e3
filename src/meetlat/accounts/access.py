"""Access control for views: every view declares who may use it.

``role_required(...)`` and ``public`` put the declaration on the view function
(``view.meetlat_access``); a test walks every URL and checks that each view has one and
that it holds for every role and for users of another organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from meetlat.accounts.models import Membership
from meetlat.accounts.roles import Role

View = Callable[..., HttpResponseBase]
V = TypeVar("V", bound=View)

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def _needs_second_factor(request: HttpRequest) -> bool:
    user: Any = request.user
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True) and not user.is_verified())


def membership_of(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership


def role_required(*roles: Role) -> Callable[[V], V]:
    """Allow logged-in users whose active membership has one of ``roles``; else 403."""
    allowed = frozenset(roles)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if _needs_second_factor(request):
                return redirect("accounts:otp_verify")
            membership = membership_of(request)
            if membership.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.meetlat_access = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def login_required(view: V) -> V:
    """Any logged-in user, whatever their role (their own profile, logout, 2FA set-up)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.meetlat_access = AUTHENTICATED  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def public(view: V) -> V:
    """Mark a view as open to anyone (login page, health check, public survey)."""
    view.meetlat_access = PUBLIC  # type: ignore[attr-defined]
    return view


def roles(*groups: Iterable[Role]) -> tuple[Role, ...]:
    """Union of role groups, for ``role_required(*roles(A, B))``."""
    return tuple(sorted({role for group in groups for role in group}))
