"""Property: any file is either imported whole or rejected whole with clean errors."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from meetlat.research.models import Observation, Study
from meetlat.research.parsing import COLUMNS
from meetlat.research.selectors import study_score_get, wave_latest
from meetlat.research.services import ObservationImportError, observations_import
from tests.research.samples import OBSERVATIONS, csv_text, with_municipality
from tests.research.test_observations_import import snapshot

STUDIES = itertools.count()
TRICKY = [
    "", " ", "abc", "-1", "0", "1", "3", "99999999999999", "1.5", "yes", "no", "na", "YES",
    "maybe", "callback", "correct", "partly", "none", "more", "good", "poor", "phone", "email",
    "counter", "chat", "letter", "GM9901", "GM0363", "GM99", "GM9999", "gm9901",
    "2026-04-14T09:00", "2026-04-14", "2026-03-29T02:30", "2026-10-25T02:30",
    "2026-04-14T09:00:00+02:00", "2026-04-13T09:00:00Z", "9999-12-31T23:59:59+14:00",
    '"', "\n", "\r\n", "=cmd|' /C calc'!A0", "Súdwest-Fryslân", "\u2028", "x" * 300,
]  # fmt: skip

mutation = st.tuples(
    st.integers(0, len(OBSERVATIONS) - 1),
    st.sampled_from(COLUMNS),
    st.one_of(st.sampled_from(TRICKY), st.text(max_size=20)),
)
#: Changes that keep a row valid: another scenario code, case and spaces, another name.
harmless = st.one_of(
    st.tuples(
        st.integers(0, len(OBSERVATIONS) - 1),
        st.just("scenario"),
        st.text("ABCXYZ0123456789-", min_size=1, max_size=8),
    ),
    st.tuples(st.integers(0, 4), st.just("channel"), st.sampled_from([" PHONE", "counter"])),
    st.tuples(st.just(0), st.just("municipality_name"), st.sampled_from(["Meetdorp", "Súdwest"])),
)
junk = st.tuples(st.integers(0, 2000), st.binary(min_size=1, max_size=8))


def build(mutations: list[tuple[int, str, str]], garbage: list[tuple[int, bytes]]) -> bytes:
    rows = with_municipality(OBSERVATIONS)
    for index, column, value in mutations:
        rows[index][column] = value
    data = csv_text(rows).encode("utf-8")
    for position, chunk in garbage:
        cut = min(position, len(data))
        data = data[:cut] + chunk + data[cut:]
    return data


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutations=st.one_of(st.lists(harmless, max_size=3), st.lists(mutation, max_size=4)),
    garbage=st.one_of(st.just([]), st.lists(junk, max_size=2)),
)
def test_an_import_commits_every_row_or_none(
    tmp_path: Path, mutations: list[tuple[int, str, str]], garbage: list[tuple[int, bytes]]
) -> None:
    path = tmp_path / "random.csv"
    data = build(mutations, garbage)
    path.write_bytes(data)
    name = f"random-{next(STUDIES)}"
    before = snapshot()
    try:
        result = observations_import(study_name=name, path=path)
    except ObservationImportError as error:
        event("rejected")
        assert snapshot() == before
        assert error.errors and not Study.objects.filter(name=name).exists()
        last_line = data.count(b"\n") + data.count(b"\r") + 2
        assert all(e.line is None or 1 <= e.line <= last_line for e in error.errors)
        assert error.as_json()["imported"] == 0
        return
    event("imported")
    assert result.imported + result.duplicates == result.rows
    assert Observation.objects.filter(wave__study__name=name).count() == result.imported
    study = Study.objects.get(name=name)
    study_score_get(study=study, wave=wave_latest(study=study))  # every stored row is scorable
    again = observations_import(study_name=name, path=path)
    assert (again.imported, again.duplicates) == (0, result.rows)
