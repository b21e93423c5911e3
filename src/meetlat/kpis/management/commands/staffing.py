"""`meetlat staffing --calls N --interval-s S --aht-s S --target-sl P --target-t S
[--shrinkage P] [--agents N] [--json]`: Erlang C (METHODOLOGY.md §4.4).

`--target-sl` and `--shrinkage` are fractions (0.8, 0.3), not percentages.
"""

from __future__ import annotations

import math
from typing import Any, Final

from django.core.management.base import BaseCommand, CommandParser

from meetlat.calc.erlang import StaffingResult, evaluate, required_agents
from meetlat.commandline import bad_input, to_json

MAX_AGENTS: Final = 100_000
"""Erlang B runs once per agent: more than this is no call centre, and would take minutes."""


class Command(BaseCommand):
    help = "Agents needed for a service level (Erlang C), or the figures for a given staffing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calls", required=True, help="calls offered in the interval")
        parser.add_argument(
            "--interval-s", required=True, dest="interval_s", help="length of the interval (s)"
        )
        parser.add_argument("--aht-s", required=True, dest="aht_s", help="average handle time (s)")
        parser.add_argument(
            "--target-sl", required=True, dest="target_sl", help="service level target, 0.8"
        )
        parser.add_argument(
            "--target-t", required=True, dest="target_t", help="answered within T seconds"
        )
        parser.add_argument("--shrinkage", default="0", help="fraction not on the phone, 0.3")
        parser.add_argument("--agents", help="evaluate this number of agents")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        calls = _number(options["calls"], "--calls", minimum=0)
        interval_s = _number(options["interval_s"], "--interval-s", minimum=0, inclusive=False)
        aht_s = _number(options["aht_s"], "--aht-s", minimum=0, inclusive=False)
        target_sl = _fraction(options["target_sl"], "--target-sl", zero_allowed=False)
        target_t = _number(options["target_t"], "--target-t", minimum=0)
        shrinkage = _fraction(options["shrinkage"], "--shrinkage", zero_allowed=True)
        if calls * aht_s / interval_s >= MAX_AGENTS:
            bad_input(f"--calls: the traffic is {MAX_AGENTS} erlangs or more; check the numbers.")
        try:
            if options["agents"] is not None:
                result = evaluate(
                    calls=calls,
                    interval_s=interval_s,
                    aht_s=aht_s,
                    target_t_s=target_t,
                    agents=_agents(options["agents"]),
                    shrinkage=shrinkage,
                )
            else:
                result = required_agents(
                    calls=calls,
                    interval_s=interval_s,
                    aht_s=aht_s,
                    target_sl=target_sl,
                    target_t_s=target_t,
                    shrinkage=shrinkage,
                )
        except ValueError as error:  # the checks above should have caught it
            bad_input(str(error))
        if options["json"]:
            self.stdout.write(to_json(result.to_json()))
        else:
            self.stdout.write(
                _text(result, target_sl, target_t, shrinkage, given=options["agents"] is not None)
            )


def _float(value: str, option: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        bad_input(f"{option}: {value!r} is not a number.")
    if not math.isfinite(number):
        bad_input(f"{option}: {value!r} is not a finite number.")
    return number


def _number(value: str, option: str, *, minimum: float, inclusive: bool = True) -> float:
    number = _float(value, option)
    if number < minimum or (not inclusive and number == minimum):
        relation = "at least" if inclusive else "more than"
        bad_input(f"{option}: {value!r} must be {relation} {minimum:g}.")
    return number


def _fraction(value: str, option: str, *, zero_allowed: bool) -> float:
    number = _float(value, option)
    low_ok = number >= 0 if zero_allowed else number > 0
    if not low_ok or number >= 1:
        low = "0 ≤" if zero_allowed else "0 <"
        hint = f" (a fraction: {number / 100:g} for {value} %)" if 1 < number <= 100 else ""
        bad_input(f"{option}: {value!r} must be a fraction with {low} {option[2:]} < 1{hint}.")
    return number


def _agents(value: str) -> int:
    text = value.strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_AGENTS:
        bad_input(f"--agents: {value!r} must be a whole number from 1 to {MAX_AGENTS}.")
    return int(text)


def _text(
    result: StaffingResult, target_sl: float, target_t: float, shrinkage: float, *, given: bool
) -> str:
    asa = "none (the queue keeps growing)" if result.asa_s is None else f"{result.asa_s:.1f} s"
    head = (
        f"With {result.agents} agents"
        if given
        else f"{result.agents} agents are needed for {target_sl:.0%} within {target_t:g} s"
    )
    return "\n".join(
        [
            f"Traffic: {result.traffic_erlangs:.2f} erlangs.",
            f"{head}: probability of waiting {result.p_wait:.4f}, service level "
            f"{result.service_level:.4f} within {target_t:g} s, average speed of answer {asa}, "
            f"occupancy {result.occupancy:.3f}.",
            f"Scheduled with {shrinkage:.0%} shrinkage: {result.scheduled_agents} agents.",
        ]
    )
