"""Keep / improve findings (METHODOLOGY.md §3)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from meetlat.calc.calendar import WorkCalendar
from meetlat.calc.finding_items import item_sort_key
from meetlat.calc.findings import (
    ITEM_BY_NUMBER,
    ITEMS,
    Finding,
    MunicipalityFindings,
    decide,
    finding_parts,
    finding_text,
    format_percent,
    group_findings,
    item_counts,
    self_assessment_section,
    study_findings,
)
from meetlat.calc.scoring import Observation
from tests.calc.test_scoring import EXAMPLE_A, EXAMPLE_B, M1, M4, M5, T1, T2, T3, T4

AMS = ZoneInfo("Europe/Amsterdam")
CAL = WorkCalendar()
DAY = dt.timedelta(days=1)


def calls(code: str, waits: list[int], **fields: Any) -> list[Observation]:
    """Reached first-attempt calls, answered right in one go, with these waits."""
    base: dict[str, Any] = {
        "municipality": code,
        "channel": "phone",
        "reached": True,
        "attempts": 1,
        "transfers": 0,
        "in_one_go": "yes",
        "correctness": "correct",
        "completeness": "complete",
    }
    return [
        Observation(**(base | {"scenario": f"T{i}", "wait_s": wait} | fields))
        for i, wait in enumerate(waits, 1)
    ]


#: Item 1 (person within 20 s, norm 80 %): A 5/5, B 4/5, C 2/5, D 3/5, E 0/2; pooled 14/22.
STUDY = [
    *calls("A", [10] * 5),
    *calls("B", [10, 10, 10, 10, 30]),
    *calls("C", [10, 10, 30, 30, 30]),
    *calls("D", [10, 10, 10, 30, 30]),
    *calls("E", [30, 30]),
]


def find(findings: MunicipalityFindings, number: str) -> Finding:
    groups = (findings.improve, findings.keep, findings.insufficient, findings.no_benchmark)
    (match,) = [f for group in groups for f in group if f.number == number]
    return match


def counts_of(*observations: Observation, **kwargs: Any) -> dict[str, tuple[int, int]]:
    return item_counts(observations, CAL, **kwargs).get(observations[0].municipality, {})


# -- decisions ----------------------------------------------------------------------------------


def test_item_rate_is_k_over_n_and_the_benchmark_pools_the_study() -> None:
    result = study_findings(STUDY, CAL)
    c1 = find(result["C"], "1")
    assert (c1.k, c1.n, c1.rate) == (2, 5, Fraction(2, 5))
    assert (c1.benchmark_k, c1.benchmark_n, c1.benchmark) == (14, 22, Fraction(14, 22))


def test_at_or_above_benchmark_half_and_norm_is_keep() -> None:
    result = study_findings(STUDY, CAL)
    assert find(result["A"], "1").decision == "keep"
    assert find(result["B"], "1").decision == "keep"  # r = 80 % = the norm


def test_below_benchmark_or_norm_is_improve() -> None:
    result = study_findings(STUDY, CAL)
    assert find(result["C"], "1").decision == "improve"
    assert find(result["D"], "1").decision == "improve"  # 60 % < benchmark 63.6 %


def test_fewer_than_3_questions_is_insufficient() -> None:
    result = study_findings(STUDY, CAL)
    assert {f.number for f in result["E"].insufficient} == {"1", "3", "4", "5", "7", "14"}
    assert result["E"].improve == result["E"].keep == ()
    assert finding_text(find(result["E"], "1")) is None


def test_a_rate_at_the_benchmark_but_below_one_half_is_improve() -> None:
    result = study_findings(STUDY, CAL)
    extra = find(result["A"], "14")  # nobody took an extra step: r = b = 0
    assert (extra.rate, extra.benchmark, extra.decision) == (Fraction(0), Fraction(0), "improve")


@pytest.mark.parametrize(
    ("k", "n", "bk", "bn", "norm", "expected"),
    [
        (2, 3, 4, 6, None, "keep"),  # r = b exactly, no rounding
        (1, 2, 1, 2, None, "insufficient"),
        (3, 6, 3, 6, None, "keep"),  # r = 0.5 is enough
        (3, 4, 10, 20, Fraction(8, 10), "improve"),  # above benchmark, below norm
        (4, 5, 10, 20, Fraction(8, 10), "keep"),
        (3, 5, 13, 20, None, "improve"),
    ],
)
def test_decide_follows_the_keep_rule(
    k: int, n: int, bk: int, bn: int, norm: Fraction | None, expected: str
) -> None:
    assert decide(k, n, bk, bn, norm, small_study=False) == expected


def test_small_studies_mark_items_without_norm_no_benchmark() -> None:
    result = study_findings([o for o in STUDY if o.municipality != "E"], CAL)
    a = result["A"]
    assert {f.number for f in a.no_benchmark} == {"3", "4", "5", "7", "14"}
    assert find(a, "1").decision == "keep"  # item 1 has a norm
    assert find(a, "1").benchmark == Fraction(14, 20)
    assert finding_text(find(a, "3")) is None


def test_keep_threshold_is_a_setting() -> None:
    strict = study_findings(STUDY, CAL, keep_min=Fraction(9, 10))
    assert find(strict["B"], "1").decision == "improve"


# -- ordering -----------------------------------------------------------------------------------


def test_improve_items_are_ordered_by_their_gap_and_keep_items_by_their_lead() -> None:
    c = study_findings(STUDY, CAL)["C"]
    assert [f.number for f in c.improve] == ["1", "14"]  # gaps 0.8 − 0.4 and 0
    a = study_findings(STUDY, CAL)["A"]
    assert [f.number for f in a.keep] == ["1", "3", "4", "5", "7"]  # lead 8/22, then ties
    assert find(c, "1").improve_gap() == Fraction(2, 5)
    assert find(a, "1").keep_margin() == Fraction(8, 22)


def test_ties_are_broken_by_item_number() -> None:
    def improve(number: str, k: int, n: int, bk: int, bn: int) -> Finding:
        return Finding(ITEM_BY_NUMBER[number], "X", "improve", k, n, bk, bn)

    findings = [
        improve("13", 1, 4, 3, 4),
        improve("12b", 1, 4, 3, 4),
        improve("3", 1, 4, 3, 4),
        improve("1", 3, 4, 30, 40),  # gap: norm 80 % − 75 %
        improve("12", 0, 4, 3, 4),
    ]
    grouped = group_findings("X", findings)
    assert [f.number for f in grouped.improve] == ["12", "3", "12b", "13", "1"]


def test_item_numbers_sort_by_number_then_letter() -> None:
    numbers = [item.number for item in ITEMS]
    assert numbers == sorted(numbers, key=item_sort_key)
    assert item_sort_key("12b") == (12, "b")
    with pytest.raises(ValueError, match="Not an item number"):
        item_sort_key("x1")


# -- wording ------------------------------------------------------------------------------------


def test_keep_wording_names_rate_counts_and_benchmark_in_dutch() -> None:
    a1 = find(study_findings(STUDY, CAL)["A"], "1")
    assert finding_text(a1) == (
        "**Vasthouden.** Binnen 20 seconden een medewerker aan de lijn: 100,0 % (5 van 5); "
        "benchmark 63,6 %."
    )


def test_improve_wording_gives_the_advice_and_the_norm_when_there_is_one() -> None:
    c = study_findings(STUDY, CAL)["C"]
    assert finding_text(find(c, "1")) == (
        "**Verbeteren.** Zorg dat de beller binnen 20 seconden een medewerker spreekt. "
        "Nu 40,0 % (2 van 5); benchmark 63,6 %; norm 80,0 %."
    )
    assert finding_text(find(c, "14")) == (
        "**Verbeteren.** Loop met de beller door de website of stuur de link. "
        "Nu 0,0 % (0 van 5); benchmark 0,0 %."
    )


def test_keep_labels_of_the_methodology_are_used() -> None:
    friendly = Finding(ITEM_BY_NUMBER["12b"], "X", "keep", 3, 3, 5, 6)
    assert finding_parts(friendly) == (
        "Vasthouden.",
        "Medewerkers zijn vriendelijk: 100,0 % (3 van 3); benchmark 83,3 %.",
    )
    assert ITEM_BY_NUMBER["12"].label == "Medewerkers gebruiken weinig vakjargon"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Fraction(1, 16), 1, "6,3"),  # 6.25 rounds away from zero, not to even
        (Fraction(1, 8), 0, "13"),
        (Fraction(2, 3), 1, "66,7"),
        (Fraction(2, 3), 2, "66,67"),
        (Fraction(1), 1, "100,0"),
        (Fraction(-1, 8), 0, "-13"),
    ],
)
def test_percentages_round_half_away_from_zero_with_a_decimal_comma(
    value: Fraction, decimals: int, expected: str
) -> None:
    assert format_percent(value, decimals) == expected


def test_wording_takes_the_number_of_decimals() -> None:
    one_of_16 = Finding(ITEM_BY_NUMBER["14"], "X", "improve", 1, 16, 1, 16)
    assert finding_text(one_of_16, decimals=0) == (
        "**Verbeteren.** Loop met de beller door de website of stuur de link. "
        "Nu 6 % (1 van 16); benchmark 6 %."
    )
    assert "Nu 6,3 % (1 van 16)" in (finding_text(one_of_16) or "")


# -- single-value items -------------------------------------------------------------------------


def test_manual_items_are_keep_when_met_and_improve_otherwise() -> None:
    manual = {"A": {"15": True, "20": False}}
    a = study_findings(STUDY, CAL, manual=manual)["A"]
    assert find(a, "15").decision == "keep"
    assert finding_text(find(a, "15")) == "**Vasthouden.** Het keuzemenu is kort en duidelijk."
    assert finding_text(find(a, "20")) == (
        "**Verbeteren.** Beantwoord ook e-mails zonder adres; leg uit waarom u gegevens zoals "
        "een adres vraagt, en gebruik ze dan."
    )
    assert "22" not in {f.number for f in a.improve + a.keep}
    assert "15" not in {f.number for f in study_findings(STUDY, CAL)["B"].keep}


def test_same_quality_on_phone_and_email_within_one_point_is_keep() -> None:
    meetdorp = study_findings([*EXAMPLE_A, *EXAMPLE_B], CAL)["GM9901"]  # 5.68 and 5.05
    assert find(meetdorp, "23").decision == "keep"
    apart = study_findings([T1, M5], CAL)["GM9901"]  # 9.21 and 1
    assert find(apart, "23").decision == "improve"
    assert "23" not in {f.number for f in study_findings(EXAMPLE_A, CAL)["GM9901"].keep}


def test_single_value_improve_items_come_first() -> None:
    a = study_findings(STUDY, CAL, manual={"A": {"22": False}})["A"]
    assert [f.number for f in a.improve] == ["22", "14"]


# -- item predicates ----------------------------------------------------------------------------


def test_example_a_counts_per_phone_item() -> None:
    counts = counts_of(*EXAMPLE_A)
    assert counts["1"] == (2, 5)  # T1, T5
    assert counts["3"] == (2, 4)
    assert (counts["4"], counts["5"]) == ((2, 4), (2, 4))
    assert counts["6"] == (2, 3)  # T2 and T5 warm with reason, T3 cold
    assert counts["7"] == (3, 4)
    assert counts["8"] == (1, 2)  # T2 promised a callback, T3 did not
    assert counts["9"] == (1, 3)  # of T2, T3, T5 only T5 in one go
    assert counts["10"] == (2, 3)  # the empty items of T5 do not count
    assert counts["11"] == (1, 2)  # na does not count
    assert (counts["12"], counts["12b"], counts["13"]) == ((2, 3), (3, 3), (1, 3))
    assert counts["14"] == (2, 4)
    assert counts["24"] == (1, 1)
    assert "2" not in counts  # no planned times


@pytest.mark.parametrize(
    ("planned", "applies"),
    [
        (dt.datetime(2026, 4, 22, 12, 0, tzinfo=AMS), True),
        (dt.datetime(2026, 4, 22, 13, 30, tzinfo=AMS), False),
        (dt.datetime(2026, 4, 22, 10, 30, tzinfo=dt.UTC), True),  # 12:30 in Amsterdam
        (dt.datetime(2026, 4, 24, 16, 0, tzinfo=AMS), True),  # Friday afternoon
        (dt.datetime(2026, 4, 24, 11, 59, tzinfo=AMS), False),
    ],
)
def test_lunch_and_friday_afternoon_item_applies_to_those_calls(
    planned: dt.datetime, applies: bool
) -> None:
    counts = counts_of(dataclasses.replace(T1, planned_at=planned))
    assert ("2" in counts) is applies
    if applies:
        assert counts["2"] == (1, 1)
    assert counts_of(dataclasses.replace(T3, planned_at=planned)).get("2", (0, 0))[0] == 0


def test_unreached_calls_count_only_for_reachability_items() -> None:
    counts = counts_of(dataclasses.replace(T4, planned_at=dt.datetime(2026, 4, 24, 16, tzinfo=AMS)))
    assert counts == {"1": (0, 1), "2": (0, 1)}


def test_example_b_counts_per_written_item() -> None:
    counts = counts_of(*EXAMPLE_B)
    assert counts["16"] == (2, 5)  # M1 and M4 acknowledged within the hour
    assert counts["17a"] == (1, 5)
    assert counts["17b"] == (2, 5)  # M1, M2
    assert (counts["18a"], counts["18b"]) == ((2, 3), (1, 3))
    assert counts["19"] == (2, 3)
    assert counts["21"] == (3, 5)
    assert not {"19a", "19b", "19c", "19d", "19e"} & set(counts)  # no auto-QA results


def test_auto_qa_results_decide_items_19a_to_19e_for_answered_emails() -> None:
    checks = {
        "salutation": True,
        "internal_forward": False,
        "spelling": None,
        "closing": True,
        "signature": True,
        "reply_all": True,
    }
    counts = counts_of(M1, M4, autoqa={M1: checks, M4: checks})
    assert (counts["19a"], counts["19b"], counts["19d"], counts["19e"]) == (
        (1, 1),
        (0, 1),
        (1, 1),
        (1, 1),
    )
    assert "19c" not in counts  # not applicable
    no_signature = counts_of(M1, autoqa={M1: checks | {"signature": False}})
    assert no_signature["19d"] == (0, 1)


def test_a_term_notice_by_the_cut_off_counts_as_not_left_unanswered() -> None:
    notice = dataclasses.replace(M5, acknowledged_at=dt.datetime(2026, 5, 7, 9, 30, tzinfo=AMS))
    assert counts_of(notice)["21"] == (0, 1)
    assert counts_of(notice, autoqa={notice: {"term_stated": True}})["21"] == (1, 1)
    late = dataclasses.replace(notice, acknowledged_at=dt.datetime(2026, 6, 1, tzinfo=AMS))
    assert counts_of(late, autoqa={late: {"term_stated": True}})["21"] == (0, 1)


def test_written_items_use_the_municipality_calendar() -> None:
    sent = dt.datetime(2026, 5, 13, 11, tzinfo=AMS)
    answer = dataclasses.replace(M1, sent_at=sent, acknowledged_at=None, answered_at=sent + 6 * DAY)
    bridge = WorkCalendar(closed_days=frozenset({dt.date(2026, 5, 15)}))
    assert counts_of(answer)["17b"] == (0, 1)  # Mon 18 May is due(sent, 2), Tue 19 May with bridge
    assert counts_of(answer, calendars={"GM9901": bridge})["17b"] == (1, 1)


# -- self-assessment ----------------------------------------------------------------------------


def test_improve_items_link_to_self_assessment_items() -> None:
    assert ITEM_BY_NUMBER["6"].links == ITEM_BY_NUMBER["9"].links == (25, 30)
    assert all(ITEM_BY_NUMBER[n].links == (27, 29) for n in ("3", "4", "5"))
    assert all(ITEM_BY_NUMBER[n].links == (26, 28) for n in ("10", "11", "12", "12b", "13"))
    keep = Finding(ITEM_BY_NUMBER["6"], "X", "keep", 3, 3, 3, 3)
    assert keep.links == ()


def test_self_assessment_section_lists_partly_and_no_with_the_linking_items() -> None:
    findings = group_findings(
        "X",
        [
            Finding(ITEM_BY_NUMBER["6"], "X", "improve", 0, 3, 5, 10),
            Finding(ITEM_BY_NUMBER["9"], "X", "improve", 1, 3, 5, 10),
            Finding(ITEM_BY_NUMBER["3"], "X", "keep", 3, 3, 5, 10),
        ],
    )
    section = self_assessment_section(findings, {30: "partly", 25: "no", 27: "no", 26: "yes"})
    assert [(e.number, e.answer, e.linked_from) for e in section] == [
        (25, "no", ("6", "9")),
        (27, "no", ()),
        (30, "partly", ("6", "9")),
    ]
    assert section[0].label == "Telefooncentrale en routering"
    with pytest.raises(ValueError, match="25-34"):
        self_assessment_section(findings, {24: "no"})


def test_every_item_of_the_methodology_is_in_the_registry_with_dutch_wording() -> None:
    expected = [str(n) for n in range(1, 25)] + ["12b", "17a", "17b", "18a", "18b"]
    expected += ["19a", "19b", "19c", "19d", "19e"]
    expected.remove("17")
    expected.remove("18")
    assert sorted(ITEM_BY_NUMBER, key=item_sort_key) == sorted(expected, key=item_sort_key)
    for item in ITEMS:
        assert item.label and item.advice.endswith(".")
    assert T2.callback_kept is True  # item 24 data of example A
