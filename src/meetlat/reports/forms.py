"""Forms of the reports: the language a report is made in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meetlat.web.forms import UtrechtFormMixin


class ReportLanguageForm(UtrechtFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the reports"),
        choices=settings.LANGUAGES,
        help_text=_("Reports are in Dutch unless you ask for English."),
    )
