"""Finding and masking personal data in free text (METHODOLOGY.md §8, "PII and masking").

BSN (11-proef, via `calc.bsn`), IBAN (mod 97), Dutch phone numbers and e-mail addresses are
replaced by `[BSN]`, `[IBAN]`, `[TELEFOON]` and `[E-MAIL]` before a text is stored. A span
gives the type and offsets in the original text, never the value. The organisation's own
domains and numbers can be allow-listed.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from meetlat.calc.bsn import find_bsns

__all__ = ["MASKS", "PiiSpan", "find_pii", "is_valid_iban", "mask_pii"]

PiiType = Literal["bsn", "iban", "phone", "email"]
MASKS: Final[dict[PiiType, str]] = {
    "bsn": "[BSN]",
    "iban": "[IBAN]",
    "phone": "[TELEFOON]",
    "email": "[E-MAIL]",
}
_IBAN_CANDIDATE: Final = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])"
)
_IBAN_MIN: Final = 15
_EMAIL: Final = re.compile(
    r"(?<![\w.+-])[\w.+-]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+)"
)
#: 06…, 0 + area code, +31 or 0031 (optionally "(0)"), then nine digits; single spaces or
#: hyphens between digits; never inside a longer number or a time (01-02-2026 12:00).
_PHONE: Final = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[ -]?(?:\(0\)[ -]?)?|\(?0)(?:\d\)?[ -]?){8}\d(?![\d:]|[.,]\d)"
)


@dataclass(frozen=True)
class PiiSpan:
    """Where personal data was found: its type and offsets in the text, never the value."""

    type: PiiType
    start: int
    end: int


def is_valid_iban(text: str) -> bool:
    """True if `text` (spaces allowed) is an IBAN whose check digits give mod 97 = 1."""
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact):
        return False
    if compact.startswith("NL") and len(compact) != 18:
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    return int(digits) % 97 == 1


def _ibans(text: str) -> Iterable[PiiSpan]:
    """The longest valid IBAN at each candidate (a following word may have been swallowed)."""
    for found in _IBAN_CANDIDATE.finditer(text):
        value = found.group(0)
        for end in range(len(value), 0, -1):
            part = value[:end]
            if part.endswith(" ") or len(part.replace(" ", "")) < _IBAN_MIN:
                continue
            if is_valid_iban(part):
                yield PiiSpan("iban", found.start(), found.start() + end)
                break


def _domain_allowed(domain: str, allowed: Iterable[str]) -> bool:
    domain = domain.lower()
    return any(domain == a or domain.endswith("." + a) for a in allowed)


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0031"):
        return "0" + digits[4:].removeprefix("0")
    if digits.startswith("31") and text.lstrip().startswith("+"):
        return "0" + digits[2:].removeprefix("0")
    return digits


def find_pii(
    text: str,
    *,
    allow_domains: Iterable[str] = (),
    allow_phones: Iterable[str] = (),
) -> list[PiiSpan]:
    """Every BSN, IBAN, e-mail address and phone number in `text`, in order, not overlapping.

    `allow_domains` (e.g. `gemeente.nl`, subdomains included) and `allow_phones` (any
    spelling; compared on digits) are the organisation's own and are left alone.
    """
    domains = [d.strip().lower().lstrip("@") for d in allow_domains if d.strip()]
    phones = {_digits(p) for p in allow_phones if p.strip()}
    found: list[PiiSpan] = list(_ibans(text))
    found += [PiiSpan("bsn", m.start, m.end) for m in find_bsns(text)]
    found += [
        PiiSpan("email", m.start(), m.end())
        for m in _EMAIL.finditer(text)
        if not _domain_allowed(m.group(1), domains)
    ]
    found += [
        PiiSpan("phone", m.start(), m.end())
        for m in _PHONE.finditer(text)
        if _digits(m.group(0)) not in phones
    ]
    spans: list[PiiSpan] = []
    for span in found:  # earlier kinds win an overlap: an IBAN holds digits like a phone
        if all(span.end <= kept.start or span.start >= kept.end for kept in spans):
            spans.append(span)
    return sorted(spans, key=lambda s: s.start)


def mask_pii(
    text: str,
    *,
    allow_domains: Iterable[str] = (),
    allow_phones: Iterable[str] = (),
) -> tuple[str, list[PiiSpan]]:
    """The text with each piece of personal data replaced by its mask, and where they were."""
    spans = find_pii(text, allow_domains=allow_domains, allow_phones=allow_phones)
    parts: list[str] = []
    position = 0
    for span in spans:
        parts += [text[position : span.start], MASKS[span.type]]
        position = span.end
    parts.append(text[position:])
    return "".join(parts), spans
