"""`meetlat import contacts` (DESIGN.md "Command-line contract", "Other JSON outputs")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetlat.contacts.models import Contact
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create
from tests.contacts.samples import BAD_ROWS, KPI_ROWS, REPEAT_ROWS, write_csv

IMPORT_KEYS = {"source", "format", "rows", "imported", "duplicates", "errors"}


@pytest.fixture
def dorp(db: None) -> Organisation:
    return organisation_create(code="GM9990", name="Contractdorp")


def import_json(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> dict[str, Any]:
    call_command("import", "contacts", str(path), "--org", "GM9990", "--format", "csv", *extra,
                 "--json")  # fmt: skip
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_the_json_has_exactly_the_contract_keys_and_counts(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path, "gesprekken.csv", KPI_ROWS)
    assert import_json(capsys, path) == {
        "source": str(path),
        "format": "csv",
        "rows": 10,
        "imported": 10,
        "duplicates": 0,
        "errors": [],
    }
    again = import_json(capsys, path)
    assert (again["imported"], again["duplicates"]) == (0, 10)


def test_the_bad_csv_exits_2_with_errors_and_imports_nothing(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path, "kapot.csv", BAD_ROWS)
    with pytest.raises(CommandError) as caught:
        import_json(capsys, path)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert f"{path}, line 4, column wait_s" in message and "'abc'" in message
    out = json.loads(capsys.readouterr().out)
    assert set(out) == IMPORT_KEYS
    assert (out["rows"], out["imported"], out["duplicates"]) == (4, 0, 0)
    assert out["errors"] == [
        {
            "line": 4,
            "column": "wait_s",
            "value": "abc",
            "message": "wait_s is not a whole number of seconds (0 or more).",
        }
    ]
    assert not Contact.objects.exists()


def test_readable_output_says_what_was_imported(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path, "herhaal.csv", REPEAT_ROWS)
    call_command("import", "contacts", str(path), "--org", "GM9990", "--format", "csv")
    assert capsys.readouterr().out.strip() == (f"{path}: 2 rows, 2 imported, 0 already present.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xls"], "unknown format 'xls'"),
        (["--format", "csv", "--mapping", "m.toml"], "m.toml: no such file"),
        (["--format", "asterisk", "--mapping", "m.toml"], "--mapping: applies to --format csv"),
        (["--format", "csv", "--tz", "Europe/Amsterdm"], "--tz: 'Europe/Amsterdm'"),
        (["--format", "csv", "--source", "s" * 101], "--source: longer than 100"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    dorp: Organisation, tmp_path: Path, args: list[str], message: str
) -> None:
    path = write_csv(tmp_path, "x.csv", KPI_ROWS)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("import", "contacts", str(path), "--org", "GM9990", *args)
    assert caught.value.returncode == 2


def test_an_unknown_organisation_exits_2(dorp: Organisation, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "x.csv", KPI_ROWS)
    with pytest.raises(CommandError, match="no organisation with code 'GM0000'") as caught:
        call_command("import", "contacts", str(path), "--org", "GM0000", "--format", "csv")
    assert caught.value.returncode == 2


@pytest.mark.parametrize("name", ["missing.csv", "."])
def test_a_missing_file_or_a_folder_exits_2(dorp: Organisation, tmp_path: Path, name: str) -> None:
    with pytest.raises(CommandError, match="no such file|is a folder") as caught:
        call_command(
            "import", "contacts", str(tmp_path / name), "--org", "GM9990", "--format", "csv"
        )
    assert caught.value.returncode == 2


def test_a_cp1252_file_names_the_file_and_the_encoding(dorp: Organisation, tmp_path: Path) -> None:
    path = tmp_path / "ansi.csv"
    path.write_bytes("contact_id,started_at,outcome,wait_s,topic\n1,2026-03-10T09:00:00+01:00,"
                     "answered,3,paspoort aanvragen – spoed\n".encode("cp1252"))  # fmt: skip
    with pytest.raises(CommandError, match=r"ansi\.csv, line 2: the file is not UTF-8"):
        call_command("import", "contacts", str(path), "--org", "GM9990", "--format", "csv")


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETLAT_DATABASE")}
    env["MEETLAT_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "meetlat", *args], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip


def test_with_json_stdout_holds_one_object_and_the_message_goes_to_stderr(
    tmp_path: Path,
) -> None:
    assert run_cli("migrate", "--noinput", data_dir=tmp_path).returncode == 0
    assert run_cli("org", "add", "GM9992", "--name", "Foutdorp", data_dir=tmp_path).returncode == 0
    path = write_csv(tmp_path, "kapot.csv", BAD_ROWS)
    args = ["import", "contacts", str(path), "--org", "GM9992", "--format", "csv", "--json"]
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["line"] == 4
    assert "kapot.csv, line 4, column wait_s" in result.stderr
    assert "Traceback" not in result.stderr
