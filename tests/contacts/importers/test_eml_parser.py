"""E-mail threads (`eml`, `mbox`): receipt, acknowledgement, term notice, answer; pure."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from meetlat.calc.mailsignals import autoreply_evidence, term_stated
from meetlat.contacts.importers.base import ParsedContact, ParseResult
from meetlat.contacts.importers.eml.folder import folder_archive
from meetlat.contacts.importers.eml.parser import parse_eml, parse_mbox

SAMPLES = Path(__file__).resolve().parents[3] / "src/meetlat/contacts/importers/eml/samples"
OWN = ["voorbeeld.nl"]


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def mail(
    mid: str, date: str, sender: str, subject: str, body: str = "Tekst.", **headers: str
) -> bytes:
    lines = [f"Message-ID: <{mid}>", f"Date: {date}", f"From: {sender}", "To: x@example.nl"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    lines += [f"Subject: {subject}", "", body, ""]
    return "\n".join(lines).encode()


def mbox(*messages: bytes) -> bytes:
    return b"".join(b"From sender Thu Apr 30 12:00:00 2026\n" + m + b"\n" for m in messages)


def by_id(result: ParseResult) -> dict[str, ParsedContact]:
    assert result.ok, result.errors
    return {c.contact_id: c for c in result.contacts}


def test_the_sample_mbox_gives_three_threads_with_ack_term_notice_and_answer() -> None:
    result = parse_mbox((SAMPLES / "voorbeeld.mbox").read_bytes(), own_domains=OWN)
    assert result.ok and result.rows == 6 and len(result.contacts) == 3
    first, afval, open_ = result.contacts
    assert first.contact_id == "vraag-001@example.nl" and first.channel == "email"
    assert first.started_at == utc("2026-04-24T14:00:00+02:00")
    assert first.acknowledged_at == utc("2026-04-24T14:00:30+02:00")
    assert first.term_notice_at == utc("2026-04-24T14:00:30+02:00")
    assert first.answered_at == utc("2026-04-27T10:00:00+02:00")
    assert first.outcome == "answered" and first.customer == "jan.jansen@example.nl"
    assert first.subject_masked == "Vraag over mijn aanslag, BSN [BSN]"
    assert (first.local_date, first.local_hour) == (dt.date(2026, 4, 24), 14)
    # "Antw:" without In-Reply-To joins by subject and citizen address
    assert afval.contact_id == "afval-002@example.org"
    assert afval.answered_at == utc("2026-04-28T11:15:00+02:00") and afval.acknowledged_at is None
    assert open_.answered_at is None and open_.outcome == ""


def test_a_folder_imports_as_one_deterministic_archive_with_the_same_threads() -> None:
    archive = folder_archive(SAMPLES / "map")
    assert archive == folder_archive(SAMPLES / "map")
    from_folder = parse_eml(archive, own_domains=OWN)
    from_mbox = parse_mbox((SAMPLES / "voorbeeld.mbox").read_bytes(), own_domains=OWN)
    assert from_folder.ok and from_folder.rows == 6
    without_line = [c._replace(line=0) for c in from_folder.contacts]
    assert without_line == [c._replace(line=0) for c in from_mbox.contacts]


def test_a_single_eml_file_is_one_thread() -> None:
    result = parse_eml((SAMPLES / "map" / "01-vraag.eml").read_bytes(), own_domains=OWN)
    assert [c.contact_id for c in by_id(result).values()] == ["vraag-001@example.nl"]


def test_a_reply_whose_root_is_not_in_the_file_keeps_the_roots_id() -> None:
    question = mail("q2@example.nl", "Mon, 4 May 2026 09:00:00 +0200", "a@example.nl", "Vraag",
                    In_Reply_To="<q1@example.nl>", References="<q1@example.nl>")  # fmt: skip
    result = parse_mbox(mbox(question), own_domains=OWN)
    assert list(by_id(result)) == ["q1@example.nl"]


def test_a_human_message_stating_a_term_after_the_answer_is_no_term_notice() -> None:
    question = mail("q@example.nl", "Mon, 4 May 2026 09:00:00 +0200", "a@example.nl", "Vraag")
    body = "U krijgt de pas binnen 5 werkdagen."
    answer = mail("a@voorbeeld.nl", "Mon, 4 May 2026 10:00:00 +0200", "kcc@voorbeeld.nl",
                  "Re: Vraag", body, In_Reply_To="<q@example.nl>")  # fmt: skip
    contact = parse_mbox(mbox(question, answer), own_domains=OWN).contacts[0]
    assert contact.answered_at == utc("2026-05-04T10:00:00+02:00")
    assert contact.term_notice_at is None and contact.acknowledged_at is None


def test_outgoing_messages_before_the_first_incoming_one_do_not_count() -> None:
    sent = mail("o@voorbeeld.nl", "Mon, 4 May 2026 08:00:00 +0200", "kcc@voorbeeld.nl", "Info")
    reply = mail("r@example.nl", "Mon, 4 May 2026 09:00:00 +0200", "a@example.nl", "Re: Info",
                 In_Reply_To="<o@voorbeeld.nl>")  # fmt: skip
    contact = parse_mbox(mbox(sent, reply), own_domains=OWN).contacts[0]
    assert contact.contact_id == "o@voorbeeld.nl"
    assert contact.started_at == utc("2026-05-04T09:00:00+02:00") and contact.answered_at is None


def test_a_thread_without_incoming_messages_is_no_contact() -> None:
    sent = mail("o@voorbeeld.nl", "Mon, 4 May 2026 08:00:00 +0200", "kcc@voorbeeld.nl", "Info")
    result = parse_mbox(mbox(sent), own_domains=OWN)
    assert result.ok and result.rows == 1 and result.contacts == ()


def test_a_malformed_message_in_an_mbox_names_its_number_and_line() -> None:
    good = mail("q@example.nl", "Mon, 4 May 2026 09:00:00 +0200", "a@example.nl", "Vraag")
    bad = mail("b@example.nl", "gisteren", "a@example.nl", "Vraag")
    result = parse_mbox(mbox(good, bad), own_domains=OWN)
    assert not result.ok and result.contacts == ()
    error = result.errors[0]
    assert (error.line, error.column, error.value) == (10, "Date", "gisteren")
    assert error.message.startswith("message 2 (line 10): the Date header is not a date")


def test_a_malformed_file_in_a_folder_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(
        mail("q@example.nl", "Mon, 4 May 2026 09:00:00 +0200", "a@example.nl", "Vraag")
    )
    (tmp_path / "kapot.eml").write_bytes(b"Date: Mon, 4 May 2026 09:00:00 +0200\n\nhoi\n")
    result = parse_eml(folder_archive(tmp_path), own_domains=OWN)
    assert [e.message for e in result.errors] == [
        "kapot.eml: the From header has no e-mail address."
    ]


def test_without_own_domains_the_parser_asks_for_them() -> None:
    result = parse_mbox((SAMPLES / "voorbeeld.mbox").read_bytes())
    assert not result.ok and "--own-domain" in result.errors[0].message


def test_text_before_the_first_from_line_is_not_an_mbox() -> None:
    result = parse_mbox(b"Subject: hoi\n\nFrom x\n", own_domains=OWN)
    assert (
        result.errors[0].message == "this is not an mbox file: it must start with a 'From ' line."
    )


def test_autoreply_headers_and_phrases_are_recognised() -> None:
    assert autoreply_evidence({"auto-submitted": "auto-replied"}, "") is not None
    assert autoreply_evidence({"auto-submitted": "no"}, "Antwoord") is None
    assert autoreply_evidence({"x-autoreply": "yes"}, "") == "X-Autoreply"
    assert autoreply_evidence({"precedence": "auto_reply"}, "") is not None
    assert autoreply_evidence({}, "Ik ben afwezig tot 5 mei.") == "afwezig"
    assert autoreply_evidence({}, "Dit is een automatisch antwoord.") == "automatisch antwoord"


def test_terms_in_working_days_and_dates_are_recognised() -> None:
    assert term_stated("U krijgt binnen 5 werkdagen antwoord.") == "binnen 5 werkdagen"
    assert term_stated("uiterlijk 12 mei ontvangt u") == "uiterlijk 12 mei"
    assert term_stated("voor vrijdag 8-5-2026") == "voor vrijdag 8-5-2026"
    assert term_stated("Met vriendelijke groet") is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_junk_bytes_give_problems_or_contacts_never_both_and_never_an_exception(
    junk: bytes,
) -> None:
    for parse in (parse_eml, parse_mbox):
        result = parse(junk, own_domains=OWN)
        assert result.ok == (result.errors == ())
        assert not (result.errors and result.contacts)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=6), st.sampled_from([b"From x\n", b""]))
def test_junk_headers_give_problems_or_contacts_never_both(lines: list[str], prefix: bytes) -> None:
    data = prefix + "\n".join(lines).encode("utf-8", "surrogatepass")
    for parse in (parse_eml, parse_mbox):
        result = parse(data, own_domains=OWN)
        assert not (result.errors and result.contacts)


def test_a_broken_zip_is_a_clean_problem() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "geen e-mail")
    result = parse_eml(buffer.getvalue(), own_domains=OWN)
    assert result.errors[0].message == "the archive holds no .eml files."
    assert not parse_eml(b"PK\x03\x04kapot", own_domains=OWN).ok
