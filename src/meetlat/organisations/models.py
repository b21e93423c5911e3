"""Organisations (tenants), reference municipalities, teams, employees, contact points,
opening hours, service norms and closing days."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetlat.organisations.validators import (
    validate_cbs_code,
    validate_fourteen_number,
    validate_phone_number,
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    SERVICE_CENTRE = "service-centre", _("Shared service centre")
    AGENCY = "agency", _("Research agency")


class ReferenceMunicipality(models.Model):
    """One row of the CBS municipality list, valid from its reference date."""

    cbs_code = models.CharField(_("CBS code"), max_length=6, validators=[validate_cbs_code])
    name = models.CharField(_("official name"), max_length=100)
    display_name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=50)
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    reference_date = models.DateField(_("reference date"))

    class Meta:
        verbose_name = _("reference municipality")
        verbose_name_plural = _("reference municipalities")
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cbs_code", "reference_date"], name="unique_code_per_reference_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.cbs_code})"


class Organisation(models.Model):
    """A tenant: a municipality, a shared service centre or a research agency."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    is_demo = models.BooleanField(_("demo organisation"), default=False)
    good_friday_closed = models.BooleanField(_("closed on Good Friday"), default=False)
    office_opens = models.TimeField(_("office opens"), default=dt.time(8, 30))
    office_closes = models.TimeField(_("office closes"), default=dt.time(17, 0))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.MUNICIPALITY:
            try:
                validate_cbs_code(self.code)
            except ValidationError as error:
                raise ValidationError({"code": error.messages}) from error
        if self.office_opens >= self.office_closes:
            raise ValidationError({"office_closes": _("The office must close after it opens.")})


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """An employee known only by a pseudonym; the source id is stored as a salted hash."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="employees"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="employees"
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=32)
    source_hash = models.CharField(max_length=64)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="employee"
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_hash"], name="unique_employee_source"
            ),
            models.UniqueConstraint(
                fields=["organisation", "pseudonym"], name="unique_employee_pseudonym"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEBFORM = "webform", _("Web form")
    CHAT = "chat", _("Chat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL = "social", _("Social media")
    COUNTER = "counter", _("Counter")
    LETTER = "letter", _("Letter")


class PhoneKind(models.TextChoices):
    MAIN = "main", _("Main number (14+area code)")
    GROUP = "group", _("Group number")
    DIRECT = "direct", _("Direct line")


class ContactPoint(models.Model):
    """A way in for citizens: a phone number, a mailbox, a form, a chat, a desk."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_points"
    )
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    phone_kind = models.CharField(
        _("kind of number"), max_length=8, choices=PhoneKind.choices, blank=True
    )
    address = models.CharField(
        _("address"),
        max_length=200,
        blank=True,
        help_text=_("Phone number, e-mail address or web address."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["channel", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_contact_point_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.channel == Channel.PHONE:
            self._clean_phone()
        elif self.phone_kind:
            raise ValidationError(
                {"phone_kind": _("Only phone contact points have a kind of number.")}
            )
        if self.channel == Channel.EMAIL and self.address:
            EmailValidator(message=_("Enter a valid e-mail address."))(self.address)

    def _clean_phone(self) -> None:
        if not self.phone_kind:
            raise ValidationError({"phone_kind": _("Choose the kind of phone number.")})
        if not self.address:
            raise ValidationError({"address": _("Enter the phone number.")})
        try:
            if self.phone_kind == PhoneKind.MAIN:
                validate_fourteen_number(self.address)
            else:
                validate_phone_number(self.address)
        except ValidationError as error:
            raise ValidationError({"address": error.messages}) from error


class OpeningHours(models.Model):
    """One opening interval of a contact point on one weekday (1 Monday … 7 Sunday)."""

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (1, _("Monday")),
            (2, _("Tuesday")),
            (3, _("Wednesday")),
            (4, _("Thursday")),
            (5, _("Friday")),
            (6, _("Saturday")),
            (7, _("Sunday")),
        ],
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class ServiceNorm(models.Model):
    """A published service promise, versioned: a result pins the version it used."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="norms")
    key = models.CharField(_("norm"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=16)
    threshold = models.DecimalField(
        _("threshold"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300)
    version = models.PositiveIntegerField(default=1)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service norm")
        verbose_name_plural = _("service norms")
        ordering = ["channel", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="unique_norm_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class ClosingDay(models.Model):
    """A day an organisation is closed (a bridge day, a staff day): not a working day."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="closing_days"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="unique_closing_day")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class EqualDay(models.Model):
    """A day equal to a holiday for everyone (Atw art. 3, by Royal Decree)."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        verbose_name = _("equal day")
        verbose_name_plural = _("equal days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"
