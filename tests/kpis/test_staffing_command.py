"""`meetlat staffing` (DESIGN.md, METHODOLOGY.md §4.4 Erlang C)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BASE = ["--calls", "96", "--interval-s", "1800", "--aht-s", "270", "--target-sl", "0.8",
        "--target-t", "20"]  # fmt: skip
KEYS = {"traffic_erlangs", "agents", "p_wait", "service_level", "asa_s", "occupancy",
        "scheduled_agents"}  # fmt: skip


def staffing_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    call_command("staffing", *args, "--json")
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_the_worked_example_needs_19_agents_and_28_scheduled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = staffing_json(capsys, *BASE, "--shrinkage", "0.3")
    assert set(out) == KEYS
    assert out["traffic_erlangs"] == pytest.approx(14.4)
    assert (out["agents"], out["scheduled_agents"]) == (19, 28)
    assert out["p_wait"] == pytest.approx(0.1836, abs=5e-5)
    assert out["service_level"] == pytest.approx(0.8694, abs=5e-5)
    assert out["asa_s"] == pytest.approx(10.8, abs=0.05)
    assert out["occupancy"] == pytest.approx(0.758, abs=5e-4)


def test_eighteen_agents_fall_short_of_the_target(capsys: pytest.CaptureFixture[str]) -> None:
    out = staffing_json(capsys, *BASE, "--agents", "18")
    assert out["agents"] == 18 and out["scheduled_agents"] == 18
    assert out["p_wait"] == pytest.approx(0.2790, abs=5e-5)
    assert out["service_level"] == pytest.approx(0.7863, abs=5e-5)
    assert out["asa_s"] == pytest.approx(20.9, abs=0.05)


def test_too_few_agents_give_no_asa(capsys: pytest.CaptureFixture[str]) -> None:
    out = staffing_json(capsys, *BASE, "--agents", "14")
    assert (out["p_wait"], out["service_level"], out["asa_s"]) == (1.0, 0.0, None)


def test_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("staffing", *BASE, "--shrinkage", "0.3")
    out = capsys.readouterr().out
    assert "Traffic: 14.40 erlangs." in out
    assert "19 agents are needed for 80% within 20 s" in out
    assert "Scheduled with 30% shrinkage: 28 agents." in out


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--calls", "-1"),
        ("--calls", "veel"),
        ("--interval-s", "0"),
        ("--aht-s", "-270"),
        ("--aht-s", "nan"),
        ("--target-sl", "80"),
        ("--target-sl", "1"),
        ("--target-sl", "0"),
        ("--target-t", "-5"),
        ("--target-t", "inf"),
        ("--shrinkage", "1"),
        ("--shrinkage", "-0.1"),
        ("--shrinkage", "30%"),
        ("--agents", "0"),
        ("--agents", "18.5"),
        ("--agents", "1000000"),
        ("--calls", "1e12"),
    ],
)
def test_bad_values_exit_2_with_a_message_naming_the_option(option: str, value: str) -> None:
    args = dict(zip(BASE[::2], BASE[1::2], strict=True))
    args[option] = value
    flat = [word for pair in args.items() for word in pair]
    with pytest.raises(CommandError, match=f"^{option}: ") as caught:
        call_command("staffing", *flat)
    assert caught.value.returncode == 2


def test_a_percentage_for_target_sl_gets_a_hint() -> None:
    with pytest.raises(CommandError, match=r"0\.8 for 80 %"):
        call_command("staffing", *BASE[:-4], "--target-sl", "80", "--target-t", "20")
