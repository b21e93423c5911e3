"""Survey (KTO) invitations in bulk: one link per answered contact not invited before, as a
CSV download on the page and as `meetlat survey-invitations`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetlat.accounts.models import AuditEntry
from meetlat.accounts.roles import Role
from meetlat.contacts.models import Contact, ImportBatch, SurveyInvitation, SurveyInvitationBatch
from meetlat.contacts.selectors import token_hash
from meetlat.contacts.survey_invitations import InvitationRun, survey_invitations_create_bulk
from meetlat.contacts.surveys import SurveyForm, survey_answer_submit, survey_invitation_create
from meetlat.organisations.models import Organisation
from tests.conftest import Cast, client_for, make_user

NOW = dt.datetime(2026, 4, 24, 10, 0, tzinfo=dt.UTC)  # Friday; "yesterday" is Thu 23 April
WEEK = {"date_from": dt.date(2026, 4, 17), "date_to": dt.date(2026, 4, 23)}
PAGE = reverse("contacts:survey_invitations")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def add_contact(
    organisation: Organisation,
    contact_id: str,
    day: dt.date = dt.date(2026, 4, 20),
    *,
    channel: str = "phone",
    outcome: str = "answered",
    replied: bool = False,
) -> Contact:
    batch, _created = ImportBatch.objects.get_or_create(
        organisation=organisation, sha256="0" * 64,
        defaults={"format": "csv", "source": "csv", "file_name": "x.csv", "rows": 0,
                  "imported": 0, "duplicates": 0, "created_at": NOW},
    )  # fmt: skip
    started = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    return Contact.objects.create(
        organisation=organisation, source="csv", contact_id=contact_id, channel=channel,
        started_at=started, local_date=day, local_hour=11,
        outcome=outcome if channel == "phone" else "",
        answered_at=started + dt.timedelta(hours=2) if replied else None,
        import_batch=batch,
    )  # fmt: skip


def invite(organisation: Organisation, channel: str = "phone", **kwargs: Any) -> InvitationRun:
    options: dict[str, Any] = {"sample": None, "expires_in_days": 14, "actor": None, **kwargs}
    return survey_invitations_create_bulk(
        organisation=organisation, channel=channel, **{**WEEK, **options}
    )


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8")), delimiter=";"))


def post(client: Client, **fields: Any) -> Any:
    data = {"channel": "phone", "date_from": "2026-04-17", "date_to": "2026-04-23",
            "sample": "", "expires_in_days": "14", **fields}  # fmt: skip
    return client.post(PAGE, data)


# --- the service -----------------------------------------------------------------------------


def test_only_answered_contacts_in_the_period_not_invited_before_get_a_link(cast: Cast) -> None:
    org = cast.voorbeeld
    for cid in ("p1", "p2", "p3"):
        add_contact(org, cid)
    add_contact(org, "gemist", outcome="abandoned")
    add_contact(org, "menu", outcome="ivr_abandoned")
    add_contact(org, "te-vroeg", dt.date(2026, 4, 16))
    add_contact(org, "mail-beantwoord", channel="email", replied=True)
    add_contact(org, "mail-open", channel="email")
    add_contact(cast.anders, "p-anders")
    survey_invitation_create(organisation=org, contact=add_contact(org, "al-uitgenodigd"))

    run = invite(org, actor=cast.anouk)
    assert run.batch is not None
    assert sorted(link.contact_id for link in run.links) == ["p1", "p2", "p3"]
    assert (run.batch.eligible, run.batch.invitation_count) == (3, 3)
    assert {link.expires_at for link in run.links} == {NOW + dt.timedelta(days=14)}
    stored = SurveyInvitation.objects.filter(batch=run.batch)
    assert sorted(stored.values_list("contact__contact_id", flat=True)) == ["p1", "p2", "p3"]
    assert set(stored.values_list("expires_at", flat=True)) == {NOW + dt.timedelta(days=14)}
    tokens = {link.link.rstrip("/").rsplit("/", 1)[-1] for link in run.links}
    assert set(stored.values_list("token_hash", flat=True)) == {token_hash(t) for t in tokens}
    entry = AuditEntry.objects.get(action="contacts.survey.invited_bulk")
    assert entry.data["invitations"] == 3 and entry.data["seed"] == run.batch.seed

    assert invite(org) == InvitationRun(batch=None, links=[])  # everyone is invited now
    email = invite(org, "email")
    assert [link.contact_id for link in email.links] == ["mail-beantwoord"]


def test_a_sample_has_its_size_and_the_same_seed_draws_it_again(cast: Cast) -> None:
    for i in range(20):
        add_contact(cast.voorbeeld, f"c{i:02d}")

    def drawn(seed: int) -> list[str]:
        """The sample of a run that is rolled back afterwards, so every run sees all 20."""
        savepoint = transaction.savepoint()
        run = invite(cast.voorbeeld, sample=5, seed=seed)
        transaction.savepoint_rollback(savepoint)
        assert run.batch is not None and run.batch.eligible == 20
        return sorted(link.contact_id for link in run.links)

    first = drawn(42)
    assert len(first) == 5 == len(set(first))
    assert drawn(42) == first and drawn(7) != first
    assert not SurveyInvitation.objects.exists()
    run = invite(cast.voorbeeld, sample=5, seed=42)
    assert sorted(link.contact_id for link in run.links) == first
    assert SurveyInvitation.objects.count() == 5
    rest = invite(cast.voorbeeld, sample=50).batch
    assert rest is not None and (rest.eligible, rest.invitation_count) == (15, 15)


def test_bad_arguments_are_refused(cast: Cast) -> None:
    add_contact(cast.voorbeeld, "p1")
    for kwargs in ({"sample": 0}, {"expires_in_days": 0}, {"expires_in_days": 366}):
        with pytest.raises(ValueError):
            invite(cast.voorbeeld, "phone", **kwargs)
    with pytest.raises(ValueError, match="channel"):
        invite(cast.voorbeeld, "counter")
    assert not SurveyInvitation.objects.exists()


# --- the page --------------------------------------------------------------------------------


def test_the_page_offers_phone_the_last_seven_days_and_fourteen_days(cast: Cast) -> None:
    response = client_for(cast.anouk).get(PAGE)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "channel": "phone", "date_from": dt.date(2026, 4, 17), "date_to": dt.date(2026, 4, 23),
        "expires_in_days": 14,
    }  # fmt: skip
    assert "Cache-Control" in response and "no-store" in response["Cache-Control"]


def test_the_download_has_a_working_link_per_contact(cast: Cast) -> None:
    add_contact(cast.voorbeeld, "p1")
    add_contact(cast.voorbeeld, "p2")
    response = post(client_for(cast.anouk), expires_in_days="10")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kto-links-phone-')
    assert response.content.decode().splitlines()[0] == "contact_id;link;expires_at"
    rows = rows_of(response.content)
    assert [r["contact_id"] for r in rows] == ["p1", "p2"]
    assert {r["expires_at"] for r in rows} == {"2026-05-04T12:00:00+02:00"}
    anonymous = Client()
    for row in rows:
        url = urlsplit(row["link"])
        assert (url.scheme, url.netloc) == ("http", "testserver")
        page = anonymous.get(url.path)
        assert page.status_code == 200 and 'type="radio"' in page.content.decode()
    batch = SurveyInvitationBatch.objects.get()
    assert (batch.created_by, batch.invitation_count) == (cast.anouk, 2)


def test_earlier_runs_are_listed_with_their_response_rate(cast: Cast) -> None:
    for cid in ("p1", "p2", "p3", "p4"):
        add_contact(cast.voorbeeld, cid)
    run = invite(cast.voorbeeld, actor=cast.anouk)
    assert run.batch is not None
    first = SurveyInvitation.objects.filter(batch=run.batch).first()
    assert first is not None
    survey_answer_submit(
        invitation=first, form=SurveyForm(grade=8, csat=4, answered_question=True, comment="")
    )
    response = client_for(cast.ada).get(PAGE)
    listed = list(response.context["page"].object_list)
    assert [(b.pk, b.invitation_count, b.answered) for b in listed] == [(run.batch.pk, 4, 1)]
    body = response.content.decode()
    assert "25 %" in body and "anouk" in body


def test_the_list_of_runs_takes_as_many_queries_for_one_run_as_for_many(cast: Cast) -> None:
    client = client_for(cast.anouk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured.captured_queries)

    add_contact(cast.voorbeeld, "p0")
    invite(cast.voorbeeld, actor=cast.anouk)
    one = queries()
    for i in range(1, 4):
        add_contact(cast.voorbeeld, f"p{i}")
        invite(cast.voorbeeld, actor=cast.ada if i % 2 else cast.anouk)
    assert SurveyInvitationBatch.objects.count() == 4 and queries() == one


def test_invalid_input_shows_errors_and_invites_no_one(cast: Cast) -> None:
    add_contact(cast.voorbeeld, "p1")
    client = client_for(cast.anouk)
    cases = [
        ({"date_from": "2026-04-23", "date_to": "2026-04-17"}, "date_to"),
        ({"date_from": "2025-01-01", "date_to": "2026-04-23"}, "date_to"),
        ({"expires_in_days": "0"}, "expires_in_days"),
        ({"expires_in_days": "400"}, "expires_in_days"),
        ({"sample": "0"}, "sample"),
        ({"sample": "veel"}, "sample"),
        ({"channel": "counter"}, "channel"),
        ({"date_from": ""}, "date_from"),
    ]
    for fields, field in cases:
        response = post(client, **fields)
        assert response.status_code == 200, fields
        assert list(response.context["form"].errors) == [field], fields
    assert not SurveyInvitation.objects.exists()


def test_no_contacts_in_the_period_gives_a_message_and_no_file(cast: Cast) -> None:
    add_contact(cast.voorbeeld, "gemist", outcome="abandoned")
    response = post(client_for(cast.anouk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["nothing_to_invite"] is True
    assert 'role="status"' in response.content.decode()
    assert not SurveyInvitationBatch.objects.exists()


@pytest.mark.parametrize("role", [Role.MUNICIPALITY_VIEWER, Role.TEAM_LEAD, Role.EMPLOYEE])
def test_other_roles_can_neither_see_nor_use_the_page(cast: Cast, role: Role) -> None:
    add_contact(cast.voorbeeld, "p1")
    client = client_for(cast.by_role()[role])
    assert client.get(PAGE).status_code == 403
    assert post(client).status_code == 403
    assert not SurveyInvitation.objects.exists()


def test_a_coach_of_another_organisation_sees_and_invites_only_their_own(cast: Cast) -> None:
    add_contact(cast.voorbeeld, "p1")
    invite(cast.voorbeeld, actor=cast.anouk)
    add_contact(cast.voorbeeld, "p2")
    coach = client_for(make_user("coach-anders", cast.anders, Role.QUALITY_COACH))
    page = coach.get(PAGE)
    assert page.status_code == 200 and list(page.context["page"].object_list) == []
    response = post(coach)
    assert response.context["nothing_to_invite"] is True
    assert SurveyInvitation.objects.filter(organisation=cast.anders).count() == 0
    assert SurveyInvitation.objects.filter(contact__contact_id="p2").count() == 0


def test_formula_like_contact_ids_stay_text_in_the_file(cast: Cast) -> None:
    add_contact(cast.voorbeeld, '=HYPERLINK("http://x.invalid")')
    add_contact(cast.voorbeeld, "+31201234567")
    add_contact(cast.voorbeeld, "@SUM(A1)")
    rows = rows_of(post(client_for(cast.anouk)).content)
    assert sorted(r["contact_id"] for r in rows) == [
        "'+31201234567", "'=HYPERLINK(\"http://x.invalid\")", "'@SUM(A1)",
    ]  # fmt: skip


# --- the command -----------------------------------------------------------------------------


def command(*args: str) -> None:
    call_command("survey-invitations", *args)


def base_args(output: Path, *extra: str) -> list[str]:
    return ["--org", "GM9801", "--channel", "phone", "--from", "2026-04-17",
            "--to", "2026-04-23", "--output", str(output), *extra]  # fmt: skip


def test_the_command_writes_the_links_and_reports_them_as_json(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(6):
        add_contact(cast.voorbeeld, f"c{i}")
    output = tmp_path / "links.csv"
    command(*base_args(output, "--sample", "4", "--seed", "3", "--expires-in-days", "7",
                       "--base-url", "https://meetlat.example.nl/", "--json"))  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert (result["invitations"], result["eligible"], result["seed"]) == (4, 6, 3)
    assert result["output"] == str(output)
    assert result["expires_at"] == "2026-05-01T12:00:00+02:00"
    assert output.stat().st_mode & 0o077 == 0  # the links are for the owner only
    rows = rows_of(output.read_bytes())
    assert len(rows) == 4 and {r["expires_at"] for r in rows} == {"2026-05-01T12:00:00+02:00"}
    for row in rows:
        assert row["link"].startswith("https://meetlat.example.nl/s/")
        assert Client().get(urlsplit(row["link"]).path).status_code == 200
    assert SurveyInvitationBatch.objects.get().seed == 3


def test_the_command_without_contacts_writes_no_file(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "links.csv"
    command(*base_args(output))
    assert "no file was written" in capsys.readouterr().out
    assert not output.exists() and not SurveyInvitationBatch.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--org", "GM0000"], "--org"),
        (["--channel", "counter"], "--channel"),
        (["--from", "24-04-2026"], "--from"),
        (["--to", "2026-04-01"], "--to"),
        (["--sample", "0"], "--sample"),
        (["--sample", "tien"], "--sample"),
        (["--expires-in-days", "0"], "--expires-in-days"),
        (["--base-url", "meetlat.example.nl"], "--base-url"),
        (["--output", "/no/such/folder/links.csv"], "--output"),
    ],
)
def test_bad_input_exits_2_and_invites_no_one(
    cast: Cast, tmp_path: Path, change: list[str], message: str
) -> None:
    add_contact(cast.voorbeeld, "p1")
    with pytest.raises(CommandError) as caught:
        command(*_with(base_args(tmp_path / "links.csv"), change))
    assert caught.value.returncode == 2 and message in str(caught.value)
    assert not SurveyInvitation.objects.exists()


def _with(args: list[str], change: list[str]) -> list[str]:
    """`args` with the option `change[0]` set to `change[1]` (added when not there)."""
    option, value = change
    if option in args:
        args = args.copy()
        args[args.index(option) + 1] = value
        return args
    return [*args, option, value]


def test_an_existing_output_file_is_never_overwritten(cast: Cast, tmp_path: Path) -> None:
    add_contact(cast.voorbeeld, "p1")
    output = tmp_path / "links.csv"
    output.write_text("earlier links")
    with pytest.raises(CommandError) as caught:
        command(*base_args(output))
    assert caught.value.returncode == 2 and output.read_text() == "earlier links"
    assert not SurveyInvitation.objects.exists()
