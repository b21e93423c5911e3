"""English wording of the findings, manual items 15/20/22, and the research lead's edits
applied to the automatic findings (METHODOLOGY.md §3)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from meetlat.calc.finding_edits import Edit, apply_edits
from meetlat.calc.finding_english import ENGLISH, SELF_ASSESSMENT_ENGLISH
from meetlat.calc.findings import (
    ITEM_BY_NUMBER,
    ITEMS,
    SELF_ASSESSMENT,
    Finding,
    MunicipalityFindings,
    finding_heading,
    finding_parts,
    finding_text,
    format_percent,
    group_findings,
    self_assessment_section,
    study_findings,
)
from tests.calc.test_findings import CAL, STUDY, find

# -- English wording ----------------------------------------------------------------------------


def test_every_item_and_self_assessment_item_has_english_wording() -> None:
    assert set(ENGLISH) == {item.number for item in ITEMS}
    assert set(SELF_ASSESSMENT_ENGLISH) == set(SELF_ASSESSMENT) == set(range(25, 35))
    for number, (label, advice) in ENGLISH.items():
        assert label and not label.endswith("."), number
        assert advice.endswith("."), number
        item = ITEM_BY_NUMBER[number]
        assert (label, advice) != (item.label, item.advice), number


def test_english_percentages_use_a_decimal_point() -> None:
    assert format_percent(Fraction(2, 3), 1, "en") == "66.7"
    assert format_percent(Fraction(2, 3), 1, "nl") == format_percent(Fraction(2, 3)) == "66,7"


def test_keep_and_improve_sentences_in_english() -> None:
    result = study_findings(STUDY, CAL)
    keep, improve = find(result["A"], "1"), find(result["C"], "1")
    assert finding_text(keep, language="en") == (
        "**Keep.** A member of staff on the line within 20 seconds: 100.0 % (5 of 5);"
        " benchmark 63.6 %."
    )
    assert finding_parts(improve, language="en") == (
        "Improve.",
        "Make sure callers speak to a member of staff within 20 seconds. Now 40.0 % (2 of 5);"
        " benchmark 63.6 %; norm 80.0 %.",
    )
    # Dutch stays the default
    assert finding_parts(improve) == (
        "Verbeteren.",
        "Zorg dat de beller binnen 20 seconden een medewerker spreekt. Nu 40,0 % (2 van 5);"
        " benchmark 63,6 %; norm 80,0 %.",
    )
    assert (finding_heading("keep", "en"), finding_heading("improve")) == ("Keep.", "Verbeteren.")


def test_single_value_items_in_english() -> None:
    a = study_findings(STUDY, CAL, manual={"A": {"15": True, "22": False}})["A"]
    assert finding_text(find(a, "15"), language="en") == (
        "**Keep.** The phone menu is short and clear."
    )
    assert finding_parts(find(a, "22"), language="en") == (
        "Improve.",
        "Offer citizens a simple way to report that their question was not answered.",
    )


def test_self_assessment_labels_in_english() -> None:
    findings = group_findings("X", [Finding(ITEM_BY_NUMBER["6"], "X", "improve", 0, 3, 5, 10)])
    [entry] = self_assessment_section(findings, {25: "no", 26: "yes"}, "en")
    assert (entry.number, entry.label, entry.linked_from) == (
        25,
        "Telephone exchange and routing",
        ("6",),
    )


# -- manual items 15, 20, 22 --------------------------------------------------------------------


@pytest.mark.parametrize("item", ["15", "20", "22"])
def test_a_manual_item_met_is_keep_not_met_improve_and_unanswered_absent(item: str) -> None:
    manual = {"A": {item: True}, "B": {item: False}}
    result = study_findings(STUDY, CAL, manual=manual)
    assert find(result["A"], item).decision == "keep"
    assert find(result["B"], item).decision == "improve"
    c = result["C"]
    groups = (c.improve, c.keep, c.insufficient, c.no_benchmark)
    assert item not in {f.number for group in groups for f in group}


# -- the lead's edits ---------------------------------------------------------------------------


def _findings() -> MunicipalityFindings:
    """Municipality C: item 1 to improve (2 of 5), items 3-7 to keep (5 of 5)."""
    return study_findings(STUDY, CAL)["C"]


def test_without_edits_the_automatic_wording_is_shown() -> None:
    findings = _findings()
    edited = apply_edits(findings, [])
    assert [f.number for f in edited.improve] == [f.number for f in findings.improve]
    assert [f.number for f in edited.keep] == [f.number for f in findings.keep]
    first = edited.improve[0]
    assert first.text == first.automatic == (finding_parts(findings.improve[0]) or ("", ""))[1]
    assert not first.edited and not first.hidden and edited.unused == ()


def test_an_edit_changes_the_wording_of_its_item_only() -> None:
    edited = apply_edits(_findings(), [Edit("1", "improve", "  Neem sneller op.  ")])
    item_1 = edited.improve[0]
    assert (item_1.number, item_1.text, item_1.edited) == ("1", "Neem sneller op.", True)
    assert item_1.automatic.startswith("Zorg dat de beller")
    assert not any(f.edited for f in edited.keep)


def test_an_empty_text_keeps_the_automatic_wording() -> None:
    edited = apply_edits(_findings(), [Edit("1", "improve", " ")])
    [item_1] = [f for f in edited.improve if f.number == "1"]
    assert not item_1.edited and item_1.text == item_1.automatic


def test_hidden_findings_are_left_out_and_the_next_moves_up() -> None:
    findings = _findings()
    keep = [f.number for f in findings.keep]
    assert len(keep) >= 3
    edited = apply_edits(findings, [Edit(keep[0], "keep", hidden=True)])
    assert [f.number for f in edited.shown("keep", 2)] == keep[1:3]
    assert [f.number for f in edited.keep if f.hidden] == [keep[0]]


def test_free_text_findings_come_last_and_are_always_shown() -> None:
    findings = _findings()
    edits = [Edit("", "keep", "Vriendelijke medewerkers.", key="7"), Edit("", "improve", " ")]
    edited = apply_edits(findings, edits, language="en")
    shown = edited.shown("keep", 1)
    assert [(f.number, f.free) for f in shown] == [(findings.keep[0].number, False), ("", True)]
    assert shown[-1].text == "Vriendelijke medewerkers." and shown[-1].key == "7"
    assert all(not f.free for f in edited.improve)  # an empty free text is no finding


def test_an_edit_of_an_item_no_longer_decided_so_is_unused_but_kept() -> None:
    stale = Edit("1", "keep", "Snel opgenomen.")
    gone = Edit("19c", "improve", hidden=True)
    edited = apply_edits(_findings(), [stale, gone, Edit("1", "improve", "Neem sneller op.")])
    assert edited.unused == (stale, gone)
    assert edited.improve[0].text == "Neem sneller op."


def test_english_wording_with_edits_shows_the_edit_as_written() -> None:
    findings = _findings()
    edited = apply_edits(findings, [Edit("1", "improve", "Neem sneller op.")], language="en")
    assert edited.improve[0].text == "Neem sneller op."
    assert edited.improve[0].automatic.startswith("Make sure callers")
    assert edited.keep[0].text == (finding_parts(findings.keep[0], language="en") or ("", ""))[1]
    assert " of " in edited.keep[0].text and " van " not in edited.keep[0].text


def test_no_findings_at_all_still_shows_free_text() -> None:
    edited = apply_edits(None, [Edit("", "improve", "Meer personeel.", key="1")])
    assert [f.text for f in edited.shown("improve", 6)] == ["Meer personeel."]
    assert edited.keep == ()
