"""Reads for accounts: memberships, users, the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import AuditEntry, Membership, User
from meetlat.accounts.roles import Role


def membership_list(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation", "team")


def membership_active(*, user: Any, membership_id: int | None) -> Membership | None:
    """The membership the user chose this session, else their first one."""
    memberships = membership_list(user=user).order_by("organisation__name", "pk")
    if membership_id is not None:
        chosen = memberships.filter(pk=membership_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def is_installation_admin(*, user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists())
    )


def user_get_for_admin(*, actor: User, pk: int) -> User | None:
    """Another person's account details for an administrator; the view is audited."""
    user = User.objects.filter(pk=pk).first()
    if user is not None and user.pk != actor.pk:
        audit_record(
            actor=actor, action="accounts.user.viewed", target=user, reason="user administration"
        )
    return user


def user_list(*, search: str = "") -> QuerySet[User]:
    users = User.objects.prefetch_related("memberships__organisation").order_by("username")
    if search:
        users = users.filter(username__icontains=search)
    return users


def audit_entry_list(
    *,
    organisation_code: str = "",
    action: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if organisation_code:
        entries = entries.filter(organisation_code=organisation_code)
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if date_from is not None:
        entries = entries.filter(at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-at", "-id")


def audit_action_names() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
