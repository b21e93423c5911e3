"""`meetlat study report` and `meetlat study benchmark-report` (DESIGN.md, command line)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from meetlat.organisations.services import organisation_create
from meetlat.research.models import Study
from tests.reports.conftest import STUDY
from tests.research.samples import CODE
from tests.research.test_commands import run_cli


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("study", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_report_writes_a_pdf_and_prints_its_path(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    out, err = run("report", STUDY, "--org", CODE, "--output", str(path))
    assert out.strip() == str(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert "Writing PDF" in err


def test_report_writes_a_workbook(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "rapport.xlsx"
    out, _err = run("report", STUDY, "--org", CODE, "--output", str(path), "--language", "en")
    assert out.strip() == str(path)
    assert len(load_workbook(path).sheetnames) == 4


@pytest.mark.parametrize("name", ["benchmark.pdf", "benchmark.xlsx"])
def test_benchmark_report_writes_pdf_or_xlsx(study: Study, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    out, _err = run("benchmark-report", STUDY, "--output", str(path))
    assert out.strip() == str(path) and path.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", STUDY, "--org", CODE, "--output", "{tmp}/r.docx"], "unknown extension '.docx'"),
        (["report", STUDY, "--org", CODE, "--output", "{tmp}/r"], "unknown extension '(none)'"),
        (["report", STUDY, "--org", "GM0000", "--output", "{tmp}/r.pdf"], "'GM0000': no such"),
        (["report", STUDY, "--org", "GM9802", "--output", "{tmp}/r.pdf"], "not a municipality"),
        (["report", "nope", "--org", CODE, "--output", "{tmp}/r.pdf"], "'nope': no such study"),
        (["report", STUDY, "--org", CODE, "--wave", "9-meting", "--output", "{tmp}/r.pdf"],
         "has no wave '9-meting'"),
        (["report", STUDY, "--org", CODE, "--output", "{tmp}/missing/r.pdf"], "does not exist"),
        (["benchmark-report", STUDY, "--output", "{tmp}/b.txt"], "unknown extension '.txt'"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_and_writes_nothing(
    study: Study, tmp_path: Path, args: list[str], message: str
) -> None:
    organisation_create(code="GM9802", name="Gemeente Anders")
    out = tmp_path / "out"
    out.mkdir()
    error = fails(*(a.replace("{tmp}", str(out)) for a in args))
    assert message in error
    assert list(out.iterdir()) == []


def test_report_options_are_required(study: Study) -> None:
    with pytest.raises(CommandError, match="--org"):
        run("report", STUDY, "--output", "x.pdf")


def test_the_console_script_exits_2_on_bad_input(tmp_path: Path) -> None:
    """Through the real entry point (not call_command): exit status and message on stderr."""
    assert run_cli("migrate", "--noinput", data_dir=tmp_path).returncode == 0
    bad = run_cli("study", "report", "nope", "--org", CODE, "--output", "x.pdf", data_dir=tmp_path)
    assert bad.returncode == 2 and "'nope': no such study" in bad.stderr
    assert bad.stdout == "" and "Traceback" not in bad.stderr
    missing = run_cli("study", "benchmark-report", "nope", data_dir=tmp_path)
    assert missing.returncode == 2 and "--output" in missing.stderr
