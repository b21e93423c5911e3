"""Writes for survey (KTO) answers: the `survey-csv` import's check and insert, and the hosted
post-contact survey (invitation, answer). STYLE.md practices 1 and 3.

An answer is keyed on (organisation, source, answer_id). The hosted survey stores only a hash
of the random token; each token takes one answer until it expires. Comments are stored
PII-masked only (METHODOLOGY.md §8).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.db import IntegrityError, transaction
from django.urls import reverse

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.calc.pii import mask_pii
from meetlat.contacts.importers.base import ParsedSurveyAnswer, ProblemList
from meetlat.contacts.models import Contact, ImportBatch, SurveyAnswer, SurveyInvitation
from meetlat.contacts.selectors import token_hash
from meetlat.organisations.models import Organisation

HOSTED_SOURCE: Final = "kto"
"""The source of answers given on the hosted survey page."""
DEFAULT_VALID_DAYS: Final = 14
CHUNK: Final = 500


class SurveyClosedError(Exception):
    """The invitation was answered already or has expired; nothing was stored."""


# --- import (`survey-csv`) ------------------------------------------------------------------


def answers_check(
    *, organisation: Organisation, source: str, answers: Sequence[ParsedSurveyAnswer]
) -> tuple[list[ParsedSurveyAnswer], ProblemList]:
    """The answers not stored yet, and the ids stored before with another answer time."""
    stored: dict[str, dt.datetime] = {}
    ids = [a.answer_id for a in answers]
    for start in range(0, len(ids), CHUNK):
        found = SurveyAnswer.objects.filter(
            organisation=organisation, source=source, answer_id__in=ids[start : start + CHUNK]
        ).values_list("answer_id", "answered_at")
        stored.update(found)
    problems = ProblemList()
    for answer in answers:
        known = stored.get(answer.answer_id)
        if known is not None and known != answer.answered_at:
            problems.add(
                answer.line,
                "answer_id",
                answer.answer_id,
                f"answer_id was already imported for source {source!r} with another "
                f"answered_at ({known.isoformat()}); if this file comes from another system, "
                "import it with its own --source.",
            )
    return [a for a in answers if a.answer_id not in stored], problems


def _contacts_by_id(organisation: Organisation, refs: set[str]) -> dict[str, int]:
    """Contact pks by contact id; an id that several sources use is ambiguous and left out."""
    found: dict[str, list[int]] = {}
    ordered = sorted(refs)
    for start in range(0, len(ordered), CHUNK):
        rows = Contact.objects.filter(
            organisation=organisation, contact_id__in=ordered[start : start + CHUNK]
        ).values_list("contact_id", "pk")
        for contact_id, pk in rows:
            found.setdefault(contact_id, []).append(pk)
    return {ref: pks[0] for ref, pks in found.items() if len(pks) == 1}


def answers_insert(
    *,
    organisation: Organisation,
    batch: ImportBatch,
    source: str,
    answers: Sequence[ParsedSurveyAnswer],
) -> None:
    """Store new answers, linked to their contact when it is stored."""
    contacts = _contacts_by_id(organisation, {a.contact_ref for a in answers if a.contact_ref})
    rows = [
        SurveyAnswer(
            organisation_id=organisation.pk,
            source=source,
            answer_id=a.answer_id,
            contact_id=contacts.get(a.contact_ref),
            contact_ref=a.contact_ref,
            channel=a.channel,
            topic=a.topic,
            answered_at=a.answered_at,
            grade=a.grade,
            csat=a.csat,
            recommend=a.recommend,
            answered_question=a.answered_question,
            comment_masked=a.comment_masked,
            import_batch_id=batch.pk,
        )
        for a in answers
    ]
    with transaction.atomic():
        SurveyAnswer.objects.bulk_create(rows, batch_size=1000)


# --- hosted survey --------------------------------------------------------------------------


def survey_token_new() -> tuple[str, str]:
    """A new random survey token and the hash that is stored of it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def survey_path(token: str) -> str:
    """The path of a token's survey page."""
    return reverse("survey:answer", kwargs={"token": token})


@transaction.atomic
def survey_invitation_create(
    *,
    organisation: Organisation,
    contact: Contact | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> tuple[SurveyInvitation, str]:
    """A new invitation and the path of its survey page (the token is only in the path)."""
    if contact is not None and contact.organisation_id != organisation.pk:
        raise ValueError("the contact belongs to another organisation.")
    if valid_days < 1:
        raise ValueError("valid_days must be 1 or more.")
    token, hashed = survey_token_new()
    now = clock.now()
    invitation = SurveyInvitation(
        organisation=organisation,
        contact=contact,
        token_hash=hashed,
        created_at=now,
        expires_at=now + dt.timedelta(days=valid_days),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=None,
        action="contacts.survey.invited",
        target=invitation,
        organisation=organisation,
        data={"contact": contact.pk if contact else None, "valid_days": valid_days},
    )
    return invitation, survey_path(token)


@dataclass(frozen=True)
class SurveyForm:
    """What the citizen filled in; every question may be left open."""

    grade: int | None
    csat: int | None
    answered_question: bool | None
    comment: str


def invitation_is_open(invitation: SurveyInvitation, *, now: dt.datetime) -> bool:
    return invitation.answered_at is None and now < invitation.expires_at


@transaction.atomic
def survey_answer_submit(*, invitation: SurveyInvitation, form: SurveyForm) -> SurveyAnswer:
    """Store the one answer of an invitation; raises SurveyClosedError when it is used or
    expired (also when another request answered it a moment ago)."""
    now = clock.now()
    claimed = SurveyInvitation.objects.filter(
        pk=invitation.pk, answered_at__isnull=True, expires_at__gt=now
    ).update(answered_at=now)
    if claimed != 1:
        raise SurveyClosedError("this survey was answered already or has expired.")
    contact = invitation.contact
    answer = SurveyAnswer(
        organisation=invitation.organisation,
        source=HOSTED_SOURCE,
        answer_id=f"invitation-{invitation.pk}",
        contact=contact,
        contact_ref=contact.contact_id if contact else "",
        channel=contact.channel if contact else "",
        topic=contact.topic if contact else "",
        answered_at=now,
        grade=form.grade,
        csat=form.csat,
        answered_question=form.answered_question,
        comment_masked=mask_pii(form.comment.strip())[0],
        invitation=invitation,
    )
    answer.full_clean()
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise SurveyClosedError("this survey was answered already.") from error
    audit_record(
        actor=None,
        action="contacts.survey.answered",
        target=answer,
        organisation=invitation.organisation,
        data={"invitation": invitation.pk, "contact": contact.pk if contact else None},
    )
    return answer
