"""Template filters for report numbers: ``{{ value|grade }}``, ``{{ value|grade:1 }}``,
``{{ delta|signed }}``, ``{{ share|percent }}`` and ``{{ text|css_string }}``."""

from __future__ import annotations

from fractions import Fraction

from django import template
from django.utils.safestring import SafeString, mark_safe

from meetlat.reports import formatting

register = template.Library()


@register.filter
def grade(value: float | None, decimals: int = 2) -> str:
    return formatting.number(value, decimals)


@register.filter
def signed(value: float | None, decimals: int = 2) -> str:
    return formatting.signed(value, decimals)


@register.filter
def percent(value: Fraction | float | None, decimals: int = 1) -> str:
    return formatting.percent(value, decimals)


@register.filter(name="css_string")
def css_string_filter(value: object) -> SafeString:
    """``{{ text|css_string }}``: a safe CSS string literal for ``content:`` (see formatting)."""
    return mark_safe(formatting.css_string(value))  # noqa: S308 - fully escaped
