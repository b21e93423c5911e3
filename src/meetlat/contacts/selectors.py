"""Reads for contacts. Every read takes the organisation it is scoped to."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min, QuerySet

from meetlat.contacts.models import Contact, ImportBatch
from meetlat.organisations.models import Organisation


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
