"""Imported contacts (calls, e-mail threads, chats), survey (KTO) answers and import batches.

A contact is keyed on its natural key (organisation, source, contact_id), so importing the same
or an overlapping export again adds only what is new. Customer and agent ids from the source are
never stored: the customer as a keyed hash (`customer_hash`), the agent as a pseudonymised
`Employee`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetlat.organisations.models import Channel, ContactPoint, Employee, Organisation

SUBJECT_MAX = 200
"""A stored e-mail subject (PII masked) is cut to this many characters."""


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
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
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
    # written channels (e-mail, web form): `started_at` is the receipt (METHODOLOGY.md §4.3)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    term_notice_at = models.DateTimeField(_("term notice at"), null=True, blank=True)
    # chat, WhatsApp, social: the first message of a person (no bot, no autoreply)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # callbacks (`callback_request` calls) and counter visits (METHODOLOGY.md §4.3)
    callback_due_at = models.DateTimeField(_("callback promised for"), null=True, blank=True)
    callback_done_at = models.DateTimeField(_("callback done at"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment at"), null=True, blank=True)
    subject_masked = models.CharField(_("subject (masked)"), max_length=SUBJECT_MAX, blank=True)
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


class SurveyInvitationBatch(models.Model):
    """One run of bulk survey invitations: for which contacts and how they were chosen.

    The links themselves are not stored (only each token's hash, on the invitations): they were
    delivered once, when the run was made.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_invitation_batches"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    seed = models.PositiveBigIntegerField(_("sample seed"))
    eligible = models.PositiveIntegerField(_("contacts not yet invited"))
    invitation_count = models.PositiveIntegerField(_("invitations"))
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey invitation run")
        verbose_name_plural = _("survey invitation runs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="invitation_batch_org_created")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.date_from}–{self.date_to} ({self.invitation_count})"


class SurveyInvitation(models.Model):
    """An invitation to the hosted post-contact survey: one answer per token, until it expires.

    Only a SHA-256 hash of the random token is stored; the token itself is in the link alone.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    batch = models.ForeignKey(
        SurveyInvitationBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.organisation_id})"


class SurveyAnswer(models.Model):
    """One KTO answer, imported (`survey-csv`) or given on the hosted survey page.

    Keyed on (organisation, source, answer_id). `contact_ref` is the contact id the answer names;
    `contact` links it when that contact is stored. The comment is stored PII-masked only.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_answers"
    )
    source = models.CharField(_("source"), max_length=100)
    answer_id = models.CharField(_("answer id"), max_length=128)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_answers"
    )
    contact_ref = models.CharField(_("contact id"), max_length=128, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    grade = models.PositiveSmallIntegerField(
        _("grade (1-10)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    csat = models.PositiveSmallIntegerField(
        _("satisfaction (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0-10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    answered_question = models.BooleanField(_("question answered"), null=True, blank=True)
    comment_masked = models.TextField(_("comment (masked)"), blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_answers",
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answer",
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "answer_id"], name="unique_answer_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=10),
                name="answer_grade_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(csat__isnull=True) | models.Q(csat__gte=1, csat__lte=5),
                name="answer_csat_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(recommend__isnull=True) | models.Q(recommend__lte=10),
                name="answer_recommend_0_10",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "answered_at"], name="answer_org_answered"),
        ]

    def __str__(self) -> str:
        return f"answer {self.answer_id} ({self.source})"
