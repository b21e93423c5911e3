"""Chat, WhatsApp and social conversations (`chat-json`): first human response; pure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from meetlat.contacts.importers.chat.parser import parse

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "src/meetlat/contacts/importers/chat/samples/conversations.json"
)


def conversation(**fields: Any) -> dict[str, Any]:
    return {
        "id": "c1",
        "channel": "chat",
        "started_at": "2026-04-24T15:30:00+02:00",
        "messages": [],
        **fields,
    }


def test_the_sample_gives_three_conversations_with_their_first_human_response() -> None:
    result = parse(SAMPLE.read_bytes())
    assert result.ok and result.rows == 3
    chat, whatsapp, social = result.contacts
    assert (chat.contact_id, chat.channel, chat.topic, chat.contact_point) == (
        "chat-001", "chat", "afval", "Webchat",
    )  # fmt: skip
    # the bot and the automatic agent message do not count
    assert chat.first_response_at == dt.datetime(2026, 4, 24, 13, 42, tzinfo=dt.UTC)
    assert chat.outcome == "answered" and chat.customer == "bezoeker-17"
    assert whatsapp.first_response_at is None and whatsapp.outcome == ""
    assert whatsapp.started_at == dt.datetime(2026, 4, 24, 14, 10, tzinfo=dt.UTC)  # read in --tz
    assert social.channel == "social" and social.first_response_at is not None


def test_json_lines_work_like_an_array_and_name_physical_lines() -> None:
    lines = [json.dumps(conversation(id=f"c{n}")) for n in range(3)]
    result = parse("\n\n".join(lines).encode())
    assert result.ok and [c.line for c in result.contacts] == [1, 3, 5]


def test_problems_name_line_element_and_field() -> None:
    items = [
        conversation(),
        conversation(id="c2", channel="fax"),
        conversation(id="c3", messages=[{"at": "2026-04-24T15:31:00+02:00", "from": "robot"}]),
    ]
    data = ("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]").encode()
    result = parse(data)
    assert not result.ok and result.contacts == ()
    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (3, "channel", "fax"),
        (4, "messages[0].from", "robot"),
    ]
    assert (
        result.errors[0].message == "conversation 2: channel must be one of chat, whatsapp, social."
    )


def test_an_id_twice_and_a_bad_time_are_problems() -> None:
    items = [conversation(), conversation(), conversation(id="c3", started_at="gisteren")]
    result = parse(json.dumps(items).encode())
    assert [e.column for e in result.errors] == ["id", "started_at"]


def test_broken_json_is_a_clean_problem_with_its_line() -> None:
    result = parse(b'[\n{"id": "c1",\n "channel": chat}\n]')
    assert not result.ok and result.errors[0].line == 3


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_junk_gives_problems_or_contacts_never_both(junk: bytes) -> None:
    result = parse(junk)
    assert result.ok == (result.errors == ())
    assert not (result.errors and result.contacts)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(
    st.sampled_from(["id", "channel", "started_at", "messages", "topic", "customer", "closed_at"]),
    json_values, max_size=7), max_size=4))  # fmt: skip
def test_junk_conversations_give_problems_or_contacts_never_both(items: list[Any]) -> None:
    result = parse(json.dumps(items).encode())
    assert not (result.errors and result.contacts)
