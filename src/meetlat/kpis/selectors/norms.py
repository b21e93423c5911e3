"""Every KPI beside the organisation's service norm (METHODOLOGY.md §6, STYLE.md practice 13).

`norms_compare` gives `{kpi key: {"target", "met", "source", "version", "norm", "comparison"}}`
for the KPIs of a channel that have a norm; `met` is None when the KPI is null, or when the norm
sets a time limit but no share to reach (the KPI is then the share within that limit).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from meetlat.organisations.models import Organisation, ServiceNorm
from meetlat.organisations.selectors import norm_list_current

DEFINITIONS_VERSION: Final = "METHODOLOGY-4.2026.1"
"""The version of the KPI definitions (METHODOLOGY.md §4) this code implements."""


@dataclass(frozen=True)
class NormCheck:
    kpi: str
    """A key of the `kpis` object; `a.b` for a nested one."""
    norm: str
    comparison: str  # ">=", "<", "<=", or "" (no share to reach: `met` is None)


_OPS: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
_CHECKS: Final[Mapping[str, tuple[NormCheck, ...]]] = {
    "phone": (
        NormCheck("service_level.offered_excl_short_abandons", "phone_service_level", ">="),
        NormCheck("abandon_rate", "phone_abandon_rate", "<"),
        NormCheck("max_wait_s", "phone_max_wait", "<="),
        NormCheck("first_line_resolution", "phone_first_line_resolution", ">="),
    ),
    "email": (
        NormCheck("ack_within_1h_rate", "email_acknowledgement", ""),
        NormCheck("answered_within_term_rate", "email_answer_term", ">="),
        NormCheck("term_notice_within_10wd_rate", "email_term_notice", ""),
    ),
    "webform": (NormCheck("answered_within_term_rate", "webform_answer_term", ">="),),
    "chat": (NormCheck("first_response_within_norm_rate", "chat_first_response", ""),),
    "whatsapp": (NormCheck("first_response_within_norm_rate", "whatsapp_first_response", ""),),
    "social": (NormCheck("first_response_within_norm_rate", "social_first_response", ""),),
    "counter": (
        NormCheck("served_within_5min_appointment_rate", "counter_wait_appointment", ""),
        NormCheck("served_within_15min_walk_in_rate", "counter_wait_walk_in", ""),
    ),
    "kto": (NormCheck("csat_rate", "kto_csat", ">="),),
}


def kpi_value(kpis: Mapping[str, Any], path: str) -> Any:
    value: Any = kpis
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def norm_entry(check: NormCheck, norm: ServiceNorm, value: Any) -> dict[str, Any]:
    target = float(norm.target)
    met: bool | None = None
    if check.comparison and value is not None:
        met = _OPS[check.comparison](value, target)
    return {
        "target": target,
        "met": met,
        "source": norm.source,
        "version": norm.version,
        "norm": norm.key,
        "comparison": check.comparison or None,
        "unit": norm.unit,
        "threshold": None if norm.threshold is None else float(norm.threshold),
    }


def norms_current(*, organisation: Organisation) -> dict[str, ServiceNorm]:
    """The current version of every norm, by key (one query)."""
    return {norm.key: norm for norm in norm_list_current(organisation=organisation)}


def norms_compare(
    *, channel: str, kpis: Mapping[str, Any], norms: Mapping[str, ServiceNorm]
) -> dict[str, dict[str, Any]]:
    """The channel's KPIs beside the norms in `norms` (missing norms are left out)."""
    return {
        check.kpi: norm_entry(check, norms[check.norm], kpi_value(kpis, check.kpi))
        for check in _CHECKS.get(channel, ())
        if check.norm in norms
    }
