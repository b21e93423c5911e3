"""Form helpers: NL Design System (Utrecht) classes on every widget."""

from __future__ import annotations

from typing import Any

from django import forms

_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
}


class UtrechtFormMixin:
    """Adds the Utrecht component classes to the widgets of a form."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for t, c in _WIDGET_CLASSES.items() if isinstance(widget, t)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"
