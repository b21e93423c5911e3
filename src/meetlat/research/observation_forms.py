"""The auditor's observation forms, one per kind of channel (DESIGN.md's observation columns).

The fields carry the CSV column names. :meth:`ObservationForm.values` gives the cells of a CSV
row, which :func:`meetlat.research.services.observations.observation_record` checks with the
importer's row parser; its problems come back per field with :meth:`add_row_errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetlat.research.models import Assignment, Completeness, Correctness, InOneGo, Tone
from meetlat.research.parsing import BEJEGENING, RowError
from meetlat.research.rule_labels import row_error_text
from meetlat.web.forms import DateTimeInput, UtrechtFormMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_FORMAT: Final = "%Y-%m-%dT%H:%M"
EMPTY: Final = ("", _("Not filled in"))
YES_NO: Final = [EMPTY, ("yes", _("Yes")), ("no", _("No"))]
YES_NO_NA: Final = [*YES_NO, ("na", _("Not applicable"))]


def _choices(field_choices: Any) -> list[tuple[str, Any]]:
    return [EMPTY, *((str(value), label) for value, label in field_choices)]


def _choice(label: StrOrPromise, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> forms.Field:
    return forms.ChoiceField(label=label, choices=choices, required=False, **kwargs)


class ObservationForm(UtrechtFormMixin, forms.Form):
    """Common to both kinds: the answer and the extra step."""

    #: (legend, field names) of the fieldsets, in order.
    groups: tuple[tuple[Promise, tuple[str, ...]], ...] = ()

    correctness = _choice(
        _("Correctness of the answer"),
        _choices(Correctness.choices),
        help_text=_("Against the answer key: correct, partly (an element wrong or vague) …"),
    )
    completeness = _choice(_("Completeness of the answer"), _choices(Completeness.choices))
    extra_step = _choice(
        _("Extra step"),
        YES_NO,
        help_text=_("Proactive help beyond the answer, such as a link or a callback."),
    )

    def fieldsets(self) -> Iterator[tuple[Promise, list[forms.BoundField]]]:
        for legend, names in self.groups:
            yield legend, [self[name] for name in names]

    def values(self) -> dict[str, str]:
        """The cleaned values as the cells of an observations CSV row."""
        return {name: _cell(self.cleaned_data.get(name)) for name in self.fields}

    def add_row_errors(self, errors: Sequence[RowError]) -> None:
        for error in errors:
            field = error.column if error.column in self.fields else None
            self.add_error(field, row_error_text(error))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


class PhoneObservationForm(ObservationForm):
    attempts = forms.IntegerField(
        label=_("Attempts"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("Calls until a person answered or you gave up (at most 3)."),
    )
    reached = forms.ChoiceField(label=_("Reached a person"), choices=YES_NO)
    wait_s = forms.IntegerField(
        label=_("Waiting time in seconds"),
        min_value=0,
        max_value=86_400,
        required=False,
        help_text=_("From the first ring or the menu until a person speaks, on the last attempt."),
    )
    transfers = forms.IntegerField(
        label=_("Number of transfers"), min_value=0, max_value=99, required=False
    )
    transfers_warm = _choice(
        _("Transfers warm"),
        YES_NO,
        help_text=_("Yes only if every transfer was announced to the colleague."),
    )
    reason_passed_on = _choice(
        _("Subject passed on"),
        YES_NO,
        help_text=_("Yes only if the colleague knew your question at every transfer."),
    )
    callback_promised = _choice(_("Callback promised"), YES_NO)
    callback_kept = _choice(
        _("Callback kept"),
        YES_NO,
        help_text=_("By the promised moment, or within 2 working days if none was named."),
    )
    in_one_go = _choice(_("Answered in one go"), _choices(InOneGo.choices))
    introduced_name = _choice(_("Employee gave their name"), YES_NO_NA)
    friendly = _choice(_("Friendly"), YES_NO_NA)
    plain_language = _choice(_("Plain language"), YES_NO_NA)
    asked_more_questions = _choice(_("Asked whether you had other questions"), YES_NO_NA)
    recording_announced = _choice(
        _("Recording announced"),
        YES_NO_NA,
        help_text=_("Not applicable if the municipality does not record calls."),
    )

    groups = (
        (_("Reaching the municipality"), ("attempts", "reached", "wait_s")),
        (
            _("Transfers and callbacks"),
            (
                "transfers",
                "transfers_warm",
                "reason_passed_on",
                "callback_promised",
                "callback_kept",
                "in_one_go",
            ),
        ),
        (_("The answer"), ("correctness", "completeness", "extra_step")),
        (_("Manner (bejegening)"), BEJEGENING),
    )


class WrittenObservationForm(ObservationForm):
    sent_at = forms.DateTimeField(label=_("Sent at"), widget=DateTimeInput(format=DATETIME_FORMAT))
    acknowledged_at = forms.DateTimeField(
        label=_("First acknowledgement at"),
        required=False,
        widget=DateTimeInput(format=DATETIME_FORMAT),
        help_text=_("Automatic or personal; empty if none came."),
    )
    answered_at = forms.DateTimeField(
        label=_("Answered at"),
        required=False,
        widget=DateTimeInput(format=DATETIME_FORMAT),
        help_text=_("The first answer with content; empty if none came."),
    )
    tone = _choice(
        _("Tone"),
        _choices(Tone.choices),
        help_text=_("Good: plain and personal. Fair: correct but impersonal. Poor: jargon."),
    )

    groups = (
        (_("Times"), ("sent_at", "acknowledged_at", "answered_at")),
        (_("The answer"), ("correctness", "completeness", "tone", "extra_step")),
    )


def observation_form_for(
    assignment: Assignment, data: Any = None
) -> PhoneObservationForm | WrittenObservationForm:
    """The form for an assignment's channel, filled with what was recorded before."""
    initial = _initial(assignment)
    if assignment.channel == "phone":
        return PhoneObservationForm(data, initial=initial, prefix=None)
    initial.setdefault("sent_at", assignment.planned_at)
    return WrittenObservationForm(data, initial=initial)


def _initial(assignment: Assignment) -> dict[str, Any]:
    observation = assignment.observation
    if observation is None:
        return {}
    initial: dict[str, Any] = {}
    fields = set(PhoneObservationForm.base_fields) | set(WrittenObservationForm.base_fields)
    for name in fields:
        value = getattr(observation, name)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        initial[name] = value
    return initial
