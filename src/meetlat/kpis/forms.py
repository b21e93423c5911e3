"""Forms of the KPI pages: the dashboard period and channel, the staffing calculator, the
channel mix and its costs per contact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetlat.organisations.models import Channel
from meetlat.web.forms import DateInput, UtrechtFormMixin

MAX_PERIOD_DAYS = 400
#: `<input type="date">` takes only ISO dates; without a format Django renders the locale's.
ISO_DATE = "%Y-%m-%d"


class PeriodForm(UtrechtFormMixin, forms.Form):
    """From and to (inclusive local dates); both empty means the default period."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput(format=ISO_DATE))
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput(format=ISO_DATE))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both dates, or neither for the last full month."))
        if start is not None and end is not None:
            if start > end:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most 400 days."))
        return data


class StaffingForm(UtrechtFormMixin, forms.Form):
    """The inputs of `meetlat staffing`; percentages here, fractions in the command."""

    calls = forms.FloatField(label=_("Calls in the interval"), min_value=0, initial=96)
    interval_s = forms.IntegerField(
        label=_("Interval (seconds)"), min_value=60, max_value=86_400, initial=1800
    )
    aht_s = forms.FloatField(
        label=_("Average handle time (seconds)"), min_value=1, max_value=36_000, initial=270
    )
    target_sl = forms.FloatField(
        label=_("Target service level (%)"), min_value=1, max_value=99.9, initial=80
    )
    target_t = forms.IntegerField(
        label=_("Answered within (seconds)"), min_value=0, max_value=3600, initial=20
    )
    shrinkage = forms.FloatField(
        label=_("Shrinkage (%)"),
        min_value=0,
        max_value=90,
        initial=30,
        help_text=_("Share of paid time not on the phone: breaks, training, absence."),
    )
    agents = forms.IntegerField(
        label=_("Agents (optional)"),
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Leave empty to compute how many agents are needed."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        calls, aht, interval = data.get("calls"), data.get("aht_s"), data.get("interval_s")
        if calls is not None and aht is not None and interval and calls * aht / interval >= 10_000:
            raise forms.ValidationError(
                _("The traffic is 10,000 erlangs or more: check the numbers.")
            )
        return data


class ChannelMixForm(PeriodForm):
    """The period, and whether volumes are shown per ISO week or per month."""

    interval = forms.ChoiceField(
        label=_("Volume per"),
        required=False,
        choices=[
            ("", _("Week or month, by the period")),
            ("week", _("Week")),
            ("month", _("Month")),
        ],
    )


MAX_COST = Decimal("999999.99")
EARLIEST_COST_DATE = dt.date(2000, 1, 1)


class ChannelCostForm(UtrechtFormMixin, forms.Form):
    """A cost per contact of one channel from a date on (euros, two decimals at most)."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Channel.choices,
        error_messages={
            "required": _("Choose a channel."),
            "invalid_choice": _("Choose a channel."),
        },
    )
    cost_per_contact = forms.DecimalField(
        label=_("Cost per contact (euro)"),
        min_value=Decimal(0),
        max_value=MAX_COST,
        decimal_places=2,
        localize=True,
        help_text=_("For example 4.50."),
        error_messages={
            "required": _("Give the cost per contact in euros, for example 4.50."),
            "invalid": _("Give the cost as an amount in euros, for example 4.50."),
            "min_value": _("The cost per contact cannot be negative."),
            "max_value": _("The cost per contact is too high: at most 999,999.99 euros."),
            "max_decimal_places": _("Give the cost in whole cents: at most two decimals."),
        },
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput(format=ISO_DATE),
        help_text=_("Contacts from this date on cost this amount; earlier dates keep theirs."),
        error_messages={
            "required": _("Give the date from which this cost applies."),
            "invalid": _("Give a valid date."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost_per_contact"].widget.attrs["inputmode"] = "decimal"

    def clean_valid_from(self) -> dt.date:
        day: dt.date = self.cleaned_data["valid_from"]
        if day < EARLIEST_COST_DATE or day.year > 2100:
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return day
