"""Writes of the costs per contact (the channel mix, `kpis.selectors.channel_mix`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.kpis.models import ChannelCost
from meetlat.organisations.models import Organisation


@transaction.atomic
def channel_cost_set(
    *,
    organisation: Organisation,
    channel: str,
    cost_per_contact: Decimal,
    valid_from: dt.date,
    actor: User | None,
) -> ChannelCost:
    """Set the cost per contact of a channel from `valid_from` on.

    Earlier dates keep the cost that was valid then; a cost for the same channel and date
    replaces that one (a correction). Raises `ValidationError` on a negative cost, more than
    two decimals or an unknown channel. Audited with the previous value.
    """
    cost = (
        ChannelCost.objects.select_for_update()
        .filter(organisation=organisation, channel=channel, valid_from=valid_from)
        .first()
    )
    before = None if cost is None else str(cost.cost_per_contact)
    if cost is None:
        cost = ChannelCost(organisation=organisation, channel=channel, valid_from=valid_from)
    cost.cost_per_contact = cost_per_contact
    cost.changed_at = clock.now()
    cost.full_clean()
    cost.save()
    audit_record(
        actor=actor,
        action="kpis.channel_cost.set",
        target=cost,
        organisation=organisation,
        data={
            "channel": channel,
            "valid_from": valid_from.isoformat(),
            "cost_per_contact": str(cost.cost_per_contact),
            "before": before,
        },
    )
    return cost
