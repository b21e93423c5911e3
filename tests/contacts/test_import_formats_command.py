"""`meetlat import contacts` with `--mapping` and with `--format asterisk`: counts and KPIs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetlat.contacts.models import Contact
from meetlat.organisations.models import Organisation
from meetlat.organisations.services import organisation_create

IMPORTERS = Path(__file__).resolve().parents[2] / "src/meetlat/contacts/importers"
CSV_SAMPLES = IMPORTERS / "csv/samples"
LOGS = IMPORTERS / "asterisk/samples"


@pytest.fixture
def dorp(db: None) -> Organisation:
    return organisation_create(code="GM9990", name="Contractdorp")


def run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict[str, Any]:
    call_command("import", "contacts", str(path), "--org", "GM9990", *args, "--json")
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def kpis(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    call_command("kpis", "--org", "GM9990", "--json")
    result: dict[str, Any] = json.loads(capsys.readouterr().out)["kpis"]
    return result


@pytest.mark.parametrize(
    ("name", "rows", "offered", "answered", "abandoned", "asa"),
    [("acd-export-nl", 11, 10, 8, 2, 62.5), ("cloud-call-detail", 8, 6, 4, 2, 25.0)],
)
def test_the_sample_exports_import_with_their_mapping(
    dorp: Organisation, capsys: pytest.CaptureFixture[str], name: str, rows: int, offered: int,
    answered: int, abandoned: int, asa: float,
) -> None:  # fmt: skip
    mapping = str(CSV_SAMPLES / f"{name}.toml")
    out = run(capsys, CSV_SAMPLES / f"{name}.csv", "--format", "csv", "--mapping", mapping)
    assert (out["rows"], out["imported"], out["duplicates"], out["errors"]) == (rows, rows, 0, [])
    figures = kpis(capsys)
    assert (figures["offered"], figures["answered"], figures["abandoned"]) == (
        offered, answered, abandoned
    )  # fmt: skip
    assert figures["asa_s"] == pytest.approx(asa)
    again = run(capsys, CSV_SAMPLES / f"{name}.csv", "--format", "csv", "--mapping", mapping)
    assert (again["imported"], again["duplicates"]) == (0, rows)


def test_a_bad_mapping_exits_2_naming_the_file_and_key(dorp: Organisation, tmp_path: Path) -> None:
    mapping = tmp_path / "acd.toml"
    text = (CSV_SAMPLES / "acd-export-nl.toml").read_text().replace('"abandoned"', '"opgehangen"')
    mapping.write_text(text)
    with pytest.raises(CommandError) as caught:
        call_command("import", "contacts", str(CSV_SAMPLES / "acd-export-nl.csv"), "--org",
                     "GM9990", "--format", "csv", "--mapping", str(mapping))  # fmt: skip
    assert caught.value.returncode == 2
    assert f"--mapping: {mapping}, key outcomes.opgehangen: must be one of" in str(caught.value)
    assert not Contact.objects.exists()


def test_a_bad_cell_names_the_physical_line_and_source_column(
    dorp: Organisation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (CSV_SAMPLES / "acd-export-nl.csv").read_bytes().replace(b";0:00:45;", b";0:0x:45;")
    path = tmp_path / "acd.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        run(capsys, path, "--format", "csv", "--mapping", str(CSV_SAMPLES / "acd-export-nl.toml"))
    assert caught.value.returncode == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["line"], e["column"], e["value"]) for e in errors] == [(9, "Wachttijd", "0:0x:45")]
    assert f"{path}, line 9, column Wachttijd" in str(caught.value)


@pytest.mark.parametrize("layout", ["new", "old"])
def test_a_queue_log_imports_closed_calls_and_reports_open_ones(
    dorp: Organisation, capsys: pytest.CaptureFixture[str], layout: str
) -> None:
    path = LOGS / f"queue_log-{layout}-layout.txt"
    out = run(capsys, path, "--format", "asterisk")
    assert (out["rows"], out["imported"], out["duplicates"], out["open"]) == (7, 7, 0, 2)
    figures = kpis(capsys)
    assert (figures["offered"], figures["answered"], figures["abandoned"]) == (7, 3, 4)
    assert figures["asa_s"] == pytest.approx(37 / 3)
    assert not Contact.objects.filter(customer_hash="0612345678").exists()
    assert Contact.objects.exclude(customer_hash="").count() == 6
    again = run(capsys, path, "--format", "asterisk")
    assert (again["imported"], again["duplicates"]) == (0, 7)


def test_the_old_and_new_layout_of_the_same_calls_overlap_completely(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, LOGS / "queue_log-old-layout.txt", "--format", "asterisk")
    out = run(capsys, LOGS / "queue_log-new-layout.txt", "--format", "asterisk")
    assert (out["imported"], out["duplicates"]) == (0, 7)


def test_a_malformed_queue_log_exits_2_with_line_and_field(
    dorp: Organisation, tmp_path: Path
) -> None:
    path = tmp_path / "queue_log"
    path.write_text(
        "1773129600|c1|kcc|NONE|ENTERQUEUE||0611\n\nnot-a-time|c1|kcc|NONE|ABANDON|1|1|3\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import", "contacts", str(path), "--org", "GM9990", "--format", "asterisk")
    assert caught.value.returncode == 2
    assert f"{path}, line 3, column time" in str(caught.value)
    assert not Contact.objects.exists()


def test_readable_output_names_the_open_calls(
    dorp: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    path = LOGS / "queue_log-old-layout.txt"
    call_command("import", "contacts", str(path), "--org", "GM9990", "--format", "asterisk")
    assert capsys.readouterr().out.strip() == (
        f"{path}: 7 rows, 7 imported, 0 already present. 2 call(s) still open, not counted."
    )
