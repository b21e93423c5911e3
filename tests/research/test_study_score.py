"""`study_score_get`: worked examples A and B of METHODOLOGY.md §2.6-2.7 from stored rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from meetlat.organisations.models import Organisation
from meetlat.research.models import Study
from meetlat.research.selectors import study_get, study_score_get, wave_get, wave_latest
from meetlat.research.services import observations_import
from tests.research.samples import CODE, EXAMPLE_A, NAME, csv_text, with_municipality, write

pytestmark = pytest.mark.django_db
STUDY = "mystery-2026"


def score(wave_name: str | None = None) -> dict[str, Any]:
    study = study_get(name=STUDY)
    assert study is not None
    wave = wave_latest(study=study) if wave_name is None else wave_get(study=study, name=wave_name)
    return study_score_get(study=study, wave=wave)


def entry(result: dict[str, Any], code: str = CODE) -> dict[str, Any]:
    return next(m for m in result["municipalities"] if m["code"] == code)


def test_worked_examples_give_the_grades_of_the_methodology(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    result = score()
    assert set(result) == {"study", "municipalities", "reference"}
    meetdorp = entry(result)
    assert set(meetdorp) == {"code", "name", "phone", "email", "overall", "band", "rank"}
    assert meetdorp["name"] == NAME
    assert meetdorp["phone"]["grade"] == pytest.approx(5.679735, abs=1e-6)
    assert meetdorp["phone"]["potential"] == pytest.approx(8.070625, abs=1e-6)
    assert (meetdorp["phone"]["planned"], meetdorp["phone"]["answered"]) == (5, 4)
    assert meetdorp["email"]["grade"] == pytest.approx(5.05, abs=1e-6)
    assert meetdorp["email"]["potential"] == pytest.approx(7.75, abs=1e-6)
    assert (meetdorp["email"]["planned"], meetdorp["email"]["answered"]) == (5, 3)
    assert meetdorp["overall"] == pytest.approx(5.469824, abs=1e-6)
    assert (meetdorp["band"], meetdorp["rank"]) == ("onvoldoende", 1)


def test_reference_holds_the_norm_the_ezk_figures_and_the_study_means(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    reference = score()["reference"]
    assert reference["norm"] == 7.0
    assert reference["ezk_0_meting"] == {
        "phone": {"grade": 6.3, "potential": 7.01},
        "email": {"grade": 6.39, "potential": 8.01, "answered_share": 0.76},
    }
    assert reference["ezk_1_meting"] == {
        "phone": {"grade": 7.02, "potential": 7.48},
        "email": {"grade": 6.5},
        "overall": 6.8,
    }
    assert reference["study"]["overall"] == pytest.approx(5.469824, abs=1e-6)
    assert reference["study"]["phone"]["grade"] == pytest.approx(5.679735, abs=1e-6)


def test_the_municipality_calendar_counts_its_closing_days(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    meetdorp = Organisation.objects.get(code=CODE)
    meetdorp.closing_days.create(date=dt.date(2026, 5, 15), reason="Brugdag")
    email = entry(score())["email"]
    # M4's due10 moves from Fri 29 May to Mon 1 Jun: its answer now counts (timeliness 0.25).
    assert email["answered"] == 4
    assert email["grade"] > 5.05


def test_the_study_weights_are_used(examples_csv: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    Study.objects.filter(name=STUDY).update(channel_weights={"phone": 1.0, "email": 1.0})
    assert entry(score())["overall"] == pytest.approx((5.679735 + 5.05) / 2, abs=1e-6)


def test_the_latest_wave_is_scored_unless_another_is_named(
    examples_csv: Path, tmp_path: Path
) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    phone_only = write(tmp_path / "1.csv", csv_text(with_municipality(EXAMPLE_A[:1])))
    observations_import(study_name=STUDY, path=phone_only, wave_name="1-meting")
    latest = entry(score())
    assert latest["email"] is None and latest["phone"]["planned"] == 1
    assert entry(score("0-meting"))["email"]["planned"] == 5


def test_municipalities_are_ranked_with_ties(examples_csv: Path, tmp_path: Path) -> None:
    observations_import(study_name=STUDY, path=examples_csv)
    for code, name in (("GM9902", "Tweedorp"), ("GM9903", "Driedorp")):
        path = write(tmp_path / f"{code}.csv", csv_text(with_municipality(EXAMPLE_A, code, name)))
        observations_import(study_name=STUDY, path=path)
    ranks = {m["code"]: m["rank"] for m in score()["municipalities"]}
    # Phone only scores 5.679735 overall; Meetdorp's e-mail pulls it down to 5.469824.
    assert ranks == {"GM9901": 3, "GM9902": 1, "GM9903": 1}


def test_a_study_without_a_wave_has_no_municipalities() -> None:
    study = Study.objects.create(name=STUDY)
    assert study_score_get(study=study, wave=None)["municipalities"] == []
