"""The keep / improve items of METHODOLOGY.md §3 as a table of small predicates.

A question item says to which questions it applies (``applies_to``) and when such a question
meets it (``met``). Single-value items (15, 20, 22, 23) hold one yes/no per municipality.
Labels are the keep wording, advice the improve wording, both in formal Dutch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.scoring import (
    ANSWER_CUTOFF_DAYS,
    WRITTEN_CHANNELS,
    Observation,
    acknowledgement_score,
    is_answered,
    timeliness_score,
)

CheckResults = Mapping[str, bool | None]

LUNCH: Final = (dt.time(12, 0), dt.time(13, 30))
FRIDAY: Final = 4
_NUMBER = re.compile(r"(\d+)([a-z]?)")


@dataclass(frozen=True)
class Question:
    """What an item predicate sees: an observation, its calendar and its auto-QA results."""

    obs: Observation
    calendar: WorkCalendar
    checks: CheckResults | None = None


Predicate = Callable[[Question], bool]


@dataclass(frozen=True)
class Item:
    """An item decided per question: r = k/n."""

    number: str
    label: str
    advice: str
    applies_to: Predicate
    met: Predicate
    norm: Fraction | None = None
    links: tuple[int, ...] = ()


@dataclass(frozen=True)
class SingleItem:
    """An item with one yes/no per municipality (manual, or item 23 from the grades)."""

    number: str
    label: str
    advice: str
    links: tuple[int, ...] = ()


def item_sort_key(number: str) -> tuple[int, str]:
    """ "12b" → (12, "b"): items sort by number, then letter."""
    match = _NUMBER.fullmatch(number)
    if match is None:
        raise ValueError(f"Not an item number: {number!r}")
    return int(match[1]), match[2]


# -- predicates ---------------------------------------------------------------------------------


def phone(q: Question) -> bool:
    return q.obs.channel == "phone"


def reached(q: Question) -> bool:
    return phone(q) and q.obs.reached is True


def transferred(q: Question) -> bool:
    return reached(q) and q.obs.require(q.obs.transfers, "transfers") >= 1


def not_in_one_go(q: Question) -> bool:
    return reached(q) and q.obs.require(q.obs.in_one_go, "in_one_go") != "yes"


def at_lunch_or_friday_afternoon(q: Question) -> bool:
    if not phone(q) or q.obs.planned_at is None:
        return False
    local = q.obs.planned_at.astimezone(q.calendar.tz)
    lunch = LUNCH[0] <= local.time() < LUNCH[1]
    return lunch or (local.weekday() == FRIDAY and local.time() >= LUNCH[0])


def first_attempt(q: Question) -> bool:
    return q.obs.reached is True and q.obs.attempts == 1


def within_20_s(q: Question) -> bool:
    return first_attempt(q) and q.obs.require(q.obs.wait_s, "wait_s") <= 20


def in_one_go(q: Question) -> bool:
    return q.obs.in_one_go == "yes"


def correct(q: Question) -> bool:
    return q.obs.correctness == "correct"


def correct_and_complete(q: Question) -> bool:
    return correct(q) and q.obs.completeness in ("complete", "more")


def warm_with_subject(q: Question) -> bool:
    return q.obs.transfers_warm is True and q.obs.reason_passed_on is True


def filled(field: str) -> Predicate:
    """The bejegening item ``field`` was recorded as yes or no."""
    return lambda q: phone(q) and getattr(q.obs, field) in ("yes", "no")


def said_yes(field: str) -> Predicate:
    return lambda q: getattr(q.obs, field) == "yes"


def written(q: Question) -> bool:
    return q.obs.channel in WRITTEN_CHANNELS


def answered(q: Question) -> bool:
    """Answered by due(sent, 10)."""
    return written(q) and is_answered(q.obs, q.calendar)


def answered_within_2_working_days(q: Question) -> bool:
    answer = q.obs.answered_at
    sent = q.obs.require(q.obs.sent_at, "sent_at")
    return answer is not None and q.calendar.in_term(answer, sent, 2)


def term_notice_in_time(q: Question) -> bool:
    """Answered, or a term notice (auto-QA `term_stated` on the acknowledgement) by due10."""
    if answered(q):
        return True
    notice = q.obs.acknowledged_at
    stated = q.checks is not None and q.checks.get("term_stated") is True
    sent = q.obs.require(q.obs.sent_at, "sent_at")
    return stated and notice is not None and q.calendar.in_term(notice, sent, ANSWER_CUTOFF_DAYS)


def checked(*names: str) -> Predicate:
    """Answered and auto-QA gave a result (not `null`) for every check in ``names``."""
    return lambda q: (
        answered(q) and q.checks is not None and all(q.checks.get(n) is not None for n in names)
    )


def passed(*names: str) -> Predicate:
    return lambda q: q.checks is not None and all(q.checks.get(n) is True for n in names)


# -- the table ----------------------------------------------------------------------------------

_SCRIPT = "Werk met een vaste gespreksopening en -afsluiting (uniform script)."
_CALLBACK = "Bied zelf terugbellen aan met een tijdstip, en kom dat na."
_ADDRESS = (
    "Beantwoord ook e-mails zonder adres; leg uit waarom u gegevens zoals een adres vraagt,"
    " en gebruik ze dan."
)
_TEMPLATE = "Gebruik een vast sjabloon met juiste aanhef en ondertekening."
_ROUTING = (25, 30)
_KNOWLEDGE = (27, 29)
_CONVERSATION = (26, 28)

ITEMS: Final[tuple[Item | SingleItem, ...]] = (
    Item(
        "1",
        "Binnen 20 seconden een medewerker aan de lijn",
        "Zorg dat de beller binnen 20 seconden een medewerker spreekt.",
        phone,
        within_20_s,
        norm=Fraction(80, 100),
    ),
    Item(
        "2",
        "Ook tijdens de lunch en op vrijdagmiddag bereikbaar",
        "Zorg ook tijdens de lunch en op vrijdagmiddag voor voldoende bezetting.",
        at_lunch_or_friday_afternoon,
        first_attempt,
    ),
    Item(
        "3",
        "Vragen worden in één keer beantwoord",
        "Beantwoord de vraag zo veel mogelijk in het eerste gesprek.",
        reached,
        in_one_go,
        links=_KNOWLEDGE,
    ),
    Item(
        "4",
        "Het antwoord is juist",
        "Zorg dat medewerkers de juiste en actuele informatie bij de hand hebben.",
        reached,
        correct,
        links=_KNOWLEDGE,
    ),
    Item(
        "5",
        "Het antwoord is juist en volledig",
        "Geef een juist en volledig antwoord; loop na of alle onderdelen van de vraag"
        " zijn beantwoord.",
        reached,
        correct_and_complete,
        links=_KNOWLEDGE,
    ),
    Item(
        "6",
        "Er wordt warm doorverbonden, met het onderwerp erbij",
        "Verbind warm door: kondig de beller aan en noem het onderwerp.",
        transferred,
        warm_with_subject,
        links=_ROUTING,
    ),
    Item(
        "7",
        "Hooguit twee keer doorverbonden",
        "Verbind hooguit twee keer door; zorg dat de eerste medewerker weet wie de vraag"
        " kan beantwoorden.",
        reached,
        lambda q: q.obs.require(q.obs.transfers, "transfers") <= 2,
    ),
    Item(
        "8",
        "Terugbellen wordt aangeboden",
        _CALLBACK,
        not_in_one_go,
        lambda q: q.obs.callback_promised is True,
    ),
    Item(
        "9",
        "De receptie weet wie aanwezig is",
        "Zorg dat de receptie via digitale agenda's ziet wie aanwezig is.",
        transferred,
        in_one_go,
        links=_ROUTING,
    ),
    Item(
        "10",
        "Medewerkers noemen hun naam",
        _SCRIPT,
        filled("introduced_name"),
        said_yes("introduced_name"),
        links=_CONVERSATION,
    ),
    Item(
        "11",
        "Medewerkers melden dat het gesprek wordt opgenomen",
        _SCRIPT,
        filled("recording_announced"),
        said_yes("recording_announced"),
        links=_CONVERSATION,
    ),
    Item(
        "12",
        "Medewerkers gebruiken weinig vakjargon",
        "Gebruik eenvoudige woorden en vermijd vakjargon.",
        filled("plain_language"),
        said_yes("plain_language"),
        links=_CONVERSATION,
    ),
    Item(
        "12b",
        "Medewerkers zijn vriendelijk",
        "Wees vriendelijk en toon begrip voor de vraag van de beller.",
        filled("friendly"),
        said_yes("friendly"),
        links=_CONVERSATION,
    ),
    Item(
        "13",
        "Medewerkers vragen of er nog andere vragen zijn",
        _SCRIPT,
        filled("asked_more_questions"),
        said_yes("asked_more_questions"),
        links=_CONVERSATION,
    ),
    Item(
        "14",
        "Medewerkers doen een stapje extra",
        "Loop met de beller door de website of stuur de link.",
        reached,
        lambda q: q.obs.extra_step,
    ),
    SingleItem("15", "Het keuzemenu is kort en duidelijk", "Maak het keuzemenu kort en duidelijk."),
    Item(
        "16",
        "E-mails krijgen per omgaande een ontvangstbevestiging",
        "Stuur direct een automatische ontvangstbevestiging met de termijn.",
        written,
        lambda q: acknowledgement_score(q.obs, q.calendar) == 1.0,
    ),
    Item(
        "17a",
        "E-mails worden binnen 24 uur beantwoord",
        "Antwoord binnen 24 uur.",
        written,
        lambda q: timeliness_score(q.obs, q.calendar) == 1.0,
    ),
    Item(
        "17b",
        "E-mails worden binnen 2 werkdagen beantwoord",
        "Beantwoord e-mails binnen 2 werkdagen.",
        written,
        answered_within_2_working_days,
        norm=Fraction(85, 100),
    ),
    Item(
        "18a",
        "Het antwoord op e-mails is juist",
        "Zorg dat het antwoord op een e-mail juist is; laat het zo nodig nakijken.",
        answered,
        correct,
    ),
    Item(
        "18b",
        "Het antwoord op e-mails is juist en volledig",
        "Zorg dat het antwoord op een e-mail juist en volledig is.",
        answered,
        correct_and_complete,
    ),
    Item(
        "19",
        "E-mails worden inhoudelijk en persoonlijk beantwoord",
        "Beantwoord e-mails inhoudelijk en persoonlijk, niet met alleen een standaardtekst.",
        answered,
        lambda q: q.obs.tone == "good",
    ),
    Item(
        "19a",
        "E-mails hebben een juiste aanhef",
        _TEMPLATE,
        checked("salutation"),
        passed("salutation"),
    ),
    Item(
        "19b",
        "E-mails bevatten geen interne doorstuurberichten",
        "Haal interne doorstuurberichten weg.",
        checked("internal_forward"),
        passed("internal_forward"),
    ),
    Item(
        "19c",
        "E-mails bevatten geen tikfouten",
        "Controleer op tikfouten.",
        checked("spelling"),
        passed("spelling"),
    ),
    Item(
        "19d",
        "E-mails hebben een juiste afsluiting en ondertekening",
        _TEMPLATE,
        checked("closing", "signature"),
        passed("closing", "signature"),
    ),
    Item(
        "19e",
        "E-mails worden aan allen beantwoord",
        "Beantwoord aan allen.",
        checked("reply_all"),
        passed("reply_all"),
    ),
    SingleItem(
        "20",
        "Het e-mailadres is openbaar en het formulier vraagt alleen de nodige gegevens",
        _ADDRESS,
    ),
    Item(
        "21",
        "Geen e-mail blijft onbeantwoord",
        _ADDRESS,
        written,
        term_notice_in_time,
    ),
    SingleItem(
        "22",
        "Inwoners kunnen melden dat hun vraag niet is beantwoord",
        "Bied inwoners een eenvoudige manier om te melden dat hun vraag niet is beantwoord.",
    ),
    SingleItem(
        "23",
        "Telefoon en e-mail bieden dezelfde kwaliteit",
        "Zorg dat telefoon en e-mail dezelfde kwaliteit bieden; het verschil in cijfer is"
        " nu groter dan 1 punt.",
    ),
    Item(
        "24",
        "Terugbelafspraken worden nagekomen",
        _CALLBACK,
        lambda q: q.obs.callback_promised is True,
        lambda q: q.obs.callback_kept is True,
        norm=Fraction(83, 100),
    ),
)

#: Self-assessment items 25-34 (organisation [EZK2]); never automatic.
SELF_ASSESSMENT: Final[Mapping[int, str]] = MappingProxyType(
    {
        25: "Telefooncentrale en routering",
        26: "Gesprekstraining",
        27: "Kennistraining",
        28: "Houding en cultuur",
        29: "Actuele producten- en dienstencatalogus (PDC)",
        30: "Agenda- en aanwezigheidssystemen",
        31: "Medewerkers getraind en beloond voor het gebruik van die systemen",
        32: "Belasting van het klantcontactcentrum (KCC)",
        33: "Leren van collega-gemeenten",
        34: "Gestructureerde kwaliteitsbewaking",
    }
)

ITEM_BY_NUMBER: Final[Mapping[str, Item | SingleItem]] = MappingProxyType(
    {item.number: item for item in ITEMS}
)
