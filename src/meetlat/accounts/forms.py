from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from meetlat.accounts.roles import Role
from meetlat.organisations.models import Organisation
from meetlat.web.forms import DateInput, UtrechtFormMixin


class LoginForm(UtrechtFormMixin, AuthenticationForm):
    pass


class TokenForm(UtrechtFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UserCreateForm(UtrechtFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MembershipForm(UtrechtFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AuditFilterForm(UtrechtFormMixin, forms.Form):
    organisation = forms.CharField(label=_("Organisation code"), required=False, max_length=32)
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)


class ApiTokenForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=100)
