"""A study with METHODOLOGY.md's worked examples A and B for GM9901 "Meetdorp" (and, where a
test needs a ranking, a second municipality)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from meetlat.reports.selectors import WaveData, wave_data_get
from meetlat.research.models import Study
from meetlat.research.services import observations_import
from tests.research.samples import OBSERVATIONS, Row, csv_text, with_municipality, write

STUDY = "rapport-2026"
#: A weaker second municipality: every phone call unreached, every e-mail unanswered.
OTHER_CODE, OTHER_NAME = "GM9902", "Andersdorp"


def unreached(rows: list[Row]) -> list[Row]:
    """Examples A and B with every call unreached and every e-mail unanswered (all S = 1)."""
    out = []
    for row in rows:
        common = {k: row[k] for k in ("scenario", "channel", "planned_at")}
        if row["channel"] == "phone":
            out.append({**common, "attempts": "3", "reached": "no"})
        else:
            out.append({**common, "sent_at": row["sent_at"]})
    return out


ImportRows = Callable[..., Study]


@pytest.fixture
def import_rows(tmp_path: Path, db: None) -> ImportRows:
    """Import observation rows (with municipality columns) into a study wave."""

    def run(rows: list[Row], *, study: str = STUDY, wave: str = "0-meting") -> Study:
        path = write(tmp_path / f"{wave}.csv", csv_text(rows))
        observations_import(study_name=study, path=path, wave_name=wave)
        return Study.objects.get(name=study)

    return run


@pytest.fixture
def study(import_rows: ImportRows) -> Study:
    """Worked examples A and B for GM9901 Meetdorp, wave 0-meting."""
    return import_rows(with_municipality(OBSERVATIONS))


@pytest.fixture
def data(study: Study) -> WaveData:
    return wave_data_get(study=study, wave=study.waves.get())


@pytest.fixture
def two_municipalities(import_rows: ImportRows) -> Study:
    rows = with_municipality(OBSERVATIONS) + with_municipality(
        unreached(OBSERVATIONS), OTHER_CODE, OTHER_NAME
    )
    return import_rows(rows)
