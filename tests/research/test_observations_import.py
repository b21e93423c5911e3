"""`observations_import`: all rows or none, idempotent, municipalities created as DESIGN.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetlat.accounts.models import AuditEntry
from meetlat.calc.observations import DEFAULT_WEIGHTS
from meetlat.organisations.models import Organisation, OrganisationKind
from meetlat.organisations.services import organisation_create
from meetlat.research.models import (
    ImportBatch,
    Observation,
    Scenario,
    Study,
    StudyMunicipality,
    Wave,
)
from meetlat.research.services import ObservationImportError, observations_import
from tests.conftest import Cast
from tests.research.samples import (
    CODE,
    EXAMPLE_A,
    EXAMPLE_B,
    NAME,
    OBSERVATIONS,
    csv_text,
    with_municipality,
    write,
)

pytestmark = pytest.mark.django_db
STUDY = "mystery-2026"
T1, T4, M1 = EXAMPLE_A[0], EXAMPLE_A[3], EXAMPLE_B[0]


def rows_file(path: Path, rows: list[dict[str, str]], **kwargs: str) -> Path:
    return write(path, csv_text(with_municipality(rows, **kwargs)))


def snapshot() -> tuple[int, ...]:
    return (
        Study.objects.count(),
        Wave.objects.count(),
        Observation.objects.count(),
        Scenario.objects.count(),
        Organisation.objects.count(),
        StudyMunicipality.objects.count(),
        ImportBatch.objects.count(),
        AuditEntry.objects.count(),
    )


def failing_import(path: Path, study: str = STUDY) -> ObservationImportError:
    before = snapshot()
    with pytest.raises(ObservationImportError) as caught:
        observations_import(study_name=study, path=path)
    assert snapshot() == before
    return caught.value


def test_examples_import_with_study_wave_municipality_and_scenarios(examples_csv: Path) -> None:
    result = observations_import(study_name=STUDY, path=examples_csv)
    assert (result.rows, result.imported, result.duplicates) == (10, 10, 0)
    assert result.municipalities_created == (CODE,)
    assert result.as_json() == {
        "study": STUDY,
        "wave": "0-meting",
        "rows": 10,
        "imported": 10,
        "municipalities_created": 1,
        "errors": [],
    }
    study = Study.objects.get(name=STUDY)
    assert study.owner is None
    assert study.weights == DEFAULT_WEIGHTS.as_dict()
    assert study.scoring_channel_weights()["phone"] == 2.0
    assert study.scoring_channel_weights()["email"] == 1.0
    wave = study.waves.get()
    assert (wave.name, wave.order, wave.status) == ("0-meting", 1, "fieldwork")
    meetdorp = Organisation.objects.get(code=CODE)
    assert (meetdorp.name, meetdorp.kind) == (NAME, OrganisationKind.MUNICIPALITY)
    assert list(study.participants.values_list("organisation__code", flat=True)) == [CODE]
    assert dict(study.scenarios.values_list("code", "channel")) == {
        **{f"T{i}": "phone" for i in range(1, 6)},
        **{f"M{i}": "email" for i in range(1, 6)},
    }
    assert wave.observations.count() == 10


def test_stored_observations_give_back_the_parsed_values(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    t2 = Observation.objects.select_related("organisation", "scenario").get(scenario__code="T2")
    values = t2.as_values()
    assert (values.municipality, values.municipality_name, values.scenario) == (CODE, NAME, "T2")
    assert (values.wait_s, values.transfers, values.transfers_warm) == (45, 1, True)
    assert (values.in_one_go, values.callback_kept, values.plain_language) == (
        "callback",
        True,
        "no",
    )
    assert values.extra_step is True


def test_an_import_writes_a_batch_and_one_audit_entry(examples_csv: Path, cast: Cast) -> None:
    observations_import(study_name=STUDY, path=examples_csv, actor=cast.ruben)
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.rows, batch.imported, batch.duplicates) == (
        "waarnemingen.csv",
        10,
        10,
        0,
    )
    assert len(batch.sha256) == 64 and batch.actor == cast.ruben
    entry = AuditEntry.objects.get(action="research.observations.imported")
    assert entry.actor == cast.ruben and entry.target_id == str(batch.pk)
    assert entry.data["imported"] == 10 and entry.data["municipalities_created"] == [CODE]
    assert AuditEntry.objects.filter(action="research.study.created").count() == 1


def test_importing_the_same_file_again_adds_nothing(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    again = observations_import(study_name=STUDY, path=examples_csv)
    assert (again.rows, again.imported, again.duplicates) == (10, 0, 10)
    assert again.municipalities_created == ()
    assert Observation.objects.count() == 10
    assert Organisation.objects.filter(code=CODE).count() == 1
    assert ImportBatch.objects.count() == 2


def test_an_overlapping_file_adds_only_the_new_rows(tmp_path: Path) -> None:
    observations_import(study_name=STUDY, path=rows_file(tmp_path / "a.csv", EXAMPLE_A))
    overlap = rows_file(tmp_path / "b.csv", EXAMPLE_A[3:] + EXAMPLE_B)
    result = observations_import(study_name=STUDY, path=overlap)
    assert (result.rows, result.imported, result.duplicates) == (7, 5, 2)
    assert Observation.objects.count() == 10


def test_the_same_question_at_the_same_instant_in_another_notation_is_a_duplicate(
    tmp_path: Path,
) -> None:
    observations_import(study_name=STUDY, path=rows_file(tmp_path / "a.csv", [T1]))
    utc = {**T1, "planned_at": "2026-04-14T07:00:00Z", "reached": "YES"}
    result = observations_import(study_name=STUDY, path=rows_file(tmp_path / "b.csv", [utc]))
    assert (result.imported, result.duplicates) == (0, 1)


def test_a_stored_question_with_other_values_is_an_error(tmp_path: Path) -> None:
    observations_import(study_name=STUDY, path=rows_file(tmp_path / "a.csv", [T1, T4]))
    corrected = {**T1, "correctness": "partly", "wait_s": "15"}
    error = failing_import(rows_file(tmp_path / "b.csv", [T4, corrected, EXAMPLE_A[4]]))
    [problem] = error.errors
    assert (problem.line, problem.column, problem.value) == (3, "wait_s", "15")
    assert "wait_s, correctness" in problem.message


def test_another_wave_gets_the_next_order_and_its_own_rows(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    result = observations_import(study_name=STUDY, path=examples_csv, wave_name="1-meting")
    assert (result.wave, result.imported) == ("1-meting", 10)
    assert list(Wave.objects.values_list("name", "order")) == [("0-meting", 1), ("1-meting", 2)]
    assert Scenario.objects.count() == 10


def test_a_reference_code_without_a_name_takes_the_cbs_display_name(tmp_path: Path) -> None:
    result = observations_import(
        study_name=STUDY, path=rows_file(tmp_path / "a.csv", [T1], code="GM0363", name="")
    )
    assert result.municipalities_created == ("GM0363",)
    assert Organisation.objects.get(code="GM0363").name == "Amsterdam"


def test_a_new_code_takes_the_name_given_on_any_of_its_rows(tmp_path: Path) -> None:
    rows = [{**T1, "municipality_name": ""}, {**T4, "municipality_name": "Nieuwdorp"}]
    observations_import(study_name=STUDY, path=rows_file(tmp_path / "a.csv", rows))
    assert Organisation.objects.get(code=CODE).name == "Nieuwdorp"


def test_a_known_municipality_keeps_its_name(tmp_path: Path) -> None:
    organisation_create(code=CODE, name="Gemeente Meetdorp")
    result = observations_import(
        study_name=STUDY, path=rows_file(tmp_path / "a.csv", [T1], name="Anders")
    )
    assert result.municipalities_created == ()
    assert Organisation.objects.get(code=CODE).name == "Gemeente Meetdorp"


def test_an_unknown_code_without_a_name_is_an_error_and_nothing_is_created(
    tmp_path: Path,
) -> None:
    error = failing_import(rows_file(tmp_path / "a.csv", [T1, T4], name=""))
    assert [(e.line, e.column, e.value) for e in error.errors] == [
        (2, "municipality", CODE),
        (3, "municipality", CODE),
    ]
    assert "not in the CBS list" in error.errors[0].message
    assert not Study.objects.filter(name=STUDY).exists()


def test_two_names_for_one_new_code_are_an_error(tmp_path: Path) -> None:
    rows = [T1, {**T4, "municipality_name": "Meetstad"}]
    error = failing_import(rows_file(tmp_path / "a.csv", rows))
    [problem] = error.errors
    assert (problem.line, problem.column, problem.value) == (3, "municipality_name", "Meetstad")


def test_the_code_of_an_organisation_that_is_not_a_municipality_is_an_error(
    tmp_path: Path,
) -> None:
    Organisation.objects.create(code=CODE, name="Bureau", kind=OrganisationKind.AGENCY)
    [problem] = failing_import(rows_file(tmp_path / "a.csv", [T1])).errors
    assert problem.column == "municipality" and "not a municipality" in problem.message


def test_a_scenario_belongs_to_one_channel(tmp_path: Path) -> None:
    observations_import(study_name=STUDY, path=rows_file(tmp_path / "a.csv", [T1]))
    as_email = {**M1, "scenario": "T1"}
    [problem] = failing_import(rows_file(tmp_path / "b.csv", [as_email])).errors
    assert (problem.line, problem.column, problem.value) == (2, "channel", "email")
    assert "phone scenario" in problem.message


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        ({**T1, "municipality": "GM99"}, "municipality", "GM99"),
        ({**T1, "wait_s": "abc"}, "wait_s", "abc"),
        ({**EXAMPLE_B[1], "answered_at": "2026-04-23T10:00:00+02:00"}, "answered_at", None),
        ({**T1, "correctness": "maybe"}, "correctness", "maybe"),
        ({**T1, "attempts": "0"}, "attempts", "0"),
        ({**T1, "reached": ""}, "reached", ""),
        ({**T1, "wait_s": ""}, "wait_s", ""),
        ({**T1, "transfers": ""}, "transfers", ""),
        ({**T1, "in_one_go": "callback"}, "in_one_go", "callback"),
        ({**T1, "planned_at": "14/04/2026 09:00"}, "planned_at", "14/04/2026 09:00"),
        ({**T1, "channel": "telefax"}, "channel", "telefax"),
    ],
)
def test_one_bad_row_among_good_ones_imports_nothing(
    tmp_path: Path, row: dict[str, str], column: str, value: str | None
) -> None:
    rows = [*OBSERVATIONS[:3], row, *OBSERVATIONS[3:]]
    error = failing_import(rows_file(tmp_path / "bad.csv", rows))
    [problem] = error.errors
    assert (problem.line, problem.column) == (5, column)
    if value is not None:
        assert problem.value == value
    assert error.as_json()["imported"] == 0 and error.as_json()["rows"] == 11
    assert not Study.objects.filter(name=STUDY).exists()
    assert not Organisation.objects.filter(code=CODE).exists()


def test_a_failed_import_into_an_existing_study_changes_nothing(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    bad = rows_file(examples_csv.parent / "bad.csv", [{**T1, "scenario": "T9", "wait_s": "x"}])
    failing_import(bad)


def test_more_than_100_problems_report_the_first_100(tmp_path: Path) -> None:
    rows = [{**T1, "scenario": f"T{i}", "wait_s": "abc"} for i in range(150)]
    error = failing_import(rows_file(tmp_path / "bad.csv", rows))
    assert len(error.errors) == 150
    assert len(error.as_json()["errors"]) == 100
    assert "… and 50 more problems." in error.describe()
    assert error.describe().endswith("nothing was imported.")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", 1, "empty"),
        (csv_text([]).encode(), 2, "no observations"),
        (b"municipality,channel\nGM9901,phone\n", 1, "required column missing"),
        (csv_text(with_municipality([T1], name="Súdwest")).encode("cp1252"), 2, "not UTF-8"),
    ],
)
def test_bad_files_are_errors(tmp_path: Path, content: bytes, line: int, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    error = failing_import(path)
    assert error.errors[0].line == line and message in error.errors[0].message


def test_a_utf8_file_with_a_byte_order_mark_imports(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(with_municipality(OBSERVATIONS)).encode())
    assert observations_import(study_name=STUDY, path=path).imported == 10


@pytest.mark.parametrize(("name", "message"), [("nope.csv", "no such file"), (".", "folder")])
def test_a_missing_file_or_a_folder_is_an_error(tmp_path: Path, name: str, message: str) -> None:
    error = failing_import(tmp_path / name)
    [problem] = error.errors
    assert problem.line is None and message in problem.message


@pytest.mark.parametrize("study", ["", " padded ", "x" * 101])
def test_a_bad_study_name_is_an_error(examples_csv: Path, study: str) -> None:
    [problem] = failing_import(examples_csv, study=study).errors
    assert problem.column == "study"
