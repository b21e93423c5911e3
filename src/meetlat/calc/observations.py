"""Mystery observations and scoring weights (METHODOLOGY.md §2.3-2.4), pure Python.

:class:`Observation` is one row of DESIGN.md's observations CSV, parsed into Python types.
:class:`Weights` are the aspect weights a study wave is scored with. Scoring itself is in
:mod:`meetlat.calc.scoring`, which re-exports these names.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Final, Literal, TypeVar

YesNoNa = Literal["yes", "no", "na"]
InOneGo = Literal["yes", "no", "callback"]
Correctness = Literal["correct", "partly", "wrong", "none"]
Completeness = Literal["complete", "more", "partial", "none"]
Tone = Literal["good", "fair", "poor"]

PHONE_CHANNELS: Final = frozenset({"phone", "counter"})
WRITTEN_CHANNELS: Final = frozenset({"email", "webform", "chat", "whatsapp", "social"})
#: Every channel, in the order the study JSON lists them.
CHANNELS: Final = ("phone", "email", "webform", "chat", "whatsapp", "social", "counter")

T = TypeVar("T")
_WEIGHT_TOLERANCE: Final = 1e-9


class ObservationError(ValueError):
    """An observation lacks or contradicts what scoring needs (import validation missed it)."""


@dataclass(frozen=True, kw_only=True)
class Observation:
    """One planned mystery question, as DESIGN.md's observations CSV row, parsed."""

    municipality: str
    scenario: str
    channel: str
    municipality_name: str = ""
    planned_at: dt.datetime | None = None
    # phone and counter
    attempts: int | None = None
    reached: bool | None = None
    wait_s: int | None = None
    transfers: int | None = None
    transfers_warm: bool | None = None
    reason_passed_on: bool | None = None
    callback_promised: bool | None = None
    callback_kept: bool | None = None
    in_one_go: InOneGo | None = None
    correctness: Correctness | None = None
    completeness: Completeness | None = None
    introduced_name: YesNoNa | None = None
    friendly: YesNoNa | None = None
    plain_language: YesNoNa | None = None
    asked_more_questions: YesNoNa | None = None
    recording_announced: YesNoNa | None = None
    extra_step: bool = False
    # written channels
    sent_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    tone: Tone | None = None

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ObservationError(f"Unknown channel {self.channel!r}; expected one of {CHANNELS}")
        for name in ("planned_at", "sent_at", "acknowledged_at", "answered_at"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ObservationError(f"{name} must be an aware datetime, got {value!r}")

    @property
    def bejegening_items(self) -> tuple[YesNoNa | None, ...]:
        return (
            self.introduced_name,
            self.friendly,
            self.plain_language,
            self.asked_more_questions,
            self.recording_announced,
        )

    def require(self, value: T | None, name: str) -> T:
        """``value``, or an :class:`ObservationError` naming the question and the field."""
        if value is None:
            raise ObservationError(
                f"{self.municipality} {self.scenario} ({self.channel}): {name} is required"
            )
        return value


def _validate_weights(weights: PhoneWeights | WrittenWeights) -> None:
    values = weights.as_dict()
    for name, value in values.items():
        if not value >= 0:
            raise ValueError(f"Weight {name} must be non-negative, got {value}")
    total = math.fsum(values.values())
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        raise ValueError(f"Weights must sum to 1, got {total}")


@dataclass(frozen=True)
class PhoneWeights:
    """Aspect weights for phone and counter (§2.4)."""

    reachability: float = 0.15
    in_one_go: float = 0.15
    transfers: float = 0.10
    correctness: float = 0.25
    completeness: float = 0.15
    bejegening: float = 0.15
    extra_step: float = 0.05

    def __post_init__(self) -> None:
        _validate_weights(self)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class WrittenWeights:
    """Aspect weights for the written channels (§2.4)."""

    acknowledgement: float = 0.05
    timeliness: float = 0.20
    correctness: float = 0.30
    completeness: float = 0.20
    tone: float = 0.15
    extra_step: float = 0.10

    def __post_init__(self) -> None:
        _validate_weights(self)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Weights:
    """The weights a study wave is scored with; stored on the study so old waves keep theirs."""

    phone: PhoneWeights = field(default_factory=PhoneWeights)
    written: WrittenWeights = field(default_factory=WrittenWeights)

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {"phone": self.phone.as_dict(), "written": self.written.as_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, float]]) -> Weights:
        return cls(
            phone=PhoneWeights(**data.get("phone", {})),
            written=WrittenWeights(**data.get("written", {})),
        )


DEFAULT_WEIGHTS: Final = Weights()
