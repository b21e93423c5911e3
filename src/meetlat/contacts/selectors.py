"""Reads for contacts. Every read takes the organisation it is scoped to."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, Max, Min, Q, QuerySet

from meetlat.contacts.models import (
    Contact,
    ImportBatch,
    SurveyInvitation,
    SurveyInvitationBatch,
)
from meetlat.organisations.models import ContactPoint, Organisation


def contact_list(*, organisation: Organisation, channel: str) -> QuerySet[Contact]:
    """The organisation's contacts of one channel (unordered: callers aggregate)."""
    return Contact.objects.filter(organisation=organisation, channel=channel).order_by()


def contact_date_range(
    *, organisation: Organisation, channel: str
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last local date with contacts of the channel; (None, None) without any."""
    bounds = contact_list(organisation=organisation, channel=channel).aggregate(
        first=Min("local_date"), last=Max("local_date")
    )
    return bounds["first"], bounds["last"]


def import_batch_list(*, organisation: Organisation) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(organisation=organisation).select_related("actor")


def own_domains_get(*, organisation: Organisation, contact_point: str = "") -> tuple[str, ...]:
    """The organisation's own e-mail domains, from the addresses of its contact points.

    The named contact point's address when it is an e-mail address; else those of every
    e-mail and web-form contact point. Empty when none is known.
    """
    points = ContactPoint.objects.filter(organisation=organisation, address__contains="@")
    named = points.filter(name=contact_point.strip()) if contact_point.strip() else points.none()
    chosen = named if named.exists() else points.filter(channel__in=["email", "webform"])
    addresses = chosen.order_by("name").values_list("address", flat=True)
    domains = (address.strip().rpartition("@")[2].lower() for address in addresses)
    return tuple(dict.fromkeys(d for d in domains if d))


def token_hash(token: str) -> str:
    """The stored form of a survey token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def survey_invitation_get(*, token: str) -> SurveyInvitation | None:
    """The invitation of a survey token, or None for an unknown token."""
    return (
        SurveyInvitation.objects.select_related("organisation", "contact")
        .filter(token_hash=token_hash(token))
        .first()
    )


def survey_invitation_batch_list(*, organisation: Organisation) -> QuerySet[SurveyInvitationBatch]:
    """The organisation's invitation runs, newest first, each with `answered` (invitations
    answered so far)."""
    return (
        SurveyInvitationBatch.objects.filter(organisation=organisation)
        .select_related("created_by")
        .annotate(answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )
