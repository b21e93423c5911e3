"""Writes for survey (KTO) invitations in bulk: one link per contact of a channel and period.

Municipalities send the links through their own mail or SMS systems (meetlat holds no customer
addresses), so a run returns the links once, as rows for a file; only each token's hash is
stored. A contact is invited at most once: a run takes the contacts of the channel and period
that were answered (a phone call answered, an e-mail or chat replied to) and never invited,
optionally a simple random sample of them that the stored seed draws again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import User
from meetlat.calc.calendar import AMSTERDAM
from meetlat.calc.sampling import simple_random_sample
from meetlat.contacts.models import (
    Contact,
    Outcome,
    SurveyInvitation,
    SurveyInvitationBatch,
)
from meetlat.contacts.surveys import survey_path, survey_token_new
from meetlat.kpis.tables import escape_cell
from meetlat.organisations.models import Channel, Organisation

#: Channels whose contacts can be invited (a counter visit or a letter has no "answered").
INVITATION_CHANNELS: Final = (
    Channel.PHONE,
    Channel.EMAIL,
    Channel.WEBFORM,
    Channel.CHAT,
    Channel.WHATSAPP,
    Channel.SOCIAL,
)
MAX_EXPIRY_DAYS: Final = 365
MAX_PERIOD_DAYS: Final = 400
CSV_COLUMNS: Final = ("contact_id", "link", "expires_at")
_SEED_BITS: Final = 62


@dataclass(frozen=True)
class InvitationLink:
    """One row of the file a run delivers: the contact, its survey link, when it expires."""

    contact_id: str
    link: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class InvitationRun:
    """A finished run; `batch` is None (and `links` empty) when there was no one to invite."""

    batch: SurveyInvitationBatch | None
    links: Sequence[InvitationLink]


def _answered(channel: str) -> Q:
    if channel == Channel.PHONE:
        return Q(outcome=Outcome.ANSWERED)
    return Q(answered_at__isnull=False) | Q(first_response_at__isnull=False)


def _invitable(
    *, organisation: Organisation, channel: str, date_from: dt.date, date_to: dt.date
) -> QuerySet[Contact]:
    """Answered contacts of the channel with a local date in the period, never invited."""
    invited = SurveyInvitation.objects.filter(contact=OuterRef("pk"))
    return Contact.objects.filter(
        _answered(channel),
        organisation=organisation,
        channel=channel,
        local_date__gte=date_from,
        local_date__lte=date_to,
    ).filter(~Exists(invited))


def _check(
    channel: str, date_from: dt.date, date_to: dt.date, sample: int | None, expires_in_days: int
) -> None:
    if channel not in INVITATION_CHANNELS:
        raise ValueError(f"no survey invitations for channel {channel!r}.")
    if date_from > date_to:
        raise ValueError("date_from is after date_to.")
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise ValueError(f"the period is longer than {MAX_PERIOD_DAYS} days.")
    if sample is not None and sample < 1:
        raise ValueError("the sample size must be 1 or more.")
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValueError(f"expires_in_days must be 1 to {MAX_EXPIRY_DAYS}.")


@transaction.atomic
def survey_invitations_create_bulk(
    *,
    organisation: Organisation,
    channel: str,
    date_from: dt.date,
    date_to: dt.date,
    sample: int | None,
    expires_in_days: int,
    actor: User | None,
    base_url: str = "",
    seed: int | None = None,
) -> InvitationRun:
    """Invite the contacts not invited yet (a sample of `sample` of them when given).

    Returns the links (`base_url` + the survey path, in contact order): the tokens exist only
    now, so deliver them at once. Runs of one organisation wait for each other (a row lock on
    PostgreSQL), so no contact gets two invitations.
    """
    _check(channel, date_from, date_to, sample, expires_in_days)
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))
    candidates = dict(
        _invitable(
            organisation=organisation, channel=channel, date_from=date_from, date_to=date_to
        ).values_list("pk", "contact_id")
    )
    if not candidates:
        return InvitationRun(batch=None, links=[])
    if seed is None:
        seed = secrets.randbits(_SEED_BITS)
    chosen = simple_random_sample(candidates, sample, seed)
    now = clock.now()
    batch = SurveyInvitationBatch(
        organisation=organisation,
        channel=channel,
        date_from=date_from,
        date_to=date_to,
        sample_size=sample,
        seed=seed,
        eligible=len(candidates),
        invitation_count=len(chosen),
        expires_at=now + dt.timedelta(days=expires_in_days),
        created_at=now,
        created_by=actor,
    )
    batch.full_clean()
    batch.save()
    tokens = [survey_token_new() for _pk in chosen]
    SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(
                organisation=organisation,
                contact_id=pk,
                token_hash=hashed,
                created_at=now,
                expires_at=batch.expires_at,
                batch=batch,
            )
            for pk, (_token, hashed) in zip(chosen, tokens, strict=True)
        ],
        batch_size=500,
    )
    audit_record(
        actor=actor,
        action="contacts.survey.invited_bulk",
        target=batch,
        organisation=organisation,
        data={
            "channel": channel,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "sample": sample,
            "seed": seed,
            "eligible": len(candidates),
            "invitations": len(chosen),
            "expires_in_days": expires_in_days,
        },
    )
    links = [
        InvitationLink(candidates[pk], base_url + survey_path(token), batch.expires_at)
        for pk, (token, _hashed) in zip(chosen, tokens, strict=True)
    ]
    return InvitationRun(batch=batch, links=links)


def invitation_links_csv(links: Sequence[InvitationLink]) -> bytes:
    """`contact_id;link;expires_at` (UTF-8, a header row, expiry in Dutch local time with its
    offset); text a spreadsheet would run as a formula is kept as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in links:
        writer.writerow(
            [
                escape_cell(row.contact_id),
                escape_cell(row.link),
                row.expires_at.astimezone(AMSTERDAM).isoformat(timespec="seconds"),
            ]
        )
    return buffer.getvalue().encode("utf-8")
