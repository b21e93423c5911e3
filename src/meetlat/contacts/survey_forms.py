"""The hosted post-contact survey's form: shape only (every question may be left open)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetlat.contacts.surveys import SurveyForm

COMMENT_MAX = 2000


def _scale(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(n), str(n)) for n in range(low, high + 1)]


def _number(value: str) -> int | None:
    return int(value) if value else None


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SurveyAnswerForm(forms.Form):
    grade = forms.TypedChoiceField(
        label=_("What grade do you give our contact with you? (1 = very bad, 10 = excellent)"),
        choices=_scale(1, 10),
        coerce=_number,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    csat = forms.TypedChoiceField(
        label=_("How satisfied are you? (1 = very dissatisfied, 5 = very satisfied)"),
        choices=_scale(1, 5),
        coerce=_number,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    answered_question = forms.TypedChoiceField(
        label=_("Was your question answered?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Would you like to add something? (optional)"),
        help_text=_("Please do not write personal details such as your BSN or phone number."),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(name) for name in ("grade", "csat", "answered_question")]
        if all(value is None for value in given) and not str(data.get("comment", "")).strip():
            raise forms.ValidationError(_("Please answer at least one question."))
        return data

    def survey_form(self) -> SurveyForm:
        data = self.cleaned_data
        return SurveyForm(
            grade=data.get("grade"),
            csat=data.get("csat"),
            answered_question=data.get("answered_question"),
            comment=data.get("comment") or "",
        )
