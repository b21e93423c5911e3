"""Signals of the organisations app.

`settings_changed` is sent, inside the writing service's transaction, when an organisation's
opening hours, closing days or norms change: results computed earlier (the KPI rollups) may be
out of date. Apps that depend on organisations receive it (organisations imports none of them);
a receiver must defer its work until the transaction commits (`transaction.on_commit`).

Arguments: `organisation` (the `Organisation`) and `what` (one of `CHANGES`).
"""

from __future__ import annotations

from typing import Final

from django.dispatch import Signal

OPENING_HOURS: Final = "opening_hours"
CLOSING_DAYS: Final = "closing_days"
NORMS: Final = "norms"
CONTACT_POINTS: Final = "contact_points"
CHANGES: Final = (OPENING_HOURS, CLOSING_DAYS, NORMS, CONTACT_POINTS)

settings_changed = Signal()
