"""The organisation and calendar commands of DESIGN.md's command-line contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetlat.organisations.models import Organisation


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETLAT_DATABASE")}
    env["MEETLAT_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "meetlat", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_calendar_due_json_has_exactly_the_contract_keys(tmp_path: Path) -> None:
    assert run_cli("migrate", "--noinput", data_dir=tmp_path).returncode == 0
    result = run_cli(
        "calendar",
        "due",
        "--received",
        "2026-05-04T17:45:00+02:00",
        "--working-days",
        "2",
        "--json",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "received": "2026-05-04T17:45:00+02:00",
        "receipt_day": "2026-05-06",
        "working_days": 2,
        "due": "2026-05-08T23:59:59+02:00",
    }


def test_calendar_due_with_a_bad_date_exits_2_and_names_the_option(tmp_path: Path) -> None:
    result = run_cli(
        "calendar", "due", "--received", "24-04-2026", "--working-days", "2", data_dir=tmp_path
    )
    assert result.returncode == 2
    assert "--received: '24-04-2026' is not a date-time" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_calendar_workdays_json_for_may_2026(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("calendar", "workdays", "--from", "2026-05-01", "--to", "2026-05-31", "--json")
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"from", "to", "workdays", "count"}
    assert result["count"] == 18
    assert "2026-05-05" not in result["workdays"] and "2026-05-15" in result["workdays"]


@pytest.mark.django_db
def test_calendar_due_uses_the_closing_days_of_the_organisation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("org", "add", "GM9812", "--name", "Gemeente Brug")
    organisation = Organisation.objects.get(code="GM9812")
    organisation.closing_days.create(date="2026-05-15", reason="Brugdag")
    capsys.readouterr()
    call_command(
        "calendar",
        "due",
        "--received",
        "2026-05-13T11:00:00+02:00",
        "--working-days",
        "2",
        "--org",
        "GM9812",
        "--json",
    )
    assert json.loads(capsys.readouterr().out)["due"] == "2026-05-19T23:59:59+02:00"


@pytest.mark.django_db
def test_calendar_with_an_unknown_organisation_is_bad_input() -> None:
    with pytest.raises(CommandError, match="no organisation with code 'GM0000'") as caught:
        call_command(
            "calendar", "workdays", "--from", "2026-05-01", "--to", "2026-05-02", "--org", "GM0000"
        )
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_org_add_creates_an_agency_and_is_idempotent() -> None:
    call_command("org", "add", "BUREAU-X", "--name", "Bureau X", "--kind", "agency")
    call_command("org", "add", "BUREAU-X", "--name", "Bureau X", "--kind", "agency")
    assert Organisation.objects.filter(code="BUREAU-X", kind="agency").count() == 1


@pytest.mark.django_db
def test_org_add_refuses_a_malformed_cbs_code_with_exit_2() -> None:
    with pytest.raises(CommandError, match="code: GM12 ") as caught:
        call_command("org", "add", "GM12", "--name", "Gemeente Kort")
    assert caught.value.returncode == 2
    assert not Organisation.objects.filter(code="GM12").exists()


@pytest.mark.django_db
def test_org_add_refuses_a_code_that_is_taken_by_another_name() -> None:
    call_command("org", "add", "GM9813", "--name", "Gemeente Een")
    with pytest.raises(CommandError, match="already used by 'Gemeente Een'"):
        call_command("org", "add", "GM9813", "--name", "Gemeente Twee")


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_prints_the_logins(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo-data")
    first = Organisation.objects.count()
    call_command("demo-data")
    out = capsys.readouterr().out
    assert Organisation.objects.count() == first
    assert "demo-meetlat-2026" in out
    assert all(
        name.endswith("(demo)")
        for name in Organisation.objects.filter(is_demo=True).values_list("name", flat=True)
    )
