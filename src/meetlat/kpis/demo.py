"""Demo costs per contact for the channel mix (fictional figures, demo organisations only).

The amounts are invented for the demo and are no benchmark. Phone gets a second version from
1 July 2026, so the demo shows that a period uses the cost valid on each contact's date.
Running it again changes nothing: an organisation that has costs already is skipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from django.db import transaction

from meetlat.contacts.demo import DEMO_FROM
from meetlat.kpis.costs import channel_cost_set
from meetlat.kpis.models import ChannelCost
from meetlat.organisations.models import Channel, Organisation

DEMO_COSTS: Final[tuple[tuple[str, str, dt.date], ...]] = (
    (Channel.PHONE.value, "5.60", DEMO_FROM),
    (Channel.PHONE.value, "5.80", dt.date(2026, 7, 1)),
    (Channel.EMAIL.value, "3.40", DEMO_FROM),
    (Channel.WEBFORM.value, "3.40", DEMO_FROM),
    (Channel.CHAT.value, "2.80", DEMO_FROM),
    (Channel.COUNTER.value, "9.50", DEMO_FROM),
)


@transaction.atomic
def demo_costs_load(*, organisations: list[Organisation]) -> int:
    """Set the demo costs of every demo organisation without costs; returns how many were set."""
    added = 0
    for organisation in organisations:
        if (
            not organisation.is_demo
            or ChannelCost.objects.filter(organisation=organisation).exists()
        ):
            continue
        for channel, cost, valid_from in DEMO_COSTS:
            channel_cost_set(
                organisation=organisation,
                channel=channel,
                cost_per_contact=Decimal(cost),
                valid_from=valid_from,
                actor=None,
            )
            added += 1
    return added
