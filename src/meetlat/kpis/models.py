"""Daily rollups of contacts (METHODOLOGY.md §4.1 "rollups without bias").

One row per organisation, channel, contact point (name), topic, local date and local hour,
holding counts, sums and maxima only: any ratio or mean is Σ numerators / Σ denominators over
rows, a maximum the maximum of maxima. Thresholds that decide a count (T for the service level,
S for a short abandon) are those of the organisation's norms when the row was built; the row
keeps them and the norm versions, so a changed norm is visible and rows built with other
values are not used (`kpis.selectors.rollups`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from meetlat.organisations.models import Channel, Organisation

#: The additive counters of a rollup row, in the order of the table.
PHONE_COUNTERS: tuple[str, ...] = (
    "repeat_base",
    "repeat_contacts",
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "ivr_abandoned",
    "answered_within_t",
    "abandoned_within_t",
    "sum_wait_answered",
    "sum_wait_abandoned",
    "wait_over_300",
    "handled_count",
    "sum_handle",
    "transferred",
    "transfers_0",
    "transfers_1",
    "transfers_2",
    "transfers_3plus",
    "flr_yes",
    "flr_no",
    "callback_requests",
    "voicemails",
    "closed",
)
ALL_COUNTERS: tuple[str, ...] = (
    *PHONE_COUNTERS,
    "contacts",
    "outside_opening_hours",
    "received",
    "replied",
)
"""Every summed column; `max_wait` is the one maximum."""


def _count(label: StrOrPromise) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(label, default=0)


def _sum(label: StrOrPromise) -> models.PositiveBigIntegerField[int, int]:
    return models.PositiveBigIntegerField(label, default=0)


class DailyRollup(models.Model):
    """Counts, sums and maxima of one organisation's contacts in one local hour of one day."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="daily_rollups"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    contact_point_name = models.CharField(_("contact point"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    local_date = models.DateField(_("local date"))
    local_hour = models.PositiveSmallIntegerField(_("local hour"))
    # what the row was built with (STYLE.md practice 13)
    sl_threshold_s = models.PositiveIntegerField(_("service level threshold T (s)"))
    short_abandon_s = models.PositiveIntegerField(_("short abandon S (s)"))
    norm_version = models.CharField(_("norm versions"), max_length=100)
    built_at = models.DateTimeField(_("built at"))
    # every contact, and those starting outside the contact point's opening hours
    contacts = _count(_("contacts"))
    outside_opening_hours = _count(_("outside opening hours"))
    # phone (METHODOLOGY.md §4.2)
    offered = _count(_("offered"))
    answered = _count(_("answered"))
    abandoned = _count(_("abandoned"))
    short_abandoned = _count(_("short abandoned"))
    ivr_abandoned = _count(_("abandoned in the menu"))
    answered_within_t = _count(_("answered within T"))
    abandoned_within_t = _count(_("abandoned within T"))
    sum_wait_answered = _sum(_("Σ wait of answered (s)"))
    sum_wait_abandoned = _sum(_("Σ wait of abandoned (s)"))
    max_wait = models.PositiveIntegerField(_("longest wait of offered (s)"), null=True)
    wait_over_300 = _count(_("offered waiting over 300 s"))
    handled_count = _count(_("answered with a handle time"))
    sum_handle = _sum(_("Σ handle time (s)"))
    transferred = _count(_("answered with a transfer"))
    transfers_0 = _count(_("answered, 0 transfers"))
    transfers_1 = _count(_("answered, 1 transfer"))
    transfers_2 = _count(_("answered, 2 transfers"))
    transfers_3plus = _count(_("answered, 3 or more transfers"))
    flr_yes = _count(_("resolved at first contact: yes"))
    flr_no = _count(_("resolved at first contact: no"))
    callback_requests = _count(_("callback requests"))
    voicemails = _count(_("voicemails"))
    closed = _count(_("closed (outside opening hours)"))
    # repeat contact (§4.2): offered calls with a customer key, and those of them that had
    # an offered call of the same key in the 7 × 24 hours before
    repeat_base = _count(_("offered with a customer key"))
    repeat_contacts = _count(_("repeat contacts within 7 days"))
    # written channels (§4.3): receipt and whether a reply exists; ratios that depend on the
    # working-day calendar and on "now" come from contact rows
    received = _count(_("received"))
    replied = _count(_("answered or responded"))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        ordering = ["local_date", "local_hour", "channel", "contact_point_name", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "channel",
                    "local_date",
                    "local_hour",
                    "contact_point_name",
                    "topic",
                ],
                name="unique_daily_rollup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.local_date} {self.local_hour:02d}h"


class ChannelCost(models.Model):
    """What one contact of a channel costs the organisation, from a date on (versioned).

    A contact costs what was valid on its local date (`calc.costs`), so a new cost never
    rewrites past periods; a row for the same channel and date is a correction of that row.
    The contact counted is the channel's volume on the channel mix: an offered call (answered
    or abandoned), a received e-mail or web form, a chat conversation, a counter visit.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="channel_costs"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    cost_per_contact = models.DecimalField(
        _("cost per contact (euro)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    valid_from = models.DateField(_("valid from"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("cost per contact")
        verbose_name_plural = _("costs per contact")
        ordering = ["channel", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel", "valid_from"], name="unique_channel_cost"
            ),
            models.CheckConstraint(
                condition=models.Q(cost_per_contact__gte=0), name="channel_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.valid_from}: {self.cost_per_contact}"
