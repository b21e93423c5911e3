"""Validators for codes and phone numbers of Dutch municipalities."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CBS_CODE_RE = re.compile(r"^GM\d{4}$")
# 14 followed by the area code (netnummer) with its leading 0: 14 020, 14 0594.
FOURTEEN_RE = re.compile(r"^14\s?0\d{2,3}$")
PHONE_RE = re.compile(r"^(?:\+31|0031|0)[1-9]\d{8}$")


def normalise_phone(value: str) -> str:
    """Remove spaces, hyphens, dots and brackets from a phone number."""
    return re.sub(r"[\s\-.()]", "", value)


def is_fourteen_number(value: str) -> bool:
    return bool(FOURTEEN_RE.match(value.strip()))


def validate_cbs_code(value: str) -> None:
    if not CBS_CODE_RE.match(value):
        raise ValidationError(
            _("%(value)s is not a CBS municipality code (GM followed by four digits)."),
            params={"value": value},
            code="cbs_code",
        )


def validate_fourteen_number(value: str) -> None:
    if not is_fourteen_number(value):
        raise ValidationError(
            _(
                "%(value)s is not a 14+area code number: write 14 followed by the area code "
                "with its leading zero, for example 14 020."
            ),
            params={"value": value},
            code="fourteen",
        )


def validate_phone_number(value: str) -> None:
    if is_fourteen_number(value):
        return
    if not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(
            _("%(value)s is not a Dutch phone number (for example 050 123 4567)."),
            params={"value": value},
            code="phone",
        )
