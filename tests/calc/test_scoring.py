"""Mystery research scoring (METHODOLOGY.md §2.3-2.7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import statistics
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.scoring import (
    UNANSWERED,
    Observation,
    ObservationError,
    PhoneWeights,
    Weights,
    WrittenWeights,
    YesNoNa,
    acknowledgement_score,
    band,
    bejegening_score,
    channel_result,
    grade_from_aspects,
    in_one_go_score,
    is_answered,
    municipality_score,
    overall,
    phone_aspects,
    potential_question_grade,
    question_grade,
    rank,
    reachability_score,
    reference_figures,
    study_score,
    timeliness_score,
    transfers_score,
    weighted_sum,
    written_aspects,
)

AMS = ZoneInfo("Europe/Amsterdam")
CAL = WorkCalendar()
EPS = 1e-9


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=AMS)


def phone(scenario: str = "T", **fields: Any) -> Observation:
    base: dict[str, Any] = {
        "municipality": "GM9901",
        "municipality_name": "Meetdorp",
        "scenario": scenario,
        "channel": "phone",
        "reached": True,
        "attempts": 1,
        "wait_s": 10,
        "transfers": 0,
        "in_one_go": "yes",
        "correctness": "correct",
        "completeness": "complete",
    }
    return Observation(**(base | fields))


def email(scenario: str = "M", **fields: Any) -> Observation:
    base: dict[str, Any] = {
        "municipality": "GM9901",
        "municipality_name": "Meetdorp",
        "scenario": scenario,
        "channel": "email",
        "correctness": "correct",
        "completeness": "complete",
        "tone": "good",
    }
    return Observation(**(base | fields))


# -- worked example A (§2.6) --------------------------------------------------------------------

T1 = phone(
    "T1",
    wait_s=14,
    introduced_name="yes",
    friendly="yes",
    plain_language="yes",
    asked_more_questions="no",
    recording_announced="na",
)
T2 = phone(
    "T2",
    wait_s=45,
    transfers=1,
    transfers_warm=True,
    reason_passed_on=True,
    in_one_go="callback",
    callback_promised=True,
    callback_kept=True,
    correctness="partly",
    completeness="partial",
    introduced_name="yes",
    friendly="yes",
    plain_language="no",
    asked_more_questions="yes",
    recording_announced="yes",
    extra_step=True,
)
T3 = phone(
    "T3",
    attempts=2,
    wait_s=90,
    transfers=2,
    transfers_warm=False,
    reason_passed_on=False,
    in_one_go="no",
    correctness="wrong",
    completeness="none",
    introduced_name="no",
    friendly="yes",
    plain_language="yes",
    asked_more_questions="no",
    recording_announced="no",
)
T4 = phone(
    "T4",
    attempts=3,
    reached=False,
    wait_s=None,
    transfers=None,
    in_one_go=None,
    correctness=None,
    completeness=None,
)
T5 = phone(
    "T5",
    wait_s=8,
    transfers=3,
    transfers_warm=True,
    reason_passed_on=True,
    completeness="more",
    extra_step=True,
)
EXAMPLE_A = (T1, T2, T3, T4, T5)

EXAMPLE_A_ASPECTS = {
    "T1": (1, 1, 1, 1, 1, 0.75, 0),
    "T2": (0.5, 0.5, 1, 0.5, 0.5, 0.8, 1),
    "T3": (0.5, 0, 0.5, 0, 0, 0.4, 0),
    "T5": (1, 1, 0, 1, 1, None, 1),
}
EXAMPLE_A_SUMS = {"T1": 0.9125, "T2": 0.62, "T3": 0.185, "T5": 0.75 / 0.85}
EXAMPLE_A_GRADES = {"T1": 9.2125, "T2": 6.58, "T3": 2.665, "T4": 1.0, "T5": 8.941176}
EXAMPLE_A_POTENTIAL = {"T1": 9.2125, "T2": 7.93, "T3": 5.14, "T4": None, "T5": 10.0}


@pytest.mark.parametrize("obs", [T1, T2, T3, T5], ids=lambda o: o.scenario)
def test_example_a_aspect_scores_match_the_table(obs: Observation) -> None:
    expected = dict(zip(PhoneWeights().as_dict(), EXAMPLE_A_ASPECTS[obs.scenario], strict=True))
    assert phone_aspects(obs) == pytest.approx(expected)


@pytest.mark.parametrize("obs", [T1, T2, T3, T5], ids=lambda o: o.scenario)
def test_example_a_weighted_sums_match_the_table(obs: Observation) -> None:
    weights = PhoneWeights().as_dict()
    assert weighted_sum(phone_aspects(obs), weights) == pytest.approx(
        EXAMPLE_A_SUMS[obs.scenario], abs=EPS
    )


@pytest.mark.parametrize("obs", EXAMPLE_A, ids=lambda o: o.scenario)
def test_example_a_question_grades_match_the_table(obs: Observation) -> None:
    assert question_grade(obs, CAL) == pytest.approx(EXAMPLE_A_GRADES[obs.scenario], abs=5e-7)


@pytest.mark.parametrize("obs", EXAMPLE_A, ids=lambda o: o.scenario)
def test_example_a_potential_question_grades_match_the_text(obs: Observation) -> None:
    expected = EXAMPLE_A_POTENTIAL[obs.scenario]
    assert potential_question_grade(obs, CAL) == (
        None if expected is None else pytest.approx(expected, abs=EPS)
    )


def test_example_a_phone_channel_result_matches_the_text() -> None:
    result = channel_result(EXAMPLE_A, "phone", CAL)
    assert result.grade == pytest.approx(28.398676 / 5, abs=5e-7)
    assert round(result.grade or 0, 6) == 5.679735
    assert result.potential == pytest.approx(32.2825 / 4, abs=EPS)
    assert round(result.potential or 0, 6) == 8.070625
    assert (result.planned, result.answered) == (5, 4)


def test_unreached_question_grades_one_whatever_else_was_recorded() -> None:
    obs = dataclasses.replace(T1, reached=False, attempts=3)
    assert question_grade(obs, CAL) == 1.0
    assert potential_question_grade(obs, CAL) is None


def test_all_bejegening_left_out_divides_the_rest_by_its_weight_sum() -> None:
    aspects = phone_aspects(T5)
    assert aspects["bejegening"] is None
    expected = (0.15 + 0.15 + 0.0 + 0.25 + 0.15 + 0.05) / 0.85
    assert weighted_sum(aspects, PhoneWeights().as_dict()) == pytest.approx(expected, abs=EPS)


# -- phone aspect rules (§2.4) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "wait_s", "expected"),
    [(1, 20, 1.0), (1, 21, 0.5), (1, 60, 0.5), (1, 61, 0.0), (2, 5, 0.5), (2, 600, 0.5), (3, 5, 0)],
)
def test_phone_reachability_follows_attempts_and_wait(
    attempts: int, wait_s: int, expected: float
) -> None:
    assert reachability_score(phone(attempts=attempts, wait_s=wait_s)) == expected


@pytest.mark.parametrize(("wait_s", "expected"), [(300, 1.0), (301, 0.5), (900, 0.5), (901, 0.0)])
def test_counter_reachability_follows_the_wait_only(wait_s: int, expected: float) -> None:
    obs = phone(channel="counter", attempts=None, wait_s=wait_s)
    assert reachability_score(obs, counter=True) == expected
    assert phone_aspects(obs, counter=True)["reachability"] == expected


def test_counter_question_uses_counter_reachability() -> None:
    counter = phone(channel="counter", attempts=None, wait_s=200, extra_step=True)
    assert question_grade(counter, CAL) == 10.0
    assert question_grade(dataclasses.replace(counter, channel="phone", attempts=1), CAL) < 10.0


@pytest.mark.parametrize(
    ("in_one_go", "kept", "expected"),
    [("yes", None, 1.0), ("callback", True, 0.5), ("callback", False, 0.0), ("no", None, 0.0)],
)
def test_in_one_go_scores_callbacks_half_only_when_kept(
    in_one_go: str, kept: bool | None, expected: float
) -> None:
    obs = phone(in_one_go=in_one_go, callback_promised=in_one_go == "callback", callback_kept=kept)
    assert in_one_go_score(obs) == expected


@pytest.mark.parametrize(
    ("transfers", "warm", "reason", "expected"),
    [
        (0, None, None, 1.0),
        (2, True, True, 1.0),
        (1, True, False, 0.5),
        (2, None, None, 0.5),
        (3, True, True, 0.0),
    ],
)
def test_transfers_score_rewards_warm_transfers_with_the_subject(
    transfers: int, warm: bool | None, reason: bool | None, expected: float
) -> None:
    obs = phone(transfers=transfers, transfers_warm=warm, reason_passed_on=reason)
    assert transfers_score(obs) == expected


def test_bejegening_leaves_out_na_and_empty_items() -> None:
    assert bejegening_score(phone(introduced_name="yes", friendly="na", plain_language="no")) == 0.5
    assert bejegening_score(phone(introduced_name="na", recording_announced="na")) is None


def test_scoring_a_reached_question_without_correctness_names_the_field() -> None:
    with pytest.raises(ObservationError, match="GM9901 T1 \\(phone\\): correctness is required"):
        question_grade(dataclasses.replace(T1, correctness=None), CAL)


def test_phone_question_without_reached_cannot_be_scored() -> None:
    with pytest.raises(ObservationError, match="reached is required"):
        question_grade(phone(reached=None), CAL)


def test_observation_rejects_naive_datetimes_and_unknown_channels() -> None:
    with pytest.raises(ObservationError, match="aware"):
        email(sent_at=dt.datetime(2026, 4, 21, 10, 0))
    with pytest.raises(ObservationError, match="Unknown channel"):
        phone(channel="pigeon")


# -- worked example B (§2.7) --------------------------------------------------------------------

M1 = email(
    "M1", sent_at=at(4, 21, 10), acknowledged_at=at(4, 21, 10, 20), answered_at=at(4, 22, 9, 30)
)
M2 = email(
    "M2", sent_at=at(4, 24, 16), answered_at=at(4, 28, 11), correctness="partly", tone="fair"
)
M3 = email(
    "M3",
    sent_at=at(5, 4, 17, 45),
    acknowledged_at=at(5, 6, 9, 10),
    answered_at=at(5, 11, 14),
    completeness="partial",
    extra_step=True,
)
M4 = email("M4", sent_at=at(5, 13, 11), acknowledged_at=at(5, 13, 11, 5), answered_at=at(6, 1, 10))
M5 = email("M5", sent_at=at(5, 7, 9), correctness=None, completeness=None, tone=None)
EXAMPLE_B = (M1, M2, M3, M4, M5)

EXAMPLE_B_ASPECTS: dict[str, dict[str, float]] = {
    "M1": {"acknowledgement": 1, "timeliness": 1, "correctness": 1, "completeness": 1},
    "M2": {"acknowledgement": 0, "timeliness": 0.75, "correctness": 0.5, "completeness": 1},
    "M3": {"acknowledgement": 0.5, "timeliness": 0.5, "correctness": 1, "completeness": 0.5},
}
EXAMPLE_B_TONE_EXTRA = {"M1": (1, 0), "M2": (0.5, 0), "M3": (1, 1)}
EXAMPLE_B_SUMS = {"M1": 0.90, "M2": 0.575, "M3": 0.775}
EXAMPLE_B_GRADES = {"M1": 9.1, "M2": 6.175, "M3": 7.975, "M4": 1.0, "M5": 1.0}


@pytest.mark.parametrize("obs", [M1, M2, M3], ids=lambda o: o.scenario)
def test_example_b_aspect_scores_match_the_table(obs: Observation) -> None:
    tone, extra = EXAMPLE_B_TONE_EXTRA[obs.scenario]
    expected = EXAMPLE_B_ASPECTS[obs.scenario] | {"tone": tone, "extra_step": extra}
    aspects = written_aspects(obs, CAL)
    assert aspects is not UNANSWERED
    assert aspects == expected
    weights = WrittenWeights().as_dict()
    assert weighted_sum(aspects, weights) == pytest.approx(EXAMPLE_B_SUMS[obs.scenario], abs=EPS)


@pytest.mark.parametrize("obs", [M4, M5], ids=lambda o: o.scenario)
def test_example_b_late_or_missing_answers_are_unanswered(obs: Observation) -> None:
    assert written_aspects(obs, CAL) is UNANSWERED
    assert timeliness_score(obs, CAL) is None
    assert not is_answered(obs, CAL)


@pytest.mark.parametrize("obs", EXAMPLE_B, ids=lambda o: o.scenario)
def test_example_b_question_grades_match_the_table(obs: Observation) -> None:
    assert question_grade(obs, CAL) == pytest.approx(EXAMPLE_B_GRADES[obs.scenario], abs=EPS)


def test_example_b_email_channel_result_matches_the_text() -> None:
    result = channel_result(EXAMPLE_B, "email", CAL)
    assert result.grade == pytest.approx(5.05, abs=EPS)
    assert result.potential == pytest.approx(7.75, abs=EPS)
    assert (result.planned, result.answered) == (5, 3)


def test_example_b_overall_is_onvoldoende_although_a_report_shows_5_5() -> None:
    phone_grade = channel_result(EXAMPLE_A, "phone", CAL).grade
    email_grade = channel_result(EXAMPLE_B, "email", CAL).grade
    total = overall({"phone": phone_grade, "email": email_grade})
    assert total == pytest.approx(5.469824, abs=5e-7)
    assert total is not None and band(total) == "onvoldoende"
    assert round(total, 1) == 5.5


def test_acknowledgement_after_hours_on_the_sending_day_scores_half() -> None:
    obs = email(sent_at=at(5, 4, 17, 45), acknowledged_at=at(5, 4, 20))
    assert acknowledgement_score(obs, CAL) == 0.5


def test_acknowledgement_within_the_hour_scores_one_and_later_days_zero() -> None:
    sent = at(4, 21, 10)
    assert acknowledgement_score(email(sent_at=sent, acknowledged_at=at(4, 21, 11)), CAL) == 1.0
    assert acknowledgement_score(email(sent_at=sent, acknowledged_at=at(4, 21, 23, 59)), CAL) == 0.5
    assert acknowledgement_score(email(sent_at=sent, acknowledged_at=at(4, 22, 0, 1)), CAL) == 0.0
    assert acknowledgement_score(email(sent_at=sent), CAL) == 0.0


def test_acknowledgement_takes_the_answer_when_it_comes_first() -> None:
    obs = email(sent_at=at(4, 21, 10), acknowledged_at=at(4, 23, 9), answered_at=at(4, 21, 10, 30))
    assert acknowledgement_score(obs, CAL) == 1.0


@pytest.mark.parametrize(
    ("answered", "expected"),
    [
        (at(4, 22, 10), 1.0),  # exactly 24 h
        (at(4, 22, 10, 1), 0.75),
        (at(4, 23, 23, 59), 0.75),  # due(sent, 2) is Thu 23 Apr
        (at(4, 24, 8), 0.5),
        (at(4, 29, 23), 0.5),  # due(sent, 5) is Wed 29 Apr (King's Day skipped)
        (at(4, 30, 8), 0.25),
        (at(5, 7, 23), 0.25),  # due(sent, 10) is Thu 7 May (5 May skipped)
        (at(5, 8, 8), None),
    ],
)
def test_timeliness_tiers_use_clock_hours_then_working_days(
    answered: dt.datetime, expected: float | None
) -> None:
    assert timeliness_score(email(sent_at=at(4, 21, 10), answered_at=answered), CAL) == expected


def test_written_question_without_sent_at_cannot_be_scored() -> None:
    with pytest.raises(ObservationError, match="sent_at is required"):
        question_grade(email(), CAL)


def test_closing_days_of_the_municipality_extend_the_terms() -> None:
    obs = email(sent_at=at(5, 13, 11), answered_at=at(5, 19, 10))
    assert timeliness_score(obs, CAL) == 0.5
    bridge = WorkCalendar(closed_days=frozenset({dt.date(2026, 5, 15)}))
    assert timeliness_score(obs, bridge) == 0.75


# -- weights ------------------------------------------------------------------------------------


def test_default_weights_are_those_of_the_methodology() -> None:
    assert Weights().as_dict() == {
        "phone": {
            "reachability": 0.15,
            "in_one_go": 0.15,
            "transfers": 0.10,
            "correctness": 0.25,
            "completeness": 0.15,
            "bejegening": 0.15,
            "extra_step": 0.05,
        },
        "written": {
            "acknowledgement": 0.05,
            "timeliness": 0.20,
            "correctness": 0.30,
            "completeness": 0.20,
            "tone": 0.15,
            "extra_step": 0.10,
        },
    }


def test_weights_must_be_non_negative() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        PhoneWeights(reachability=-0.05, extra_step=0.25)


def test_weights_must_sum_to_one_within_1e_9() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        WrittenWeights(tone=0.16)
    assert WrittenWeights(tone=0.15 + 5e-10).tone > 0.15


def test_weights_survive_a_round_trip_through_json() -> None:
    weights = Weights(phone=PhoneWeights(reachability=0.25, extra_step=0.0, transfers=0.05))
    assert Weights.from_dict(json.loads(json.dumps(weights.as_dict()))) == weights


def test_a_wave_scored_with_other_weights_gets_another_grade() -> None:
    heavy_reach = Weights(phone=PhoneWeights(reachability=0.45, correctness=0.0, extra_step=0.0))
    assert question_grade(T3, CAL, heavy_reach) == pytest.approx(1 + 9 * 0.335, abs=EPS)
    assert question_grade(T3, CAL) == pytest.approx(1 + 9 * 0.185, abs=EPS)


def test_aspects_must_match_the_weights() -> None:
    with pytest.raises(ValueError, match="do not match"):
        grade_from_aspects({"tone": 1.0}, WrittenWeights().as_dict())


# -- channels, overall, bands, ranks ------------------------------------------------------------


def test_channel_without_questions_has_no_grade() -> None:
    result = channel_result(EXAMPLE_A, "email", CAL)
    assert (result.grade, result.potential, result.planned, result.answered) == (None, None, 0, 0)


def test_channel_with_nothing_reached_has_grade_one_and_no_potential() -> None:
    result = channel_result([T4, T4], "phone", CAL)
    assert (result.grade, result.potential, result.planned, result.answered) == (1.0, None, 2, 0)


def test_channel_result_rejects_unknown_channels() -> None:
    with pytest.raises(ValueError, match="Unknown channel"):
        channel_result(EXAMPLE_A, "fax", CAL)


def test_overall_weighs_phone_double_as_in_the_national_figures() -> None:
    assert round(overall({"phone": 7.02, "email": 6.5}) or 0, 2) == 6.85


def test_overall_skips_channels_without_questions() -> None:
    assert overall({"phone": 6.0, "email": None, "chat": 9.0}) == pytest.approx(7.0, abs=EPS)
    assert overall({"phone": None, "email": None}) is None


def test_overall_takes_other_channel_weights() -> None:
    assert overall({"phone": 6.0, "email": 9.0}, {"phone": 1, "email": 2}) == pytest.approx(8.0)
    with pytest.raises(ValueError, match="non-negative"):
        overall({"phone": 6.0}, {"phone": -1})


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (1.0, "onvoldoende"),
        (5.499999999, "onvoldoende"),
        (5.5, "voldoende"),
        (6.999999999, "voldoende"),
        (7.0, "norm"),
        (7.999999999, "norm"),
        (8.0, "goed"),
        (8.499999999, "goed"),
        (8.5, "best_practice"),
        (10.0, "best_practice"),
    ],
)
def test_bands_start_at_their_lower_bound(grade: float, expected: str) -> None:
    assert band(grade) == expected


def test_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    assert rank({"a": 8.1, "b": 7.2, "c": 7.2, "d": 6.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_values_equal_to_9_decimals_tie_and_others_do_not() -> None:
    assert rank({"a": 7.0, "b": 7.0 + 1e-11, "c": 7.0 - 2e-9}) == {"a": 1, "b": 1, "c": 3}


def test_no_overall_means_no_rank() -> None:
    assert rank({"a": None, "b": 5.0, "c": float("nan")}) == {"a": None, "b": 1, "c": None}


# -- study score --------------------------------------------------------------------------------


def other_municipality() -> list[Observation]:
    return [
        dataclasses.replace(obs, municipality="GM9902", municipality_name="Proefstad")
        for obs in (T1, dataclasses.replace(T1, scenario="T2"), M1)
    ]


def test_study_score_has_the_design_structure_and_reference() -> None:
    result = study_score("Voorjaar 2026", [*EXAMPLE_A, *EXAMPLE_B, *other_municipality()], CAL)
    assert list(result) == ["study", "municipalities", "reference"]
    assert result["study"] == "Voorjaar 2026"
    meetdorp, proefstad = result["municipalities"]
    assert list(meetdorp) == ["code", "name", "phone", "email", "overall", "band", "rank"]
    assert (meetdorp["code"], meetdorp["name"]) == ("GM9901", "Meetdorp")
    assert meetdorp["phone"] == {
        "grade": pytest.approx(5.679735, abs=5e-7),
        "potential": pytest.approx(8.070625, abs=EPS),
        "planned": 5,
        "answered": 4,
    }
    assert meetdorp["email"]["answered"] == 3
    assert meetdorp["overall"] == pytest.approx(5.469824, abs=5e-7)
    assert (meetdorp["band"], meetdorp["rank"]) == ("onvoldoende", 2)
    assert (proefstad["overall"], proefstad["band"], proefstad["rank"]) == (
        pytest.approx((2 * 9.2125 + 9.1) / 3, abs=EPS),
        "best_practice",
        1,
    )
    json.dumps(result)  # plain JSON values only


def test_study_reference_holds_the_national_figures_and_the_study_means() -> None:
    result = study_score("S", [*EXAMPLE_A, *EXAMPLE_B, *other_municipality()], CAL)
    reference = result["reference"]
    assert {k: v for k, v in reference.items() if k != "study"} == {
        "norm": 7.0,
        "ezk_0_meting": {
            "phone": {"grade": 6.3, "potential": 7.01},
            "email": {"grade": 6.39, "potential": 8.01, "answered_share": 0.76},
        },
        "ezk_1_meting": {
            "phone": {"grade": 7.02, "potential": 7.48},
            "email": {"grade": 6.5},
            "overall": 6.8,
        },
    }
    grades = [m["overall"] for m in result["municipalities"]]
    assert reference["study"] == {
        "phone": {
            "grade": pytest.approx((5.679735 + 9.2125) / 2, abs=5e-7),
            "potential": pytest.approx((8.070625 + 9.2125) / 2, abs=EPS),
        },
        "email": {"grade": pytest.approx((5.05 + 9.1) / 2), "potential": pytest.approx(8.425)},
        "overall": pytest.approx(statistics.fmean(grades), abs=EPS),
    }


def test_reference_figures_are_a_fresh_copy() -> None:
    reference_figures()["ezk_0_meting"]["phone"]["grade"] = 0
    assert reference_figures()["ezk_0_meting"]["phone"]["grade"] == 6.3


def test_a_channel_without_questions_is_null() -> None:
    result = study_score("S", EXAMPLE_A, CAL)
    (meetdorp,) = result["municipalities"]
    assert meetdorp["email"] is None
    assert meetdorp["overall"] == pytest.approx(meetdorp["phone"]["grade"], abs=EPS)
    assert result["reference"]["study"]["email"] is None


def test_other_channels_appear_only_when_the_study_has_them() -> None:
    chat = dataclasses.replace(M1, channel="chat", municipality="GM9902")
    result = study_score("S", [*EXAMPLE_A, chat], CAL)
    meetdorp, other = result["municipalities"]
    assert list(meetdorp) == ["code", "name", "phone", "email", "chat", "overall", "band", "rank"]
    assert meetdorp["chat"] is None
    assert other["chat"]["grade"] == pytest.approx(9.1, abs=EPS)
    assert "webform" not in meetdorp
    assert "chat" not in study_score("S", EXAMPLE_A, CAL)["municipalities"][0]


def test_study_score_uses_each_municipality_calendar_and_name() -> None:
    late = dataclasses.replace(M4, answered_at=at(5, 22, 12))  # due5: Thu 21, with bridge Fri 22
    bridge = WorkCalendar(closed_days=frozenset({dt.date(2026, 5, 15)}))
    plain = study_score("S", [late], CAL)["municipalities"][0]
    own = study_score("S", [late], CAL, calendars={"GM9901": bridge}, names={"GM9901": "X"})
    assert plain["email"]["grade"] == pytest.approx(1 + 9 * (0.05 + 0.05 + 0.65))
    assert own["municipalities"][0]["email"]["grade"] == pytest.approx(1 + 9 * (0.05 + 0.1 + 0.65))
    assert own["municipalities"][0]["name"] == "X"


def test_municipality_score_ignores_other_municipalities_and_has_no_rank() -> None:
    score = municipality_score("GM9901", [*EXAMPLE_A, *other_municipality()], CAL)
    assert score.channels["phone"] is not None and score.channels["phone"].planned == 5
    assert score.channels["email"] is None
    assert (score.name, score.rank, score.band) == ("Meetdorp", None, "voldoende")
    assert score.as_dict()["rank"] is None


# -- properties ---------------------------------------------------------------------------------

BEJEGENING_VALUES: list[YesNoNa | None] = ["yes", "no", "na", None]
yes_no_na = st.sampled_from(BEJEGENING_VALUES)
maybe_bool = st.sampled_from([True, False, None])


@st.composite
def phone_observations(draw: st.DrawFn) -> Observation:
    reached = draw(st.booleans())
    return Observation(
        municipality=draw(st.sampled_from(["GM0001", "GM0002"])),
        scenario="P",
        channel=draw(st.sampled_from(["phone", "counter"])),
        reached=reached,
        attempts=draw(st.integers(1, 3)),
        wait_s=draw(st.integers(0, 1200)),
        transfers=draw(st.integers(0, 5)),
        transfers_warm=draw(maybe_bool),
        reason_passed_on=draw(maybe_bool),
        callback_kept=draw(maybe_bool),
        in_one_go=draw(st.sampled_from(["yes", "no", "callback"])),
        correctness=draw(st.sampled_from(["correct", "partly", "wrong", "none"])),
        completeness=draw(st.sampled_from(["complete", "more", "partial", "none"])),
        introduced_name=draw(yes_no_na),
        friendly=draw(yes_no_na),
        plain_language=draw(yes_no_na),
        asked_more_questions=draw(yes_no_na),
        recording_announced=draw(yes_no_na),
        extra_step=draw(st.booleans()),
    )


@st.composite
def written_observations(draw: st.DrawFn) -> Observation:
    sent = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
        minutes=draw(st.integers(0, 365 * 24 * 60))
    )
    offset = st.none() | st.integers(0, 30 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))
    ack, answer = draw(offset), draw(offset)
    return Observation(
        municipality="GM0001",
        scenario="W",
        channel=draw(st.sampled_from(["email", "webform", "chat", "whatsapp", "social"])),
        sent_at=sent,
        acknowledged_at=None if ack is None else sent + ack,
        answered_at=None if answer is None else sent + answer,
        correctness=draw(st.sampled_from(["correct", "partly", "wrong", "none"])),
        completeness=draw(st.sampled_from(["complete", "more", "partial", "none"])),
        tone=draw(st.sampled_from(["good", "fair", "poor"])),
        extra_step=draw(st.booleans()),
    )


@given(phone_observations() | written_observations())
def test_every_question_grade_lies_between_1_and_10(obs: Observation) -> None:
    assert 1.0 <= question_grade(obs, CAL) <= 10.0


@given(st.lists(phone_observations(), min_size=1, max_size=20))
def test_every_channel_grade_lies_between_1_and_10(observations: list[Observation]) -> None:
    for channel in ("phone", "counter"):
        result = channel_result(observations, channel, CAL)
        assert result.grade is None or 1.0 <= result.grade <= 10.0
        assert result.potential is None or 1.0 <= result.potential <= 10.0


@given(st.lists(phone_observations(), min_size=1, max_size=20))
def test_phone_potential_is_at_least_the_mean_grade_of_reached_questions(
    observations: list[Observation],
) -> None:
    phone_only = [dataclasses.replace(obs, channel="phone") for obs in observations]
    reached = [question_grade(obs, CAL) for obs in phone_only if obs.reached]
    potential = channel_result(phone_only, "phone", CAL).potential
    if reached:
        assert potential is not None and potential >= statistics.fmean(reached)
    else:
        assert potential is None


values = st.one_of(st.none(), st.floats(1, 10), st.sampled_from([5.5, 7.0, 7.0 + 1e-12]))


@given(st.dictionaries(st.integers(0, 50), values, max_size=12), st.randoms())
def test_rank_is_a_permutation_consistent_ordering(
    scores: dict[int, float | None], rnd: Any
) -> None:
    ranks = rank(scores)
    items = list(scores.items())
    rnd.shuffle(items)
    assert rank(dict(items)) == ranks
    rated = {k: round(v, 9) for k, v in scores.items() if v is not None}
    for key, value in scores.items():
        if value is None:
            assert ranks[key] is None
            continue
        assert ranks[key] == 1 + sum(other > rated[key] for other in rated.values())
    for a in rated:
        for b in rated:
            if rated[a] > rated[b]:
                assert (ranks[a] or 0) < (ranks[b] or 0)
