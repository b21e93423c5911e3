"""Imported contacts (calls first; e-mails, chats and survey answers later) and import batches.

A contact is keyed on its natural key (organisation, source, contact_id), so importing the same
or an overlapping export again adds only what is new. Customer and agent ids from the source are
never stored: the customer as a keyed hash (`customer_hash`), the agent as a pseudonymised
`Employee`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetlat.organisations.models import Channel, ContactPoint, Employee, Organisation


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Abandoned in the queue")
    IVR_ABANDONED = "ivr_abandoned", _("Abandoned in the menu")
    CLOSED = "closed", _("Outside opening hours")
    CALLBACK_REQUEST = "callback_request", _("Callback request")
    VOICEMAIL = "voicemail", _("Voicemail")


class ImportBatch(models.Model):
    """One committed import of one file: what was read and what was new."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_batches"
    )
    format = models.CharField(_("format"), max_length=20)
    source = models.CharField(_("source"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    imported = models.PositiveIntegerField(_("imported"))
    duplicates = models.PositiveIntegerField(_("duplicates"))
    created_at = models.DateTimeField(_("imported at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="batch_org_created")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.format}, {self.imported} new)"


class Contact(models.Model):
    """One contact (for now: one phone call) as imported, in UTC with its local date and hour."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    source = models.CharField(_("source"), max_length=100)
    contact_id = models.CharField(_("contact id"), max_length=128)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    contact_point_name = models.CharField(_("contact point"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started at"))
    local_date = models.DateField(_("local date"))
    local_hour = models.PositiveSmallIntegerField(_("local hour"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    wait_s = models.PositiveIntegerField(_("wait (s)"), null=True, blank=True)
    handle_s = models.PositiveIntegerField(_("handle time (s)"), null=True, blank=True)
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    transfers = models.PositiveIntegerField(_("transfers"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    customer_hash = models.CharField(_("customer (hashed)"), max_length=64, blank=True)
    resolved_first_contact = models.BooleanField(
        _("resolved at first contact"), null=True, blank=True
    )
    import_batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="contacts")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "contact_id"], name="unique_contact_per_source"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "channel", "local_date"], name="contact_org_channel_date"
            ),
            models.Index(
                fields=["organisation", "channel", "started_at"], name="contact_org_channel_start"
            ),
            # repeat contact: earlier calls of the same customer key (METHODOLOGY.md §4.2)
            models.Index(
                fields=["organisation", "channel", "customer_hash", "started_at"],
                name="contact_org_customer_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.contact_id} {self.started_at:%Y-%m-%d %H:%M}"
