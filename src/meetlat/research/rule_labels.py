"""The planner's rules and the observation parser's problems in the user's language.

:mod:`meetlat.calc` and :mod:`meetlat.research.parsing` speak English (they serve the command
line too); the web pages show these translated texts instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetlat.calc.planner import Rule, Violation
from meetlat.research.parsing import RowError

RULE_TEXTS: Final[Mapping[Rule, Promise]] = {
    Rule.OPENING_HOURS: _(
        "Rule 1: only on working days of the municipality, within the opening hours."
    ),
    Rule.SPREAD: _("Rule 2: calls spread evenly over the weekdays and the five time slots."),
    Rule.FRIDAY_AFTERNOON: _("Rule 3: at least two Friday calls after 12:00."),
    Rule.WEEKS: _("Rule 4: calls spread evenly over the weeks."),
    Rule.GAP: _("Rule 5: at least 60 minutes between two calls to the same municipality."),
    Rule.ROTATION: _(
        "Rule 6: an auditor calls the same municipality at most three times per wave (or the "
        "number set for the study) and at most once a day, so no voice is recognised."
    ),
    Rule.WRITTEN: _(
        "Rule 7: at most one e-mail a day per municipality, in weeks 1 to 3, on different "
        "weekdays and from different personas."
    ),
    Rule.AUDITOR_BUSY: _("An auditor makes one call at a time: at least 30 minutes between calls."),
}


#: The bands of METHODOLOGY.md §2.5 by their JSON key.
BAND_LABELS: Final[Mapping[str, Promise]] = {
    "onvoldoende": _("Insufficient"),
    "voldoende": _("Sufficient"),
    "norm": _("Meets the norm"),
    "goed": _("Good"),
    "best_practice": _("Best practice"),
}


def with_band_label(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A municipality's score entry with ``band_label``, the band in the user's language."""
    band = str(entry.get("band") or "")
    return {**entry, "band_label": BAND_LABELS.get(band, "")}


def violation_text(violation: Violation, names: Mapping[str, str]) -> str:
    """“Gemeente X: rule …” for a violation of a stored or edited plan."""
    name = names.get(violation.municipality, violation.municipality)
    return gettext("%(municipality)s: %(rule)s") % {
        "municipality": name,
        "rule": RULE_TEXTS[violation.rule],
    }


def planning_error_text(rule: Rule, municipality: str) -> str:
    """Why no plan could be made, naming the rule that cannot be kept."""
    text = gettext("No plan keeps every rule. This rule cannot be kept: %(rule)s") % {
        "rule": RULE_TEXTS[rule]
    }
    if municipality:
        text += " " + gettext("Municipality: %(municipality)s.") % {"municipality": municipality}
    return text


#: Patterns of the row parser's messages (research/parsing.py) and their translations.
_ROW_MESSAGES: Final[tuple[tuple[re.Pattern[str], Promise], ...]] = (
    (re.compile(r"^required when reached = yes"), _("Fill this in when a person was reached.")),
    (re.compile(r"^required when answered_at"), _("Fill this in when an answer came.")),
    (re.compile(r"^required"), _("This field is required.")),
    (re.compile(r"^must be empty when transfers is 0"), _("Leave this empty without transfers.")),
    (
        re.compile(r"^in_one_go = callback requires"),
        _("“Callback” is only possible when a callback was promised."),
    ),
    (
        re.compile(r"^callback_kept = yes requires"),
        _("A callback can only be kept when it was promised."),
    ),
    (re.compile(r"^before sent_at"), _("This moment lies before the moment you sent it.")),
    (re.compile(r"^does not apply"), _("This does not apply to this channel; leave it empty.")),
    (re.compile(r"^not one of"), _("Choose one of the options.")),
    (re.compile(r"^must be from"), _("This number is out of range.")),
    (re.compile(r"^not a whole number"), _("Enter a whole number.")),
)


def row_error_text(error: RowError) -> str:
    for pattern, text in _ROW_MESSAGES:
        if pattern.search(error.message):
            return str(text)
    return gettext("This value is not valid (%(reason)s).") % {"reason": error.message}
