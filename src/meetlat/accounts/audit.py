"""The one function that writes the audit log (STYLE.md practice 6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from meetlat import clock
from meetlat.accounts.models import AuditEntry

if TYPE_CHECKING:
    from meetlat.accounts.models import User
    from meetlat.organisations.models import Organisation


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    organisation: Organisation | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who (actor), when (now), organisation, action, object, reason."""
    entry = AuditEntry(
        at=clock.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        organisation=organisation,
        organisation_code=organisation.code if organisation is not None else "",
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        reason=reason,
        data=data or {},
    )
    entry.save()
    return entry
