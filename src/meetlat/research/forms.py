"""Forms of the research lead's pages: studies, waves, the plan, scenarios.

Forms check the shape of the input; the services check the rules.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from meetlat import clock
from meetlat.accounts.models import User
from meetlat.calc.fieldwork import PLANNED_CHANNELS, WRITTEN_CHANNELS
from meetlat.organisations.models import Channel, Organisation
from meetlat.research.models import (
    DEFAULT_QUESTIONS,
    MAX_CALLS,
    MAX_WRITTEN_QUESTIONS,
    AssignmentStatus,
)
from meetlat.research.services.scenarios import ScenarioText
from meetlat.web.forms import DateInput, DateTimeInput, UtrechtFormMixin

#: The channels a study form offers (the planner plans these; others can be imported).
FORM_CHANNELS: Final = ("phone", "email", "webform", "chat")
CBS_CODE: Final = re.compile(r"GM\d{4}")
DATE_FORMAT: Final = "%Y-%m-%d"
DATETIME_FORMAT: Final = "%Y-%m-%dT%H:%M"


def _next_monday() -> dt.date:
    today = clock.today_local()
    return today + dt.timedelta(days=7 - today.weekday())


def _channel_label(channel: str) -> str:
    return str(Channel(channel).label)


class FieldworkWindowForm(UtrechtFormMixin, forms.Form):
    fieldwork_start = forms.DateField(
        label=_("First day of fieldwork"), widget=DateInput(format=DATE_FORMAT)
    )
    fieldwork_end = forms.DateField(
        label=_("Last day of fieldwork"),
        widget=DateInput(format=DATE_FORMAT),
        help_text=_("Four weeks (20 working days) is usual."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("fieldwork_start"), cleaned.get("fieldwork_end")
        if start and end and end < start:
            self.add_error("fieldwork_end", _("The last day must not be before the first day."))
        elif start and end and (end - start).days > 366:
            self.add_error("fieldwork_end", _("Fieldwork lasts at most a year."))
        return cleaned


class StudyForm(FieldworkWindowForm):
    name = forms.CharField(label=_("Name of the study"), max_length=100)
    municipalities = forms.CharField(
        label=_("Municipalities (CBS codes)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One or more CBS codes such as GM0363, one per line or separated by commas. "
            "Look the codes up in the list of municipalities."
        ),
    )
    max_calls_per_auditor = forms.IntegerField(
        label=_("Calls per auditor per municipality"),
        min_value=1,
        max_value=15,
        initial=3,
        help_text=_("At most this many calls by one auditor to one municipality per wave."),
    )

    field_order = ["name", "municipalities"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for channel in FORM_CHANNELS:
            limit = MAX_WRITTEN_QUESTIONS if channel in WRITTEN_CHANNELS else MAX_CALLS
            self.fields[f"{channel}_questions"] = forms.IntegerField(
                label=_("Questions per municipality: %(channel)s")
                % {"channel": _channel_label(channel)},
                min_value=0,
                max_value=limit,
                initial=DEFAULT_QUESTIONS.get(channel, 0),
            )
        start = _next_monday()
        self.fields["fieldwork_start"].initial = start
        self.fields["fieldwork_end"].initial = start + dt.timedelta(days=25)
        self.order_fields(
            [
                "name",
                "municipalities",
                *(f"{c}_questions" for c in FORM_CHANNELS),
                "fieldwork_start",
                "fieldwork_end",
                "max_calls_per_auditor",
            ]
        )
        self._apply_classes()

    def _apply_classes(self) -> None:
        for field in self.fields.values():
            if "class" not in field.widget.attrs:
                field.widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"

    def clean_municipalities(self) -> list[str]:
        text = str(self.cleaned_data["municipalities"]).upper()
        codes = [c for c in re.split(r"[\s,;]+", text) if c]
        wrong = [c for c in codes if not CBS_CODE.fullmatch(c)]
        if wrong:
            raise forms.ValidationError(
                _("Not a CBS code: %(codes)s. A code is GM followed by four digits.")
                % {"codes": ", ".join(wrong[:5])}
            )
        if not codes:
            raise forms.ValidationError(_("Enter at least one CBS code."))
        return list(dict.fromkeys(codes))

    def questions(self) -> dict[str, int]:
        return {c: int(self.cleaned_data.get(f"{c}_questions") or 0) for c in FORM_CHANNELS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not any(self.questions().values()):
            self.add_error(None, _("Ask at least one question per municipality."))
        return cleaned


class WaveForm(FieldworkWindowForm):
    name = forms.CharField(
        label=_("Name of the wave"), max_length=50, help_text=_("For example 1-meting.")
    )
    field_order = ["name", "fieldwork_start", "fieldwork_end"]


class PlanForm(UtrechtFormMixin, forms.Form):
    new_seed = forms.BooleanField(
        label=_("Draw a different plan (new seed)"),
        required=False,
        help_text=_("Without this, the same settings give the same plan again."),
    )


class AuditorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class AssignmentForm(UtrechtFormMixin, forms.Form):
    planned_at = forms.DateTimeField(
        label=_("Planned at"), widget=DateTimeInput(format=DATETIME_FORMAT)
    )
    auditor = AuditorChoiceField(label=_("Auditor"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (AssignmentStatus.PLANNED.value, AssignmentStatus.PLANNED.label),
            (AssignmentStatus.SKIPPED.value, AssignmentStatus.SKIPPED.label),
        ],
    )

    def __init__(self, *args: Any, auditors: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["auditor"]
        assert isinstance(field, AuditorChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in auditors]).order_by("username")


class ScenarioProposalForm(UtrechtFormMixin, forms.Form):
    """What a municipality viewer writes to propose a scenario."""

    name = forms.CharField(label=_("Short title"), max_length=200)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c, _channel_label(c)) for c in PLANNED_CHANNELS]
    )
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the mystery shopper asks, in the words of a citizen."),
    )
    persona = forms.CharField(
        label=_("Persona"),
        max_length=200,
        required=False,
        help_text=_(
            "A fictitious citizen: invented name, study phone number and mailbox. Never a real "
            "citizen service number (BSN) or DigiD."
        ),
    )
    expected_department = forms.CharField(
        label=_("Expected department"), max_length=200, required=False
    )
    required_elements = forms.CharField(
        label=_("Answer key: required elements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One element of a correct and complete answer per line."),
    )

    def text(self) -> ScenarioText:
        data = self.cleaned_data
        return ScenarioText(
            name=data["name"],
            channel=data["channel"],
            question=data["question"],
            persona=data["persona"],
            expected_department=data["expected_department"],
            required_elements=str(data["required_elements"]).splitlines(),
        )


class ScenarioForm(ScenarioProposalForm):
    """What the research lead writes: a code, and national or for one municipality."""

    code = forms.CharField(
        label=_("Code"), max_length=64, help_text=_("Short and unique in the study, e.g. T01.")
    )
    municipality = forms.ModelChoiceField(
        label=_("Only for this municipality"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("National: the same everywhere"),
        help_text=_(
            "National scenarios carry the benchmark; a municipality-specific one needs an answer "
            "key of equal difficulty."
        ),
    )
    field_order = ["code", "name", "channel", "municipality"]

    def __init__(self, *args: Any, municipalities: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in municipalities]
        ).order_by("name")
