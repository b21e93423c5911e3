"""Default service norms (METHODOLOGY.md §6), each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NormDefault:
    key: str
    channel: str
    label: Promise
    target: Decimal
    unit: str  # "ratio", "seconds", "hours", "working_days", "count", "grade"
    threshold: Decimal | None
    source: str


DEFAULT_NORMS: tuple[NormDefault, ...] = (
    NormDefault(
        "phone_service_level",
        "phone",
        _("Service level (answered within threshold)"),
        Decimal("0.80"),
        "ratio",
        Decimal("20"),
        "METHODOLOGY §6 [LWD]; [DBOS], [VNG11]",
    ),
    NormDefault(
        "phone_abandon_rate",
        "phone",
        _("Abandon rate below"),
        Decimal("0.07"),
        "ratio",
        None,
        "METHODOLOGY §6 [DBOS]",
    ),
    NormDefault(
        "phone_short_abandon",
        "phone",
        _("Short abandon (not counted in service level)"),
        Decimal("5"),
        "seconds",
        None,
        "METHODOLOGY §6 meetlat",
    ),
    NormDefault(
        "phone_max_wait",
        "phone",
        _("Maximum wait"),
        Decimal("300"),
        "seconds",
        None,
        "METHODOLOGY §6 [LWD]",
    ),
    NormDefault(
        "phone_max_transfers",
        "phone",
        _("Transfers at most (warm, subject passed on)"),
        Decimal("2"),
        "count",
        None,
        "METHODOLOGY §6 [LWD], [ALPH], [EZK2]",
    ),
    NormDefault(
        "phone_first_line_resolution",
        "phone",
        _("First-line resolution"),
        Decimal("0.80"),
        "ratio",
        None,
        "METHODOLOGY §6 [TLB20], [MANIF]",
    ),
    NormDefault(
        "phone_callback_term",
        "phone",
        _("Callback within"),
        Decimal("2"),
        "working_days",
        None,
        "METHODOLOGY §6 [NISS]",
    ),
    NormDefault(
        "phone_callback_kept",
        "phone",
        _("Callbacks kept"),
        Decimal("0.83"),
        "ratio",
        None,
        "METHODOLOGY §6 [TEAM4]",
    ),
    NormDefault(
        "phone_repeat_window",
        "phone",
        _("Repeat contact window"),
        Decimal("168"),
        "hours",
        None,
        "METHODOLOGY §6 meetlat",
    ),
    NormDefault(
        "email_acknowledgement",
        "email",
        _("Acknowledgement by return"),
        Decimal("1"),
        "hours",
        None,
        "METHODOLOGY §6 [EMAIL], [AWB]",
    ),
    NormDefault(
        "email_answer_term",
        "email",
        _("Answer within term"),
        Decimal("0.85"),
        "ratio",
        Decimal("2"),
        "METHODOLOGY §6 [EMAIL], [TLB20]",
    ),
    NormDefault(
        "email_term_notice",
        "email",
        _("Term notice for complex questions within"),
        Decimal("10"),
        "working_days",
        None,
        "METHODOLOGY §6 [EMAIL]",
    ),
    NormDefault(
        "webform_answer_term",
        "webform",
        _("Answer within term"),
        Decimal("0.85"),
        "ratio",
        Decimal("2"),
        "METHODOLOGY §6 [EMAIL], [TLB20]",
    ),
    NormDefault(
        "letter_answer_term",
        "letter",
        _("Answer within (or a handling notice)"),
        Decimal("3"),
        "weeks",
        None,
        "METHODOLOGY §6 [RO], [KATW]",
    ),
    NormDefault(
        "chat_first_response",
        "chat",
        _("First response within office hours"),
        Decimal("4"),
        "hours",
        None,
        "METHODOLOGY §6 [NISS]",
    ),
    NormDefault(
        "whatsapp_first_response",
        "whatsapp",
        _("First response within office hours"),
        Decimal("4"),
        "hours",
        None,
        "METHODOLOGY §6 [NISS]",
    ),
    NormDefault(
        "social_first_response",
        "social",
        _("First response within office hours"),
        Decimal("4"),
        "hours",
        None,
        "METHODOLOGY §6 [NISS]",
    ),
    NormDefault(
        "counter_wait_appointment",
        "counter",
        _("Wait with an appointment at most"),
        Decimal("300"),
        "seconds",
        None,
        "METHODOLOGY §6 [VNG11], [LWD]",
    ),
    NormDefault(
        "counter_wait_walk_in",
        "counter",
        _("Wait without an appointment at most"),
        Decimal("900"),
        "seconds",
        None,
        "METHODOLOGY §6 [VNG11], [LWD]",
    ),
    NormDefault(
        "kto_csat",
        "phone",
        _("Customer satisfaction (CSAT 4 or 5)"),
        Decimal("0.85"),
        "ratio",
        None,
        "METHODOLOGY §6 [ALM]",
    ),
    NormDefault(
        "mystery_grade",
        "phone",
        _("Mystery research grade"),
        Decimal("7.0"),
        "grade",
        None,
        "METHODOLOGY §6 [AAH], [EZK2]",
    ),
)

NORM_LABELS = {norm.key: norm.label for norm in DEFAULT_NORMS}
