"""One e-mail message read for its headers and signals only; the body is never kept.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.message
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass
from typing import Final

from meetlat.calc.mailsignals import autoreply_evidence, term_stated

__all__ = ["Mail", "MailError", "normalised_subject", "read_mail"]

_ID: Final = re.compile(r"<([^<>\s]+)>")
_REPLY_PREFIX: Final = re.compile(
    r"^\s*(?:(?:re|antw|aw|fw|fwd|wg|doorst|tr|sv)\s*(?:\[\d+\])?\s*:\s*)+", re.I
)
_TAG: Final = re.compile(r"<[^>]*>")
SIGNAL_TEXT_MAX: Final = 20_000
"""Only the start of a body is searched for the autoreply and term phrases."""


class MailError(ValueError):
    """A message cannot be used: names the header (`column`), the value and why."""

    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.value = value
        self.message = message


@dataclass(frozen=True)
class Mail:
    """What the importer needs of one message. `where` names it in problems."""

    index: int
    line: int
    where: str
    message_id: str
    refs: tuple[str, ...]  # References (oldest first), then In-Reply-To
    sent_at: dt.datetime  # aware, UTC
    sender: str
    recipients: tuple[str, ...]
    subject: str
    outgoing: bool
    auto: bool
    term: bool

    @property
    def is_reply(self) -> bool:
        return bool(_REPLY_PREFIX.match(self.subject))

    def citizen(self, own_domains: tuple[str, ...]) -> str:
        """The citizen's address: the sender of an incoming message, else the first outside
        recipient."""
        if not self.outgoing:
            return self.sender
        outside = [r for r in self.recipients if not is_own(r, own_domains)]
        return outside[0] if outside else ""


def normalised_subject(subject: str) -> str:
    """The subject without reply and forward prefixes (Re:, Antw:, Fw:, Doorst: …)."""
    return " ".join(_REPLY_PREFIX.sub("", subject).split())


def is_own(address: str, own_domains: tuple[str, ...]) -> bool:
    domain = address.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in own_domains)


def _header(message: email.message.Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    try:
        return str(email.header.make_header(email.header.decode_header(str(value))))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        return str(value)


def _ids(value: str) -> list[str]:
    return _ID.findall(value)


def _sent_at(message: email.message.Message, tz: dt.tzinfo) -> dt.datetime:
    value = _header(message, "Date").strip()
    if not value:
        raise MailError("Date", "", "the Date header is missing.")
    try:
        sent = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        raise MailError("Date", value, "the Date header is not a date.") from None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=tz)
    try:
        return sent.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise MailError("Date", value, "the Date header is out of range.") from None


def _body_text(message: email.message.Message) -> str:
    """The first text part, for the signal phrases only (decoded leniently, cut short)."""
    for part in message.walk():
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            text = payload[: SIGNAL_TEXT_MAX * 4].decode(charset, errors="replace")
        except LookupError:
            text = payload[: SIGNAL_TEXT_MAX * 4].decode("utf-8", errors="replace")
        if part.get_content_subtype() == "html":
            text = _TAG.sub(" ", text)
        return text[:SIGNAL_TEXT_MAX]
    return ""


def read_mail(
    raw: bytes, *, index: int, line: int, where: str, own_domains: tuple[str, ...], tz: dt.tzinfo
) -> Mail:
    """The headers and signals of one message; raises MailError when it cannot be used."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not message.keys():
        raise MailError("", "", "this is not an e-mail message (no headers found).")
    name, sender = email.utils.parseaddr(_header(message, "From"))
    if "@" not in sender:
        raise MailError("From", _header(message, "From"), "the From header has no e-mail address.")
    sender = sender.strip().lower()
    sent_at = _sent_at(message, tz)
    subject = _header(message, "Subject").strip()
    recipients = tuple(
        address.strip().lower()
        for _name, address in email.utils.getaddresses(
            [_header(message, "To"), _header(message, "Cc")]
        )
        if "@" in address
    )
    own_ids = _ids(_header(message, "Message-ID"))
    message_id = own_ids[0] if own_ids else _made_up_id(sent_at, sender, subject)
    refs = [*_ids(_header(message, "References")), *_ids(_header(message, "In-Reply-To"))]
    headers = {key.lower(): _header(message, key) for key in message.keys()}
    text = f"{subject}\n{_body_text(message)}"
    return Mail(
        index=index,
        line=line,
        where=where,
        message_id=message_id,
        refs=tuple(dict.fromkeys(r for r in refs if r != message_id)),
        sent_at=sent_at,
        sender=sender,
        recipients=recipients,
        subject=subject,
        outgoing=is_own(sender, own_domains),
        auto=autoreply_evidence(headers, text) is not None,
        term=term_stated(text) is not None,
    )


def _made_up_id(sent_at: dt.datetime, sender: str, subject: str) -> str:
    """A stable id for a message without Message-ID: the same message gives the same id."""
    key = f"{sent_at.isoformat()}|{sender}|{subject}".encode()
    return "sha256:" + hashlib.sha256(key).hexdigest()[:40]
