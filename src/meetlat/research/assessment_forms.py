"""Forms of the findings pages: the manual and self-assessment items of a municipality, and
one action on a finding (new wording, hide, show, reset, add, delete)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetlat.calc.findings import ITEM_BY_NUMBER, item_label, self_assessment_label
from meetlat.research.models import (
    MANUAL_ITEMS,
    SELF_ASSESSMENT_ITEMS,
    AssessmentValue,
    FindingKind,
    ManualAssessment,
)
from meetlat.research.services.findings import MAX_TEXT, AssessmentInput
from meetlat.web.forms import UtrechtFormMixin

NOT_ANSWERED: Final = ("", _("Not answered"))
NOTE_MAX: Final = 1000
SELECT_CLASS: Final = "utrecht-select utrecht-select--html-select"
TEXTBOX_CLASS: Final = "utrecht-textbox utrecht-textbox--html-input"


def assessment_label(item: str, language: str) -> str:
    """The wording of a manual item (its keep label) or a self-assessment item."""
    if item in MANUAL_ITEMS:
        return item_label(ITEM_BY_NUMBER[item], language)
    return self_assessment_label(int(item), language)


@dataclass(frozen=True)
class ItemFields:
    number: str
    label: str
    value: forms.BoundField
    note: forms.BoundField
    updated: ManualAssessment | None


class AssessmentForm(forms.Form):
    """A value and a note per item; the items are the manual ones, the self-assessment or
    both. Unanswered items stay empty."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        items: Sequence[str],
        existing: Mapping[str, ManualAssessment],
        language: str,
    ) -> None:
        initial: dict[str, Any] = {}
        for item, row in existing.items():
            initial[f"value_{item}"], initial[f"note_{item}"] = row.value, row.note
        super().__init__(data, initial=initial)
        self.items, self.existing, self.language = tuple(items), existing, language
        for item in self.items:
            choices = [NOT_ANSWERED, *AssessmentValue.choices]
            if item in MANUAL_ITEMS:
                choices = [c for c in choices if c[0] != AssessmentValue.PARTLY]
            label = f"{item}. {assessment_label(item, language)}"
            self.fields[f"value_{item}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": SELECT_CLASS}),
            )
            self.fields[f"note_{item}"] = forms.CharField(
                label=_("Note on item %(item)s") % {"item": item},
                required=False,
                max_length=NOTE_MAX,
                widget=forms.TextInput(attrs={"class": TEXTBOX_CLASS}),
            )

    def groups(self) -> list[tuple[str, list[ItemFields]]]:
        """The items under "Manual items" and "Self-assessment of the organisation"."""
        titles = (
            (MANUAL_ITEMS, _("Manual items")),
            (SELF_ASSESSMENT_ITEMS, _("Self-assessment of the organisation")),
        )
        result = []
        for numbers, title in titles:
            rows = [
                ItemFields(
                    n,
                    assessment_label(n, self.language),
                    self[f"value_{n}"],
                    self[f"note_{n}"],
                    self.existing.get(n),
                )
                for n in numbers
                if n in self.items
            ]
            if rows:
                result.append((str(title), rows))
        return result

    def answers(self) -> dict[str, AssessmentInput]:
        data = self.cleaned_data
        return {
            item: AssessmentInput(data.get(f"value_{item}") or "", data.get(f"note_{item}") or "")
            for item in self.items
        }


ACTIONS: Final = ("save", "hide", "show", "reset", "add", "update", "delete")


class FindingActionForm(forms.Form):
    """One button on the findings page: what to do with which finding."""

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    item = forms.CharField(required=False, max_length=4)
    kind = forms.ChoiceField(choices=FindingKind.choices)
    key = forms.IntegerField(required=False, min_value=1)
    text = forms.CharField(required=False, max_length=MAX_TEXT, strip=True)


class FindingAddForm(UtrechtFormMixin, forms.Form):
    """A free-text finding of the lead's own."""

    kind = forms.ChoiceField(label=pgettext_lazy("finding", "Kind"), choices=FindingKind.choices)
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the report as written, after the automatic findings."),
    )
