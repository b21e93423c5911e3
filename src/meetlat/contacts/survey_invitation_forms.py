"""The form of the survey invitation page: which contacts to invite, and for how long."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from meetlat.contacts.survey_invitations import (
    INVITATION_CHANNELS,
    MAX_EXPIRY_DAYS,
    MAX_PERIOD_DAYS,
)
from meetlat.organisations.models import Channel
from meetlat.web.forms import DateInput, UtrechtFormMixin

DEFAULT_DAYS_BACK: Final = 7
DEFAULT_EXPIRY_DAYS: Final = 14
MAX_SAMPLE: Final = 100_000


class SurveyInvitationsForm(UtrechtFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in INVITATION_CHANNELS]
    )
    date_from = forms.DateField(label=_("Contacts from"), widget=DateInput)
    date_to = forms.DateField(label=_("Contacts up to and including"), widget=DateInput)
    sample = forms.IntegerField(
        label=_("Sample size (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_SAMPLE,
        help_text=_(
            "Leave empty to invite every contact. With a number, that many contacts are drawn "
            "at random."
        ),
    )
    expires_in_days = forms.IntegerField(
        label=_("Link valid for (days)"), min_value=1, max_value=MAX_EXPIRY_DAYS
    )

    @staticmethod
    def defaults(today: dt.date) -> dict[str, Any]:
        """Phone contacts of the last 7 days up to yesterday, links valid for 14 days."""
        yesterday = today - dt.timedelta(days=1)
        return {
            "channel": Channel.PHONE.value,
            "date_from": yesterday - dt.timedelta(days=DEFAULT_DAYS_BACK - 1),
            "date_to": yesterday,
            "expires_in_days": DEFAULT_EXPIRY_DAYS,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start is not None and end is not None:
            if start > end:
                self.add_error("date_to", _("This date is before the start date."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error(
                    "date_to",
                    _("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS},
                )
        return data
