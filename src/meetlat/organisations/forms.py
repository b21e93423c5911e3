from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetlat.organisations.models import ContactPoint, OrganisationKind
from meetlat.web.forms import DateInput, DateTimeInput, TimeInput, UtrechtFormMixin


class OrganisationForm(UtrechtFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("For municipalities the CBS code, e.g. GM0505.")
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)


class ContactPointForm(UtrechtFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ContactPoint
        fields = ["name", "channel", "phone_kind", "address", "active"]


WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class OpeningHoursForm(UtrechtFormMixin, forms.Form):
    """One row per weekday: an opening and closing time, both empty when closed."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for number, name in enumerate(WEEKDAY_NAMES, start=1):
            self.fields[f"opens_{number}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": name}, required=False, widget=TimeInput
            )
            self.fields[f"closes_{number}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": name}, required=False, widget=TimeInput
            )
        self._apply_classes()

    def _apply_classes(self) -> None:
        for field in self.fields.values():
            field.widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for number in range(1, 8):
            opens, closes = cleaned.get(f"opens_{number}"), cleaned.get(f"closes_{number}")
            if (opens is None) != (closes is None):
                self.add_error(f"closes_{number}", _("Fill in both times, or neither."))
            elif opens is not None and closes is not None and opens >= closes:
                self.add_error(f"closes_{number}", _("Closing time must be after opening time."))
        return cleaned


class NormForm(UtrechtFormMixin, forms.Form):
    target = forms.DecimalField(label=_("Target"), max_digits=10, decimal_places=4, min_value=0)
    threshold = forms.DecimalField(
        label=_("Threshold"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Where the norm is published.")
    )


class ClosingDayForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=100)


class DueForm(UtrechtFormMixin, forms.Form):
    received = forms.DateTimeField(label=_("Received at"), widget=DateTimeInput)
    working_days = forms.IntegerField(
        label=_("Working days"), min_value=0, max_value=260, initial=2
    )


class WorkdaysForm(UtrechtFormMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        elif start and end and (end - start).days > 3660:
            self.add_error("date_to", _("Choose a range of at most ten years."))
        return cleaned
