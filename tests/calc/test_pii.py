"""PII detection and masking (METHODOLOGY.md §8): BSN, IBAN, phone, e-mail."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc.pii import MASKS, find_pii, is_valid_iban, mask_pii


def kinds(text: str, **allow: list[str]) -> list[str]:
    return [span.type for span in find_pii(text, **allow)]


def test_the_test_bsn_111222333_passes_the_11_proef_and_is_masked() -> None:
    masked, spans = mask_pii("Mijn BSN is 111222333.")
    assert masked == "Mijn BSN is [BSN]."
    assert [(s.type, s.start, s.end) for s in spans] == [("bsn", 12, 21)]


@pytest.mark.parametrize("text", ["111 222 333", "1112.22.333", "111.222.333"])
def test_grouped_bsns_are_found(text: str) -> None:
    assert mask_pii(f"bsn {text}")[0] == "bsn [BSN]"


@pytest.mark.parametrize("text", ["111222334", "000000000", "1112223330", "order 9111222333"])
def test_numbers_failing_the_11_proef_or_inside_longer_numbers_are_left_alone(
    text: str,
) -> None:
    assert "bsn" not in kinds(text)


def test_the_iban_nl76meet0123456789_passes_mod_97_also_with_spaces() -> None:
    assert is_valid_iban("NL76MEET0123456789")
    assert is_valid_iban("NL76 MEET 0123 4567 89")
    assert mask_pii("Rekening NL76 MEET 0123 4567 89 graag.")[0] == "Rekening [IBAN] graag."
    assert mask_pii("Rekening nl76meet0123456789")[0] == "Rekening [IBAN]"


@pytest.mark.parametrize("text", ["NL77MEET0123456789", "NL76MEET012345678", "XX00"])
def test_ibans_with_wrong_check_digits_or_length_are_not_ibans(text: str) -> None:
    assert not is_valid_iban(text)
    assert "iban" not in kinds(text)


def test_the_digits_of_an_iban_are_not_also_a_phone_number() -> None:
    assert kinds("NL76MEET0123456789") == ["iban"]


@pytest.mark.parametrize(
    "phone",
    [
        "0612345678",
        "06-12345678",
        "06 1234 5678",
        "020-1234567",
        "(020) 123 4567",
        "+31 6 12345678",
        "+31 (0)20 123 4567",
        "0031 6 12 34 56 78",
    ],
)
def test_dutch_phone_numbers_are_masked(phone: str) -> None:
    assert mask_pii(f"Bel {phone} terug.")[0] == "Bel [TELEFOON] terug."


@pytest.mark.parametrize("text", ["op 01-02-2026 12:00", "nummer 14 050", "123456789012"])
def test_dates_with_times_service_numbers_and_long_numbers_are_not_phones(text: str) -> None:
    assert "phone" not in kinds(text)


def test_email_addresses_are_masked_except_the_organisations_own_domains() -> None:
    text = "Van jan.jansen+kto@example.nl aan info@voorbeeld.nl en kcc@post.voorbeeld.nl"
    masked, spans = mask_pii(text, allow_domains=["voorbeeld.nl"])
    assert masked == "Van [E-MAIL] aan info@voorbeeld.nl en kcc@post.voorbeeld.nl"
    assert [s.type for s in spans] == ["email"]


def test_the_organisations_own_number_is_allow_listed() -> None:
    masked, _spans = mask_pii("Bel 020-1234567 of 0612345678", allow_phones=["+31 20 123 4567"])
    assert masked == "Bel 020-1234567 of [TELEFOON]"


def test_spans_give_offsets_in_the_original_text_never_the_value() -> None:
    text = "BSN 111222333, mail a@b.nl"
    spans = find_pii(text)
    assert [text[s.start : s.end] for s in spans] == ["111222333", "a@b.nl"]
    assert all(set(vars(s)) == {"type", "start", "end"} for s in spans)


@given(st.text(alphabet="0123456789 .-+()@abcNLMET", max_size=60))
def test_masking_leaves_no_bsn_or_iban_and_spans_never_overlap(text: str) -> None:
    spans = find_pii(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    masked, _ = mask_pii(text)
    unmasked = re.sub("|".join(re.escape(m) for m in MASKS.values()), " ", masked)
    assert not [s for s in find_pii(unmasked) if s.type in {"bsn", "iban"}]
