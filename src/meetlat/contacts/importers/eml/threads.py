"""E-mail messages grouped into threads, and each thread as one contact (METHODOLOGY.md §4.3).

Threads follow Message-ID, In-Reply-To and References. A reply (subject "Re:", "Antw:" …)
without those headers joins the latest earlier thread with the same normalised subject and
citizen address. In a thread, the first incoming message is the receipt; after it, the first
automatic reply is the acknowledgement and the first other outgoing message the answer; a
message stating a term ("binnen 5 werkdagen", "uiterlijk 12 mei") before the answer is the term
notice. A thread without an incoming message (sent by the organisation) is no contact.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

from meetlat.calc.pii import mask_pii
from meetlat.contacts.importers.base import ParsedContact
from meetlat.contacts.importers.eml.message import Mail, normalised_subject
from meetlat.contacts.importers.events import CONTACT_ID_MAX, contact_of

__all__ = ["thread_contacts", "threads"]

SUBJECT_MAX: Final = 200


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def threads(mails: Sequence[Mail], own_domains: tuple[str, ...]) -> list[list[Mail]]:
    """The threads, each in time order; threads in order of their first message."""
    union = _Union()
    for mail in mails:
        union.find(mail.message_id)
        for ref in mail.refs:
            union.join(ref, mail.message_id)
    latest: dict[tuple[str, str], str] = {}
    for mail in sorted(mails, key=lambda m: (m.sent_at, m.index)):
        key = (normalised_subject(mail.subject).lower(), mail.citizen(own_domains))
        if not mail.refs and mail.is_reply and key in latest and key[0]:
            union.join(mail.message_id, latest[key])
        latest[key] = mail.message_id
    groups: dict[str, list[Mail]] = defaultdict(list)
    for mail in mails:
        groups[union.find(mail.message_id)].append(mail)
    ordered = [sorted(group, key=lambda m: (m.sent_at, m.index)) for group in groups.values()]
    return sorted(ordered, key=lambda g: (g[0].sent_at, g[0].index))


def _root_id(first: Mail) -> str:
    root = first.refs[0] if first.refs else first.message_id
    if len(root) <= CONTACT_ID_MAX:
        return root
    return "sha256:" + hashlib.sha256(root.encode()).hexdigest()


def _first(mails: Iterable[Mail]) -> Mail | None:
    return next(iter(mails), None)


def thread_contact(
    thread: Sequence[Mail], own_domains: tuple[str, ...], contact_point: str
) -> ParsedContact | None:
    """The contact of one thread (in time order), or None without an incoming message."""
    received = _first(m for m in thread if not m.outgoing)
    if received is None:
        return None
    after = [m for m in thread if m.outgoing and m.sent_at >= received.sent_at]
    ack = _first(m for m in after if m.auto)
    answer = _first(m for m in after if not m.auto)
    notice = _first(
        m
        for m in after
        if m.term and m is not answer and (answer is None or m.sent_at <= answer.sent_at)
    )
    subject = mask_pii(normalised_subject(received.subject), allow_domains=own_domains)[0]
    return contact_of(
        line=thread[0].line,
        contact_id=_root_id(thread[0]),
        channel="email",
        started_at=received.sent_at,
        contact_point=contact_point,
        customer=received.sender,
        answered=answer is not None,
        acknowledged_at=ack.sent_at if ack else None,
        answered_at=answer.sent_at if answer else None,
        term_notice_at=notice.sent_at if notice else None,
        subject_masked=subject[:SUBJECT_MAX],
    )


def thread_contacts(
    mails: Sequence[Mail], own_domains: tuple[str, ...], contact_point: str
) -> list[ParsedContact]:
    contacts = (thread_contact(t, own_domains, contact_point) for t in threads(mails, own_domains))
    return [c for c in contacts if c is not None]
