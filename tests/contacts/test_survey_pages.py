"""The hosted post-contact survey at /s/<token>/: one answer per token, friendly when closed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from meetlat.accounts.models import AuditEntry
from meetlat.contacts.models import Contact, ImportBatch, SurveyAnswer, SurveyInvitation
from meetlat.contacts.selectors import token_hash
from meetlat.contacts.surveys import (
    SurveyClosedError,
    SurveyForm,
    survey_answer_submit,
    survey_invitation_create,
)
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create
from tests.web.test_url_access import UNKNOWN_SURVEY_TOKEN

NOW = dt.datetime(2026, 4, 24, 12, 0, tzinfo=dt.UTC)
ANSWER = {"grade": "8", "csat": "4", "answered_question": "yes", "comment": "Bel 0612345678."}


@pytest.fixture
def dorp(db: None) -> Organisation:
    return organisation_create(code="GM9990", name="Gemeente Contractdorp")


@pytest.fixture
def contact(dorp: Organisation) -> Contact:
    batch = ImportBatch.objects.create(
        organisation=dorp, format="csv", source="csv", file_name="x.csv", sha256="0" * 64,
        rows=1, imported=1, duplicates=0, created_at=NOW,
    )  # fmt: skip
    return Contact.objects.create(
        organisation=dorp, source="csv", contact_id="c01", channel="phone", started_at=NOW,
        local_date=NOW.date(), local_hour=14, outcome="answered", topic="afval",
        import_batch=batch,
    )  # fmt: skip


@pytest.fixture
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_form_works_without_javascript_and_stores_one_masked_answer(
    contact: Contact, frozen: object
) -> None:
    invitation, url = survey_invitation_create(organisation=contact.organisation, contact=contact)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<script" not in body.split("</head>")[1]
    assert 'type="radio"' in body and "Gemeente Contractdorp" in body
    csrf = page.cookies["csrftoken"].value
    response = client.post(url, {**ANSWER, "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302 and response["Location"] == "/s/thanks/"
    assert client.get("/s/thanks/").status_code == 200
    answer = SurveyAnswer.objects.get()
    assert (answer.grade, answer.csat, answer.answered_question) == (8, 4, True)
    assert answer.comment_masked == "Bel [TELEFOON]."
    assert (answer.contact, answer.contact_ref, answer.channel, answer.topic) == (
        contact, "c01", "phone", "afval",
    )  # fmt: skip
    assert answer.invitation == invitation and answer.answered_at == NOW
    assert AuditEntry.objects.filter(action="contacts.survey.answered").count() == 1


def test_a_token_takes_one_answer_then_says_so_with_410(dorp: Organisation) -> None:
    _invitation, url = survey_invitation_create(organisation=dorp)
    client = Client()
    client.post(url, ANSWER)
    again = client.post(url, ANSWER)
    assert again.status_code == 410 and "al ingevuld" in again.content.decode()
    assert client.get(url).status_code == 410
    assert SurveyAnswer.objects.count() == 1


def test_an_expired_token_gives_a_friendly_410(dorp: Organisation) -> None:
    with time_machine.travel(NOW, tick=False):
        _invitation, url = survey_invitation_create(organisation=dorp, valid_days=14)
    with time_machine.travel(NOW + dt.timedelta(days=14), tick=False):
        response = Client().get(url)
    assert response.status_code == 410 and "niet meer geldig" in response.content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=13, hours=23), tick=False):
        assert Client().get(url).status_code == 200


def test_an_unknown_token_gives_a_friendly_404_not_a_traceback(db: None) -> None:
    for token in (UNKNOWN_SURVEY_TOKEN, "x" * 300):
        response = Client().get(f"/s/{token}/")
        assert response.status_code == 404
        assert "kunnen deze vragenlijst niet vinden" in response.content.decode()


def test_an_empty_form_asks_for_an_answer_and_stores_nothing(dorp: Organisation) -> None:
    _invitation, url = survey_invitation_create(organisation=dorp)
    response = Client().post(url, {"grade": "", "comment": "  "})
    assert response.status_code == 200
    assert "minstens één vraag" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_out_of_range_choices_are_refused(dorp: Organisation) -> None:
    _invitation, url = survey_invitation_create(organisation=dorp)
    Client().post(url, {"grade": "11", "csat": "0"})
    assert not SurveyAnswer.objects.exists()


def test_only_a_hash_of_the_token_is_stored(dorp: Organisation) -> None:
    invitation, url = survey_invitation_create(organisation=dorp)
    token = token_of(url)
    assert len(token) >= 40 and invitation.token_hash == token_hash(token)
    assert token not in str(list(SurveyInvitation.objects.values()))


def test_a_second_submit_of_the_same_invitation_is_refused_by_the_service(
    dorp: Organisation,
) -> None:
    invitation, _url = survey_invitation_create(organisation=dorp)
    form = SurveyForm(grade=7, csat=None, answered_question=None, comment="")
    survey_answer_submit(invitation=invitation, form=form)
    with pytest.raises(SurveyClosedError):
        survey_answer_submit(invitation=invitation, form=form)
    assert SurveyAnswer.objects.count() == 1


def test_a_contact_of_another_organisation_cannot_be_invited(contact: Contact) -> None:
    other = organisation_create(code="GM9991", name="Anderdorp")
    with pytest.raises(ValueError, match="another organisation"):
        survey_invitation_create(organisation=other, contact=contact)
