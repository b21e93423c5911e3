"""Forms of the KPI pages: the dashboard period and channel, and the staffing calculator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetlat.web.forms import DateInput, UtrechtFormMixin

MAX_PERIOD_DAYS = 400


class PeriodForm(UtrechtFormMixin, forms.Form):
    """From and to (inclusive local dates); both empty means the default period."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

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
