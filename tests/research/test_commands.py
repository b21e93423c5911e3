"""`meetlat study import-observations` and `meetlat study score` (DESIGN.md, command line)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetlat.research.models import Observation, Study
from tests.research.samples import EXAMPLE_A, csv_text, examples_text, with_municipality, write

STUDY = "contract-2026"
IMPORT_KEYS = {"study", "wave", "rows", "imported", "municipalities_created", "errors"}
ERROR_KEYS = {"line", "column", "value", "message"}


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


def json_out(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


@pytest.mark.django_db
def test_import_json_has_exactly_the_contract_keys(
    examples_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY, "--json")
    assert json_out(capsys) == {
        "study": STUDY,
        "wave": "0-meting",
        "rows": 10,
        "imported": 10,
        "municipalities_created": 1,
        "errors": [],
    }
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY, "--json")
    again = json_out(capsys)
    assert set(again) == IMPORT_KEYS
    assert (again["imported"], again["municipalities_created"]) == (0, 0)


@pytest.mark.django_db
def test_import_without_json_reports_duplicates(
    examples_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY)
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY)
    out = capsys.readouterr().out.splitlines()
    assert "10 imported, 0 already present" in out[0] and "created: GM9901" in out[0]
    assert "0 imported, 10 already present" in out[1] and "created: none" in out[1]


@pytest.mark.django_db
def test_import_into_a_named_wave(examples_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "study", "import-observations", str(examples_csv), "--study", STUDY, "--wave", "1-meting"
    )
    assert "wave '1-meting'" in capsys.readouterr().out


@pytest.mark.django_db
def test_bad_input_prints_json_errors_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [EXAMPLE_A[0], EXAMPLE_A[1], {**EXAMPLE_A[2], "wait_s": "abc"}, EXAMPLE_A[3]]
    path = write(tmp_path / "kapot.csv", csv_text(with_municipality(rows)))
    with pytest.raises(CommandError) as caught:
        call_command("study", "import-observations", str(path), "--study", STUDY, "--json")
    assert caught.value.returncode == 2
    assert f"{path}, line 4, column wait_s, value 'abc'" in str(caught.value)
    result = json_out(capsys)
    assert set(result) == IMPORT_KEYS
    assert (result["rows"], result["imported"], result["municipalities_created"]) == (4, 0, 0)
    assert result["errors"] == [
        {"line": 4, "column": "wait_s", "value": "abc", "message": "not a whole number."}
    ]
    assert not Study.objects.exists() and not Observation.objects.exists()


@pytest.mark.django_db
def test_score_json_gives_the_worked_examples(
    examples_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY)
    capsys.readouterr()
    call_command("study", "score", STUDY, "--json")
    result = json_out(capsys)
    assert set(result) == {"study", "municipalities", "reference"}
    municipalities = result["municipalities"]
    assert isinstance(municipalities, list) and len(municipalities) == 1
    meetdorp = municipalities[0]
    assert meetdorp["overall"] == pytest.approx(5.469824, abs=1e-6)
    assert set(meetdorp["phone"]) == {"grade", "potential", "planned", "answered"}


@pytest.mark.django_db
def test_score_table_uses_dutch_decimal_commas(
    examples_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY)
    capsys.readouterr()
    call_command("study", "score", STUDY)
    out = capsys.readouterr().out
    assert "wave 0-meting; norm 7,0" in out
    row = next(line for line in out.splitlines() if line.startswith("GM9901"))
    assert row.split() == [
        "GM9901", "Meetdorp", "5,68", "8,07", "4/5", "5,05", "7,75", "3/5", "5,47",
        "onvoldoende", "1",
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "nope"], "study 'nope': no such study."),
        (["score", STUDY, "--wave", "9-meting"], "has no wave '9-meting'"),
    ],
)
def test_score_of_an_unknown_study_or_wave_exits_2(
    examples_csv: Path, args: list[str], message: str
) -> None:
    call_command("study", "import-observations", str(examples_csv), "--study", STUDY)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("study", *args)
    assert caught.value.returncode == 2


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    assert run_cli("migrate", "--noinput", data_dir=folder).returncode == 0
    return folder


def test_cli_bad_input_exits_2_naming_file_line_and_field(data_dir: Path) -> None:
    rows = [EXAMPLE_A[0], {**EXAMPLE_A[1], "correctness": "maybe"}]
    path = write(data_dir / "fout.csv", csv_text(with_municipality(rows)))
    result = run_cli("study", "import-observations", str(path), "--study", "x", data_dir=data_dir)
    assert result.returncode == 2
    assert f"{path}, line 3, column correctness, value 'maybe'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_cli_import_and_score_print_one_json_object_each(data_dir: Path) -> None:
    path = write(data_dir / "waarnemingen.csv", examples_text())
    imported = run_cli(
        "study", "import-observations", str(path), "--study", "cli", "--json", data_dir=data_dir
    )
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"] == 10
    scored = run_cli("study", "score", "cli", "--json", data_dir=data_dir)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["municipalities"][0]["rank"] == 1
