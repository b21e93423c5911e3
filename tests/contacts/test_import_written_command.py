"""`meetlat import contacts --format eml|mbox|chat-json|survey-csv`: atomic and idempotent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from meetlat.contacts.models import Contact, ImportBatch, SurveyAnswer
from meetlat.contacts.services import contacts_import
from meetlat.organisations.models import Channel, ContactPoint, Organisation
from meetlat.organisations.services import organisation_create, pseudonym_hash
from tests.contacts.samples import KPI_ROWS, write_csv

SAMPLES = Path(__file__).resolve().parents[2] / "src/meetlat/contacts/importers"
MAILBOX = SAMPLES / "eml/samples/voorbeeld.mbox"
FOLDER = SAMPLES / "eml/samples/map"
CHATS = SAMPLES / "chat/samples/conversations.json"
KTO = SAMPLES / "survey/samples/kto.csv"
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def dorp(db: None) -> Organisation:
    return organisation_create(code="GM9990", name="Contractdorp")


def run(capsys: pytest.CaptureFixture[str], path: Path, fmt: str, *extra: str) -> dict[str, Any]:
    call_command("import", "contacts", str(path), "--org", "GM9990", "--format", fmt, *extra,
                 "--json")  # fmt: skip
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def counts(result: dict[str, Any]) -> tuple[int, int, int]:
    return result["rows"], result["imported"], result["duplicates"]


def test_an_mbox_imports_its_threads_once(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert counts(run(capsys, MAILBOX, "mbox", "--own-domain", "voorbeeld.nl")) == (6, 3, 0)
    assert counts(run(capsys, MAILBOX, "mbox", "--own-domain", "voorbeeld.nl")) == (6, 0, 3)
    thread = Contact.objects.get(contact_id="vraag-001@example.nl")
    assert thread.channel == "email" and thread.outcome == "answered"
    assert thread.acknowledged_at is not None and thread.term_notice_at is not None
    assert thread.subject_masked == "Vraag over mijn aanslag, BSN [BSN]"
    assert thread.customer_hash == pseudonym_hash(
        organisation=dorp, source_id="jan.jansen@example.nl"
    )
    stored = json.dumps(list(Contact.objects.values()), default=str)
    assert "111222333" not in stored and "jan.jansen" not in stored


def test_a_later_overlapping_export_adds_the_answer_to_an_open_thread(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    question = tmp_path / "vraag.eml"
    question.write_bytes((FOLDER / "01-vraag.eml").read_bytes())
    mail = ("--own-domain", "voorbeeld.nl", "--source", "postbus")
    assert counts(run(capsys, question, "eml", *mail)) == (1, 1, 0)
    thread = Contact.objects.get(contact_id="vraag-001@example.nl")
    assert thread.answered_at is None and thread.outcome == ""
    assert counts(run(capsys, MAILBOX, "mbox", *mail)) == (6, 2, 1)
    thread.refresh_from_db()
    assert thread.outcome == "answered" and thread.answered_at is not None
    assert thread.acknowledged_at is not None and thread.term_notice_at is not None
    assert counts(run(capsys, MAILBOX, "mbox", *mail)) == (6, 0, 3)


def test_a_folder_of_eml_files_takes_its_domains_from_the_contact_point(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ContactPoint.objects.create(
        organisation=dorp, name="Postbus", channel=Channel.EMAIL, address="info@voorbeeld.nl"
    )
    folder = tmp_path / "map"
    shutil.copytree(FOLDER, folder)
    assert counts(run(capsys, folder, "eml", "--contact-point", "Postbus")) == (6, 3, 0)
    assert counts(run(capsys, folder, "eml")) == (6, 0, 3)
    assert ImportBatch.objects.filter(format="eml").count() == 2
    assert set(Contact.objects.values_list("contact_point__name", flat=True)) == {"Postbus"}


def test_a_malformed_message_exits_2_naming_the_file_and_imports_nothing(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "map"
    shutil.copytree(FOLDER, folder)
    (folder / "07-kapot.eml").write_bytes(b"From: a@example.nl\nDate: gisteren\n\nhoi\n")
    with pytest.raises(CommandError) as caught:
        run(capsys, folder, "eml", "--own-domain", "voorbeeld.nl")
    assert caught.value.returncode == 2
    assert "07-kapot.eml: the Date header is not a date" in str(caught.value)
    assert not Contact.objects.exists()


def test_e_mail_without_known_domains_exits_2(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="--own-domain") as caught:
        run(capsys, MAILBOX, "mbox")
    assert caught.value.returncode == 2


def test_own_domains_apply_to_e_mail_formats_only(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="--own-domain: applies to --format eml or mbox"):
        run(capsys, CHATS, "chat-json", "--own-domain", "voorbeeld.nl")


def test_chat_json_imports_conversations_once(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert counts(run(capsys, CHATS, "chat-json")) == (3, 3, 0)
    assert counts(run(capsys, CHATS, "chat-json")) == (3, 0, 3)
    chat = Contact.objects.get(contact_id="chat-001")
    assert chat.first_response_at is not None and chat.channel == "chat"


def test_survey_answers_link_to_their_contact_and_import_once(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, write_csv(tmp_path, "calls.csv", KPI_ROWS), "csv")
    assert counts(run(capsys, KTO, "survey-csv")) == (4, 4, 0)
    assert counts(run(capsys, KTO, "survey-csv")) == (4, 0, 4)
    assert not Contact.objects.filter(contact_id__startswith="k").exists()
    first = SurveyAnswer.objects.get(answer_id="k001")
    assert first.contact == Contact.objects.get(contact_id="c01") and first.grade == 8
    second = SurveyAnswer.objects.get(answer_id="k002")
    assert second.comment_masked == "Bel mij terug op [TELEFOON], BSN [BSN]."
    assert SurveyAnswer.objects.get(answer_id="k003").contact is None


def test_a_survey_answer_out_of_range_exits_2_with_line_column_and_value(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kto.csv"
    path.write_text(KTO.read_text() + "k005,,phone,,2026-03-12T10:00:00+01:00,11,,,,\n")
    with pytest.raises(CommandError) as caught:
        run(capsys, path, "survey-csv")
    assert caught.value.returncode == 2
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 0 and out["errors"][0]["line"] == 6
    assert (out["errors"][0]["column"], out["errors"][0]["value"]) == ("grade", "11")
    assert not SurveyAnswer.objects.exists()


def test_a_survey_answer_id_with_another_time_is_a_conflict(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, KTO, "survey-csv")
    path = tmp_path / "kto.csv"
    path.write_text(KTO.read_text().replace("2026-03-10T10:00", "2026-03-10T10:30"))
    with pytest.raises(CommandError, match="answer_id was already imported"):
        run(capsys, path, "survey-csv")
    assert SurveyAnswer.objects.count() == 4


CHAT_ITEM = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", "", 7]),
        "channel": st.sampled_from(["chat", "whatsapp", "fax"]),
        "started_at": st.sampled_from(
            ["2026-04-24T15:30:00+02:00", "2026-04-24 16:10", "gisteren"]
        ),
        "messages": st.lists(
            st.fixed_dictionaries(
                {
                    "at": st.sampled_from(["2026-04-24T15:40:00+02:00", "nooit"]),
                    "from": st.sampled_from(["agent", "bot", "customer", "robot"]),
                },
                optional={"auto": st.sampled_from([True, False, "ja"])},
            ),
            max_size=3,
        ),
    }
)
KTO_ROW = st.tuples(
    st.sampled_from(["k1", "k2", "k3", ""]),
    st.sampled_from(["2026-03-10T10:00:00+01:00", "2026-03-11 09:30", "morgen"]),
    st.sampled_from(["", "1", "10", "11", "weet niet", "x"]),
    st.sampled_from(["", "ja", "nee", "misschien"]),
)


def import_whole_or_nothing(organisation: Organisation, data: bytes, fmt: str) -> None:
    """Import inside a savepoint and check that all or nothing was stored."""
    savepoint = transaction.savepoint()
    try:
        before = Contact.objects.count() + SurveyAnswer.objects.count()
        result = contacts_import(
            organisation=organisation, data=data, file_name="x", format_name=fmt, tz=AMS
        )
        stored = Contact.objects.count() + SurveyAnswer.objects.count() - before
        if result.ok:
            assert stored == result.imported
            event("imported")
        else:
            assert stored == 0 and result.imported == 0 and result.errors
    finally:
        transaction.savepoint_rollback(savepoint)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=st.lists(CHAT_ITEM, max_size=4), lines=st.booleans())
def test_any_chat_file_is_imported_whole_or_not_at_all(
    dorp: Organisation, items: list[dict[str, Any]], lines: bool
) -> None:
    data = "\n".join(json.dumps(i) for i in items) if lines else json.dumps(items)
    import_whole_or_nothing(dorp, data.encode(), "chat-json")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(KTO_ROW, max_size=4))
def test_any_survey_file_is_imported_whole_or_not_at_all(
    dorp: Organisation, rows: list[tuple[str, str, str, str]]
) -> None:
    body = "".join(f"{a},{t},{g},{q}\n" for a, t, g, q in rows)
    import_whole_or_nothing(
        dorp, f"answer_id,answered_at,grade,answered_question\n{body}".encode(), "survey-csv"
    )
