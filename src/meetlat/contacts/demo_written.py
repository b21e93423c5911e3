"""Demo e-mail threads, chat and WhatsApp conversations and KTO answers (fictional, seeded).

Next to the demo calls (`contacts.demo`), each demo municipality with a profile in `PROFILES`
gets six months of written contacts, generated in the formats a real export has and imported
through `contacts_import`, so they pass the same validation and land in the same KPIs:

- an **mbox** of e-mail threads: a citizen's message, mostly an automatic acknowledgement within
  minutes (`Auto-Submitted`), the answer from the municipality's own domain (`In-Reply-To`,
  `References`) mostly within two working days, some later with an automatic term notice, a few
  never; reminders and thank-you replies from citizens;
- **chat-json** conversations: a webchat during office hours (a bot greeting, a person mostly
  within minutes, some visitors leave first) and WhatsApp at any hour (evening messages wait for
  the next morning);
- **survey-csv** KTO answers for a few per cent of the answered calls, e-mails and chats,
  linked to the contact id; grades follow the wait.

Every text is invented: citizen addresses at `.example` domains, no names, no numbers that look
like a BSN, IBAN or phone number. Counter visits are not generated: the canonical CSV has no
channel column, so every row it reads is a call. Running it again changes nothing: each source
is skipped for an organisation that already has it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Final

from django.db import transaction

from meetlat.calc.calendar import AMSTERDAM, WorkCalendar
from meetlat.contacts.demo import DEMO_FROM, DEMO_SOURCE, DEMO_TO, SEED
from meetlat.contacts.demo_kto import AnsweredContact, ContactTimes, answered_contact, demo_kto_csv
from meetlat.contacts.models import Contact, SurveyAnswer
from meetlat.contacts.services import contacts_import
from meetlat.organisations.models import Organisation
from meetlat.organisations.selectors import calendar_for

MAIL_SOURCE: Final = "demo-mail"
CHAT_SOURCE: Final = "demo-chat"
KTO_SOURCE: Final = "demo-kto"
MAILBOX: Final = "Algemene mailbox"
WEBCHAT: Final = "Chat op de website"
WHATSAPP: Final = "WhatsApp"
CITIZEN_DOMAINS: Final = ("voorbeeld.example", "post.voorbeeld.example", "demo-mail.example")
QUIET_DAY: Final = 0.2
"""E-mail and WhatsApp volume on a weekend day, holiday or closing day (a working day = 1)."""


@dataclass(frozen=True)
class WrittenProfile:
    """How one demo municipality handles its written channels."""

    emails: int  # e-mails per working day
    chats: int  # webchats and WhatsApp conversations per working day
    # weights of the answer's working day after the receipt day: 0, 1, 2, 3–5, 6–15, never
    mail_lead: tuple[float, float, float, float, float, float]
    chat_wait_min: float  # median wait (office minutes) for a person in the webchat


PROFILES: Final[dict[str, WrittenProfile]] = {
    "GM9901": WrittenProfile(20, 14, (0.28, 0.34, 0.16, 0.11, 0.07, 0.04), 2.5),
    "GM9902": WrittenProfile(15, 10, (0.40, 0.33, 0.12, 0.08, 0.05, 0.02), 1.5),
}
#: Subjects per topic (the calls' topics), plain Dutch without numbers.
SUBJECTS: Final[dict[str, tuple[str, ...]]] = {
    "afval": ("Container niet geleegd", "Grofvuil laten ophalen", "Vraag over de afvalpas",
              "Kapotte container", "Afvalkalender"),
    "paspoort": ("Afspraak paspoort", "Paspoort verlopen", "Identiteitskaart aanvragen",
                 "Paspoort ophalen", "Spoedaanvraag paspoort"),
    "parkeren": ("Parkeervergunning aanvragen", "Bezoekersvergunning", "Vraag over parkeerboete",
                 "Gehandicaptenparkeerkaart", "Parkeren in mijn straat"),
    "belastingen": ("Vraag over mijn aanslag", "Bezwaar WOZ-waarde",
                    "Kwijtschelding gemeentelijke belastingen", "Betalingsregeling aanslag",
                    "Incasso gemeentelijke belastingen"),
    "WMO": ("Aanvraag huishoudelijke hulp", "Vraag over scootmobiel", "Wmo-melding",
            "Aanpassing in huis", "Vervoer met Wmo-pas"),
    "verhuizing": ("Verhuizing doorgeven", "Adreswijziging", "Inschrijving op nieuw adres",
                   "Verhuizing naar het buitenland", "Vraag over mijn inschrijving"),
    "overig": ("Vraag aan de gemeente", "Losliggende stoeptegel", "Klacht over de afhandeling",
               "Informatie gevraagd", "Melding openbare verlichting"),
}  # fmt: skip
TOPIC_SHARES: Final[dict[str, float]] = {
    "afval": 0.2, "paspoort": 0.15, "parkeren": 0.15, "belastingen": 0.18, "WMO": 0.12,
    "verhuizing": 0.1, "overig": 0.1,
}  # fmt: skip
TOPIC_OF_SUBJECT: Final = {s.lower(): topic for topic, ss in SUBJECTS.items() for s in ss}
_ANSWERS: Final[dict[str, str]] = {
    "afval": "De container wordt deze week alsnog geleegd.",
    "paspoort": "U kunt online een afspraak maken voor het aanvragen van uw paspoort.",
    "parkeren": "Uw aanvraag is in behandeling; u hoort van ons als de vergunning klaar is.",
    "belastingen": "Wij hebben uw aanslag bekeken. Hieronder leest u de uitleg.",
    "WMO": "Een consulent neemt contact met u op om een keukentafelgesprek te plannen.",
    "verhuizing": "Uw verhuizing is verwerkt in de basisregistratie.",
    "overig": "Dank voor uw bericht. Hieronder vindt u het antwoord op uw vraag.",
}
_MONTHS: Final = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                  "september", "oktober", "november", "december")  # fmt: skip
#: Relative arrival rate per local hour of messages that can come at any hour (e-mail, WhatsApp).
_ANY_HOUR: Final = (1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2.5, 5, 6, 6, 5.5, 4.5, 5, 5, 4.5, 4, 3.5,
                    3, 3.5, 4, 3.5, 2.5, 1.5)  # fmt: skip
_ANY_HOUR_CUM: Final = list(accumulate(_ANY_HOUR))
_HOURS: Final = range(24)
_REPLY_PREFIXES: Final = ("RE: ", "Re: ", "Antw: ")


# --- shared helpers -----------------------------------------------------------------------------


def _rng(code: str, part: str, seed: int) -> random.Random:
    return random.Random(f"{seed}-{code}-{part}")  # noqa: S311 - demo data, not security


def _days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    return [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def _volume(rng: random.Random, per_working_day: float, working: bool) -> int:
    expected = per_working_day * (1.0 if working else QUIET_DAY)
    return max(0, round(rng.gauss(expected, expected * 0.15)))


def _any_hour(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment on `day` at an hour people write (day and evening more than night)."""
    hour = rng.choices(_HOURS, cum_weights=_ANY_HOUR_CUM)[0]
    return dt.datetime.combine(
        day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=AMSTERDAM
    )


def _office_moment(rng: random.Random, day: dt.date, calendar: WorkCalendar) -> dt.datetime:
    """A moment in the office hours of `day`, busier in the morning."""
    opens = dt.datetime.combine(day, calendar.opens, tzinfo=AMSTERDAM)
    closes = dt.datetime.combine(day, calendar.closes, tzinfo=AMSTERDAM)
    span = (closes - opens).total_seconds()
    fraction = min(rng.betavariate(1.6, 2.0), 0.999)
    return opens + dt.timedelta(seconds=int(span * fraction))


def _topic(rng: random.Random) -> str:
    return rng.choices(list(TOPIC_SHARES), list(TOPIC_SHARES.values()))[0]


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(AMSTERDAM).isoformat(timespec="seconds")


# --- e-mail -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mail:
    message_id: str
    sent_at: dt.datetime
    sender: str
    to: str
    subject: str
    body: str
    refs: tuple[str, ...] = ()
    auto: str = ""  # the Auto-Submitted value of an automatic message


@dataclass
class _MailContext:
    code: str
    domain: str
    name: str
    calendar: WorkCalendar
    profile: WrittenProfile
    mails: list[_Mail] = field(default_factory=list)


def own_domain(code: str) -> str:
    """The demo municipality's own (fictional) e-mail domain."""
    return f"{code.lower()}.demo-gemeente.example"


def _citizen(rng: random.Random) -> str:
    kind = rng.choice(("inwoner", "bewoner", "mail", "contact"))
    return f"{kind}.{rng.randrange(4000):04d}@{rng.choice(CITIZEN_DOMAINS)}"


def _lead(rng: random.Random, weights: Sequence[float]) -> int | None:
    """Working days after the receipt day until the answer; None: never answered."""
    pick = rng.choices(range(6), weights)[0]
    if pick <= 2:
        return pick
    if pick == 3:
        return rng.randint(3, 5)
    return rng.randint(6, 15) if pick == 4 else None


def _answer_at(
    rng: random.Random, ctx: _MailContext, received: dt.datetime, lead: int
) -> dt.datetime:
    day = ctx.calendar.add_working_days(ctx.calendar.receipt_day(received), lead)
    earliest = received + dt.timedelta(minutes=rng.randrange(8, 90))
    return max(_office_moment(rng, day, ctx.calendar), earliest)


def _reply(
    ctx: _MailContext,
    original: _Mail,
    kind: str,
    sent_at: dt.datetime,
    *,
    subject: str,
    body: str,
    sender: str = "",
    auto: str = "",
) -> _Mail:
    """A message in reply to `original`: from the municipality (`sender` default kcc@) to the
    citizen, or from the citizen (`sender` outside the own domain) to the mailbox. `kind` names
    it in the Message-ID."""
    sender = sender or f"kcc@{ctx.domain}"
    outgoing = sender.endswith("@" + ctx.domain)
    citizen = original.sender if original.to.startswith("info@") else original.to
    return _Mail(
        message_id=f"{kind}.{original.message_id.partition('@')[0]}@{sender.partition('@')[2]}",
        sent_at=sent_at,
        sender=sender,
        to=citizen if outgoing else f"info@{ctx.domain}",
        subject=subject,
        body=body,
        refs=(*original.refs, original.message_id),
        auto=auto,
    )


def _acknowledgement(rng: random.Random, ctx: _MailContext, received: _Mail) -> _Mail:
    minutes = rng.uniform(0.05, 4) if rng.random() < 0.95 else rng.uniform(60, 180)
    body = (
        "Dit is een automatisch antwoord. Wij hebben uw bericht ontvangen en nemen het zo snel "
        f"mogelijk in behandeling.\n\nKlantcontactcentrum {ctx.name}"
    )
    return _reply(
        ctx,
        received,
        "ack",
        received.sent_at + dt.timedelta(minutes=minutes),
        sender=f"noreply@{ctx.domain}",
        subject=f"Automatisch antwoord: {received.subject}",
        body=body,
        auto="auto-replied",
    )


def _term_notice(
    rng: random.Random, ctx: _MailContext, received: _Mail, promised: dt.date
) -> _Mail:
    day = ctx.calendar.add_working_days(ctx.calendar.receipt_day(received.sent_at), 2)
    body = (
        "Uw vraag is doorgestuurd naar de vakafdeling. U ontvangt uiterlijk "
        f"{promised.day} {_MONTHS[promised.month - 1]} een antwoord.\n\n{ctx.name}"
    )
    return _reply(
        ctx,
        received,
        "termijn",
        _office_moment(rng, day, ctx.calendar),
        sender=f"zaken@{ctx.domain}",
        subject=f"Uw vraag is in behandeling: {received.subject}",
        body=body,
        auto="auto-generated",
    )


def _answer(
    rng: random.Random, ctx: _MailContext, received: _Mail, topic: str, at: dt.datetime
) -> _Mail:
    prefix = rng.choice(_REPLY_PREFIXES)
    body = (
        f"Geachte heer/mevrouw,\n\n{_ANSWERS[topic]}\n\nMet vriendelijke groet,\n\n"
        f"Klantcontactcentrum\n{ctx.name}"
    )
    return _reply(ctx, received, "antw", at, subject=prefix + received.subject, body=body)


def _citizen_reply(
    ctx: _MailContext, original: _Mail, kind: str, at: dt.datetime, citizen: str, body: str
) -> _Mail:
    subject = original.subject
    for prefix in _REPLY_PREFIXES:
        subject = subject.removeprefix(prefix)
    return _reply(ctx, original, kind, at, subject=f"Re: {subject}", body=body, sender=citizen)


def _thread(rng: random.Random, ctx: _MailContext, number: int, received_at: dt.datetime) -> None:
    """The messages of one thread, added to `ctx.mails`."""
    topic = _topic(rng)
    citizen = _citizen(rng)
    received = _Mail(
        message_id=f"v{number:05d}.{ctx.code.lower()}@{citizen.partition('@')[2]}",
        sent_at=received_at,
        sender=citizen,
        to=f"info@{ctx.domain}",
        subject=rng.choice(SUBJECTS[topic]),
        body="Geachte heer/mevrouw,\n\nIk heb een vraag. Kunt u mij helpen?\n\nMet groet",
    )
    ctx.mails.append(received)
    if rng.random() < 0.88:
        ctx.mails.append(_acknowledgement(rng, ctx, received))
    lead = _lead(rng, ctx.profile.mail_lead)
    receipt = ctx.calendar.receipt_day(received_at)
    if lead is None or lead >= 3:
        if rng.random() < 0.55:
            promised = ctx.calendar.add_working_days(receipt, max(lead or 10, 5))
            ctx.mails.append(_term_notice(rng, ctx, received, promised))
        if (lead is None or lead >= 6) and rng.random() < 0.3:
            day = ctx.calendar.add_working_days(receipt, 4)
            text = "Ik heb nog geen antwoord op mijn vraag gekregen."
            ctx.mails.append(
                _citizen_reply(ctx, received, "herinnering", _any_hour(rng, day), citizen, text)
            )
    if lead is None:
        return
    answer = _answer(rng, ctx, received, topic, _answer_at(rng, ctx, received_at, lead))
    ctx.mails.append(answer)
    if rng.random() < 0.08:
        thanks = answer.sent_at + dt.timedelta(hours=rng.uniform(0.5, 20))
        text = "Dank u wel voor het antwoord."
        ctx.mails.append(_citizen_reply(ctx, answer, "dank", thanks, citizen, text))


def _rendered(mail: _Mail) -> str:
    """One mbox message: the "From " line, the headers and the body."""
    lines = [
        f"From {mail.sender} {mail.sent_at.astimezone(dt.UTC):%a %b %d %H:%M:%S %Y}",
        f"Message-ID: <{mail.message_id}>",
        f"Date: {email.utils.format_datetime(mail.sent_at.astimezone(AMSTERDAM))}",
        f"From: {mail.sender}",
        f"To: {mail.to}",
        f"Subject: {mail.subject}",
    ]
    if mail.refs:
        lines.append(f"In-Reply-To: <{mail.refs[-1]}>")
        lines.append("References: " + " ".join(f"<{ref}>" for ref in mail.refs))
    if mail.auto:
        lines.append(f"Auto-Submitted: {mail.auto}")
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", mail.body, ""]
    return "\n".join(lines) + "\n"


def demo_mbox(
    *,
    code: str,
    name: str,
    calendar: WorkCalendar,
    date_from: dt.date = DEMO_FROM,
    date_to: dt.date = DEMO_TO,
    seed: int = SEED,
) -> bytes:
    """The mbox of one municipality's e-mail threads received in the period (same seed, same
    bytes), messages in order of sending."""
    rng = _rng(code, "mail", seed)
    ctx = _MailContext(code, own_domain(code), name, calendar, PROFILES[code])
    number = 0
    for day in _days(date_from, date_to):
        count = _volume(rng, ctx.profile.emails, calendar.is_working_day(day))
        for moment in sorted(_any_hour(rng, day) for _ in range(count)):
            number += 1
            _thread(rng, ctx, number, moment)
    ordered = sorted(ctx.mails, key=lambda m: (m.sent_at, m.message_id))
    return "".join(_rendered(mail) for mail in ordered).encode()


# --- chat and WhatsApp --------------------------------------------------------------------------


def _at(moment: dt.datetime, sender: str, *, auto: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {"at": _iso(moment), "from": sender}
    if auto:
        message["auto"] = True
    return message


def _talk(rng: random.Random, start: dt.datetime) -> tuple[list[dict[str, Any]], dt.datetime]:
    """The rest of a conversation after the first human response, and its last moment."""
    messages: list[dict[str, Any]] = []
    moment = start
    for turn in range(rng.randint(1, 4)):
        moment += dt.timedelta(seconds=rng.randint(20, 240))
        messages.append(_at(moment, "customer" if turn % 2 == 0 else "agent"))
    return messages, moment


def _first_response(
    rng: random.Random, calendar: WorkCalendar, started: dt.datetime, median_min: float
) -> dt.datetime:
    """The first human message: a wait in office time (so a late message waits overnight)."""
    minutes = rng.lognormvariate(math.log(median_min), 0.9)
    return calendar.add_office_hours(started, minutes / 60).astimezone(AMSTERDAM)


def _conversation(
    rng: random.Random,
    calendar: WorkCalendar,
    profile: WrittenProfile,
    started: dt.datetime,
    whatsapp: bool,
) -> dict[str, Any]:
    """One webchat (office hours only) or WhatsApp conversation (any hour)."""
    greeting = started + dt.timedelta(seconds=rng.randint(1, 4))
    messages = [_at(started, "customer"), _at(greeting, "bot")]
    if whatsapp and not calendar.is_office_time(started):
        messages.append(_at(greeting + dt.timedelta(seconds=2), "agent", auto=True))
    median = profile.chat_wait_min * (5 if whatsapp else 1)
    response = _first_response(rng, calendar, started, median)
    patience = dt.timedelta(minutes=rng.expovariate(1 / 45))
    leaves = not whatsapp and (response - started > patience or response.date() != started.date())
    if leaves or rng.random() < 0.01:  # the visitor left (or was never helped)
        closed = greeting + min(patience, dt.timedelta(hours=1))
        return {"messages": messages, "closed_at": _iso(closed)}
    rest, last = _talk(rng, response)
    closed = last + dt.timedelta(minutes=rng.randint(1, 10))
    return {"messages": [*messages, _at(response, "agent"), *rest], "closed_at": _iso(closed)}


def demo_conversations(
    *,
    code: str,
    calendar: WorkCalendar,
    date_from: dt.date = DEMO_FROM,
    date_to: dt.date = DEMO_TO,
    seed: int = SEED,
) -> bytes:
    """The chat-json (JSON lines) of one municipality's webchats and WhatsApp conversations
    (same seed, same bytes): about two in three by webchat, on working days; WhatsApp every
    day."""
    rng = _rng(code, "chat", seed)
    profile = PROFILES[code]
    conversations: list[dict[str, Any]] = []
    for day in _days(date_from, date_to):
        working = calendar.is_working_day(day)
        starts = [
            (_any_hour(rng, day), True) for _ in range(_volume(rng, profile.chats / 3, working))
        ]
        if working:
            chats = _volume(rng, profile.chats * 2 / 3, working)
            starts += [(_office_moment(rng, day, calendar), False) for _ in range(chats)]
        for started, whatsapp in sorted(starts):
            number = len(conversations) + 1
            conversations.append(
                {
                    "id": f"{'wa' if whatsapp else 'chat'}-{code.lower()}-{number:05d}",
                    "channel": "whatsapp" if whatsapp else "chat",
                    "started_at": _iso(started),
                    "contact_point": WHATSAPP if whatsapp else WEBCHAT,
                    "topic": _topic(rng),
                    "customer": f"{'wa' if whatsapp else 'bezoeker'}-{rng.randrange(3000):04d}",
                }
                | _conversation(rng, calendar, profile, started, whatsapp)
            )
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in conversations).encode()


# --- loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoWrittenResult:
    organisations: int
    emails: int
    conversations: int
    answers: int


def _answered_contacts(organisation: Organisation, calendar: WorkCalendar) -> list[AnsweredContact]:
    """The answered demo calls, e-mails and chats of an organisation, in a stable order."""
    rows = (
        Contact.objects.filter(
            organisation=organisation,
            source__in=[DEMO_SOURCE, MAIL_SOURCE, CHAT_SOURCE],
            outcome="answered",
        )
        .order_by("started_at", "contact_id")
        .values_list(
            "contact_id", "channel", "topic", "subject_masked", "resolved_first_contact",
            "started_at", "wait_s", "handle_s", "answered_at", "first_response_at",
        )
    )  # fmt: skip
    return [
        answered_contact(
            calendar,
            contact_id=contact_id,
            channel=channel,
            topic=topic or TOPIC_OF_SUBJECT.get(subject.lower(), ""),
            times=ContactTimes(started, wait_s, handle_s, answered_at, first_response_at),
            resolved=resolved,
        )
        for (
            contact_id,
            channel,
            topic,
            subject,
            resolved,
            started,
            wait_s,
            handle_s,
            answered_at,
            first_response_at,
        ) in rows
    ]


def _import(
    organisation: Organisation,
    data: bytes,
    *,
    format_name: str,
    source: str,
    file_name: str,
    own_domains: Sequence[str] = (),
    default_contact_point: str = "",
) -> int:
    """Import one generated demo file; it must pass the importer's validation."""
    result = contacts_import(
        organisation=organisation,
        data=data,
        file_name=f"demo-{organisation.code.lower()}-{file_name}",
        format_name=format_name,
        tz=AMSTERDAM,
        source=source,
        own_domains=own_domains,
        default_contact_point=default_contact_point,
    )
    if not result.ok:
        raise ValueError(f"demo {source} of {organisation.code} does not import: {result.errors}")
    return result.imported


def _has_contacts(organisation: Organisation, source: str) -> bool:
    return Contact.objects.filter(organisation=organisation, source=source).exists()


@transaction.atomic
def demo_written_load(
    *, organisations: list[Organisation], date_from: dt.date = DEMO_FROM, date_to: dt.date = DEMO_TO
) -> DemoWrittenResult:
    """Import the demo e-mails, chats and KTO answers of every organisation with a profile in
    PROFILES; a source an organisation has already is skipped (idempotent)."""
    emails = conversations = answers = done = 0
    for organisation in organisations:
        code = organisation.code
        if code not in PROFILES:
            continue
        done += 1
        calendar = calendar_for(organisation=organisation)
        if not _has_contacts(organisation, MAIL_SOURCE):
            mbox = demo_mbox(
                code=code,
                name=organisation.name,
                calendar=calendar,
                date_from=date_from,
                date_to=date_to,
            )
            emails += _import(
                organisation, mbox, format_name="mbox", source=MAIL_SOURCE,
                file_name="mailbox.mbox", own_domains=[own_domain(code)],
                default_contact_point=MAILBOX,
            )  # fmt: skip
        if not _has_contacts(organisation, CHAT_SOURCE):
            chats = demo_conversations(
                code=code, calendar=calendar, date_from=date_from, date_to=date_to
            )
            conversations += _import(
                organisation, chats, format_name="chat-json", source=CHAT_SOURCE,
                file_name="chats.json",
            )  # fmt: skip
        if not SurveyAnswer.objects.filter(organisation=organisation, source=KTO_SOURCE).exists():
            kto = demo_kto_csv(code=code, contacts=_answered_contacts(organisation, calendar))
            answers += _import(
                organisation, kto, format_name="survey-csv", source=KTO_SOURCE,
                file_name="kto.csv",
            )  # fmt: skip
    return DemoWrittenResult(done, emails, conversations, answers)
