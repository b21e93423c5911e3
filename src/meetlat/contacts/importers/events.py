"""Helpers shared by the importers of e-mail threads, chats and survey answers.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from meetlat.calc.calendar import AMSTERDAM
from meetlat.contacts.importers.base import ParsedContact

CONTACT_ID_MAX: Final = 128
TEXT_MAX: Final = 100
"""Contact point and topic are cut to this many characters (the model's limit)."""


def contact_of(
    *,
    line: int,
    contact_id: str,
    channel: str,
    started_at: dt.datetime,
    contact_point: str = "",
    topic: str = "",
    customer: str = "",
    answered: bool = False,
    acknowledged_at: dt.datetime | None = None,
    answered_at: dt.datetime | None = None,
    term_notice_at: dt.datetime | None = None,
    first_response_at: dt.datetime | None = None,
    closed_at: dt.datetime | None = None,
    subject_masked: str = "",
) -> ParsedContact:
    """A written or chat contact (no call fields); `started_at` is an aware instant."""
    start = started_at.astimezone(dt.UTC)
    local = start.astimezone(AMSTERDAM)
    return ParsedContact(
        line=line,
        contact_id=contact_id,
        channel=channel,
        started_at=start,
        local_date=local.date(),
        local_hour=local.hour,
        outcome="answered" if answered else "",
        wait_s=None,
        handle_s=None,
        transfers=None,
        contact_point=contact_point,
        topic=topic,
        agent="",
        customer=customer,
        resolved_first_contact=None,
        acknowledged_at=acknowledged_at,
        answered_at=answered_at,
        term_notice_at=term_notice_at,
        first_response_at=first_response_at,
        closed_at=closed_at,
        subject_masked=subject_masked,
    )
