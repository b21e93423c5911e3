"""Parsed observation rows reconciled with stored data, pure Python (no Django).

The service reads what the database holds (organisations, CBS reference names, scenarios,
observations of the wave) and passes it in as plain mappings; these functions decide what to
create and which rows are errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from meetlat.calc.observations import Observation
from meetlat.research.parsing import COLUMNS, MunicipalityRef, ParsedRow, RowError


@dataclass(frozen=True)
class KnownOrganisation:
    name: str
    is_municipality: bool


def municipality_names(
    refs: Iterable[MunicipalityRef],
    *,
    known: Mapping[str, KnownOrganisation],
    reference: Mapping[str, str],
) -> tuple[dict[str, str], list[RowError]]:
    """The municipalities to create (code → name) and the errors (DESIGN.md).

    A known organisation must be a municipality (its name is never changed). A new code takes
    the first ``municipality_name`` given for it, else the CBS reference name; a code that is in
    neither the reference list nor named is an error, as are two names for one new code.
    """
    refs = list(refs)
    named: dict[str, MunicipalityRef] = {}
    for ref in refs:
        if ref.code not in known and ref.name:
            named.setdefault(ref.code, ref)
    to_create: dict[str, str] = {}
    errors: list[RowError] = []
    for ref in refs:
        if ref.code in known:
            if not known[ref.code].is_municipality:
                message = f"the code of {known[ref.code].name}, which is not a municipality."
                errors.append(RowError(ref.line, "municipality", ref.code, message))
        elif ref.code in named:
            first = named[ref.code]
            to_create[ref.code] = first.name
            if ref.name and ref.name != first.name:
                message = f"{ref.code} is named {first.name!r} on line {first.line}."
                errors.append(RowError(ref.line, "municipality_name", ref.name, message))
        elif ref.code in reference:
            to_create[ref.code] = reference[ref.code]
        else:
            message = "not in the CBS list of municipalities; give municipality_name to add it."
            errors.append(RowError(ref.line, "municipality", ref.code, message))
    return to_create, errors


def scenario_channels(
    rows: Iterable[ParsedRow], *, known: Mapping[str, str]
) -> tuple[dict[str, str], list[RowError]]:
    """New scenarios (code → channel) and errors: a scenario belongs to one channel (§2.1)."""
    channels = dict(known)
    new: dict[str, str] = {}
    errors: list[RowError] = []
    for row in rows:
        obs = row.observation
        channel = channels.setdefault(obs.scenario, obs.channel)
        if obs.scenario not in known:
            new.setdefault(obs.scenario, obs.channel)
        if channel != obs.channel:
            message = f"scenario {obs.scenario} is a {channel} scenario, not {obs.channel}."
            errors.append(RowError(row.line, "channel", obs.channel, message))
    return new, errors


def differing_fields(stored: Observation, parsed: Observation) -> list[str]:
    """The columns in which a row differs from the stored observation with the same key."""
    return [
        name
        for name in COLUMNS
        if name != "municipality_name" and getattr(stored, name) != getattr(parsed, name)
    ]
