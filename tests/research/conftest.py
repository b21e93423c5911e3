from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.calc.calendar import AMSTERDAM
from meetlat.research.models import Study, Wave
from meetlat.research.services.planning import wave_plan
from meetlat.research.services.scenarios import ScenarioText, scenario_create
from meetlat.research.services.studies import study_create
from tests.conftest import Cast, make_user
from tests.research.samples import examples_text, write


@pytest.fixture
def examples_csv(tmp_path: Path) -> Path:
    """METHODOLOGY §2.6 and §2.7 as an observations CSV for GM9901 Meetdorp."""
    return write(tmp_path / "waarnemingen.csv", examples_text())


# -- a planned study of Meetbureau (Ruben's agency) ---------------------------------------------

#: Planning happens a month before fieldwork; tests run at this frozen moment.
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
FIELDWORK = (dt.date(2026, 4, 6), dt.date(2026, 5, 1))
STUDY = "Bereikbaarheid 2026"


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def auditors(cast: Cast) -> list[User]:
    """Bram and four colleagues: enough auditors for 15 calls per municipality."""
    return [cast.bram, *(make_user(f"auditor{n}", cast.bureau, Role.AUDITOR) for n in range(4))]


@pytest.fixture
def study(cast: Cast, auditors: list[User], frozen: None) -> Study:
    """Voorbeeld and Anders, 15 calls and 5 e-mails each, with phone and e-mail scenarios."""
    study = study_create(
        name=STUDY,
        owner=cast.bureau,
        municipality_codes=[cast.voorbeeld.code, cast.anders.code],
        questions={"phone": 15, "email": 5},
        fieldwork_start=FIELDWORK[0],
        fieldwork_end=FIELDWORK[1],
        actor=cast.ruben,
    )
    study.waves.update(seed=20260406)  # a fixed plan, so the tests are reproducible
    for n in range(1, 4):
        text = ScenarioText(name=f"Vraag {n}", channel="phone", question="Hoe vraag ik … aan?")
        scenario_create(study=study, code=f"T{n:02d}", text=text, actor=cast.ruben)
    for n in range(1, 6):
        text = ScenarioText(name=f"Mail {n}", channel="email", persona=f"Persona {n}")
        scenario_create(study=study, code=f"M{n:02d}", text=text, actor=cast.ruben)
    return study


@pytest.fixture
def planned(study: Study, cast: Cast) -> Wave:
    wave = study.waves.get()
    wave_plan(wave=wave, actor=cast.ruben)
    return wave
