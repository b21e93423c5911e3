"""Tests of the KPI engine (METHODOLOGY.md §4)."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict


class Period(TypedDict):
    """`date_from`/`date_to` keyword arguments of the KPI selectors."""

    date_from: dt.date
    date_to: dt.date
