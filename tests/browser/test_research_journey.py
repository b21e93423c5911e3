"""The mystery research journey in a real browser, from a new study to the municipality's PDF.

A research lead creates a study (one municipality, three phone questions) and a phone
scenario, plans the wave from the plan page, an auditor records one call on a phone-sized
screen, the lead publishes the wave and the municipality viewer downloads the PDF report.
Every page visited passes axe-core and logs no console errors.

The users come from the demo (``demo_site``), loaded before the browser starts: the agency
DEMO-BUREAU with its research lead and five auditors, and the viewer of GM9901. The fieldwork
window is the form's default, which starts next Monday, so the planner (which plans from now
on) always has room.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize
from tests.browser.test_accessibility import Audit

from meetlat.web.demo import DEMO_USERS

pytestmark = [pytest.mark.browser]

STUDY_NAME = "Reisonderzoek Meetdorp"
SCENARIO_NAME = "Paspoort verlengen voor een reis"
MUNICIPALITY = "GM9901"
REWORDED = "Zet het e-mailadres op de website."
OWN_FINDING = "De medewerkers denken actief mee."
PHONE_VIEWPORT: ViewportSize = {"width": 390, "height": 844}
#: The auditor's full name as the plan shows it, to the demo username.
AUDITOR_BY_NAME = {f"{u.first_name} {u.last_name}": u.username for u in DEMO_USERS}
PHONE_OBSERVATION = {
    "attempts": "1",
    "wait_s": "42",
    "transfers": "0",
}
PHONE_CHOICES = {
    "reached": "yes",
    "callback_promised": "no",
    "in_one_go": "yes",
    "correctness": "correct",
    "completeness": "complete",
    "extra_step": "no",
    "introduced_name": "yes",
    "friendly": "yes",
    "plain_language": "yes",
    "asked_more_questions": "no",
    "recording_announced": "na",
}


@contextmanager
def audit_context(
    browser: Browser, base_url: str, axe_script: Path, *, phone: bool = False
) -> Iterator[Audit]:
    """A browser context as in ``test_accessibility.audit_tab``; ``phone`` for a phone screen."""
    context = browser.new_context(
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport=PHONE_VIEWPORT if phone else None,
        is_mobile=phone,
        has_touch=phone,
    )
    context.add_init_script(path=str(axe_script))
    try:
        yield Audit(page=context.new_page(), base_url=base_url)
    finally:
        context.close()


def _submit(page: Page, selector: str = "main form.utrecht-form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def _pk(page: Page, pattern: str) -> int:
    match = re.search(pattern, urlsplit(page.url).path)
    assert match, f"{page.url} does not match {pattern}"
    return int(match.group(1))


def test_a_study_from_creation_to_the_municipalitys_pdf(
    browser: Browser, demo_site: str, axe_script: Path
) -> None:
    audits: list[Audit] = []
    with audit_context(browser, demo_site, axe_script) as lead:
        audits.append(lead)
        lead.log_in("onderzoeksleider")
        wave_pk, auditor = _create_and_plan(lead)

        with audit_context(browser, demo_site, axe_script, phone=True) as auditor_tab:
            audits.append(auditor_tab)
            auditor_tab.log_in(auditor)
            _record_a_call(auditor_tab)

        _edit_findings(lead, wave_pk)
        with audit_context(browser, demo_site, axe_script) as viewer_before:
            audits.append(viewer_before)
            viewer_before.log_in("kijker")
            _fill_in_the_self_assessment(viewer_before, wave_pk)

        _publish(lead, wave_pk)
        lead.open(reverse("research:wave_findings", args=[wave_pk, MUNICIPALITY]))
        assert lead.page.locator("main textarea").count() == 0, "published findings are editable"

    with audit_context(browser, demo_site, axe_script) as viewer:
        audits.append(viewer)
        viewer.log_in("kijker")
        _download_the_report(viewer, wave_pk)
        assert OWN_FINDING in viewer.page.locator("main").inner_text()

    problems = [problem for audit in audits for problem in audit.problems]
    visited = sum(len(audit.visited) for audit in audits)
    assert not problems, f"{len(problems)} problem(s) on {visited} page(s):\n  " + "\n  ".join(
        problems
    )


def _create_and_plan(lead: Audit) -> tuple[int, str]:
    """Create the study, its phone scenario and the plan; return the wave and an auditor."""
    page = lead.page
    lead.open(reverse("research:study_create"))
    page.fill("main input[name=name]", STUDY_NAME)
    page.fill("main textarea[name=municipalities]", MUNICIPALITY)
    page.fill("main input[name=phone_questions]", "3")
    for channel in ("email", "webform", "chat"):
        page.fill(f"main input[name={channel}_questions]", "0")
    _submit(page)
    study_pk = _pk(page, r"/studies/(\d+)/$")
    assert page.locator("main h1").inner_text() == STUDY_NAME
    lead.check(f"{page.url} (study created)")

    lead.open(reverse("research:scenario_create", args=[study_pk]))
    page.fill("main input[name=code]", "T01")
    page.fill("main input[name=name]", SCENARIO_NAME)
    page.select_option("main select[name=channel]", "phone")
    page.fill("main textarea[name=question]", "Mijn paspoort verloopt; hoe verleng ik het?")
    page.fill("main textarea[name=required_elements]", "Afspraak maken\nPasfoto meenemen")
    _submit(page)
    assert urlsplit(page.url).path == reverse("research:scenario_list", args=[study_pk])
    assert SCENARIO_NAME in page.locator("main").inner_text()
    lead.check(f"{page.url} (scenario added)")

    lead.open(reverse("research:study_detail", args=[study_pk]))
    with page.expect_navigation():
        page.click("main a[href*='/plan/']")
    wave_pk = _pk(page, r"/waves/(\d+)/plan/$")
    lead.check(page.url)
    _submit(page)
    assert urlsplit(page.url).path == reverse("research:plan", args=[wave_pk])
    rows = page.locator("main table tbody tr")
    assert rows.count() == 3, f"{rows.count()} assignments planned, expected 3 calls"
    lead.check(f"{page.url} (planned)")
    name = rows.first.locator("td").nth(4).inner_text().strip()
    assert name in AUDITOR_BY_NAME, f"the plan names an unknown auditor {name!r}"
    return wave_pk, AUDITOR_BY_NAME[name]


def _record_a_call(tab: Audit) -> None:
    page = tab.page
    tab.open(reverse("research:assignment_list"))
    card = page.locator("main li.meetlat-card", has_text=SCENARIO_NAME).first
    with page.expect_navigation():
        card.locator("a[href*='/assignments/']").click()
    assignment_pk = _pk(page, r"/assignments/(\d+)/$")
    tab.check(f"{page.url} (observation form, phone)")
    for name, value in PHONE_OBSERVATION.items():
        page.fill(f"main input[name={name}]", value)
    for name, value in PHONE_CHOICES.items():
        page.select_option(f"main select[name={name}]", value)
    _submit(page, "main form.meetlat-observation-form button[type=submit]")
    assert urlsplit(page.url).path == reverse("research:assignment_list"), (
        f"saving the observation ended at {page.url}: "
        + repr(page.locator("main [role=alert]").all_inner_texts())
    )
    observation = reverse("research:observation", args=[assignment_pk])
    to_do = page.locator(f"main li.meetlat-card a[href='{observation}']")
    assert to_do.count() == 0, "the recorded call is still to do"
    done = page.locator(f"main ul.utrecht-unordered-list a[href='{observation}']")
    assert done.count() == 1, "the recorded call is not listed as done: " + (
        page.locator("main").inner_html()
    )
    tab.check(f"{page.url} (observation saved)")


def _edit_findings(lead: Audit, wave_pk: int) -> None:
    """Answer manual items, reword an improve finding and add one of the lead's own."""
    page = lead.page
    lead.open(reverse("research:wave_results", args=[wave_pk]))
    findings = reverse("research:wave_findings", args=[wave_pk, MUNICIPALITY])
    with page.expect_navigation():
        page.click(f"main a[href='{findings}']")
    lead.check(page.url)
    with page.expect_navigation():
        page.click(
            f"main a[href='{reverse('research:wave_assessment', args=[wave_pk, MUNICIPALITY])}']"
        )
    lead.check(page.url)
    page.select_option("main select[name=value_15]", "yes")
    page.select_option("main select[name=value_20]", "no")
    page.select_option("main select[name=value_25]", "partly")
    page.fill("main input[name=note_25]", "Nieuwe telefooncentrale in het voorjaar")
    _submit(page)
    lead.check(f"{page.url} (answers saved)")

    lead.open(findings)
    item_20 = page.locator("main #finding-improve-20")
    assert item_20.count() == 1, "item 20, answered no, is no improve finding"
    item_20.locator("textarea").fill(REWORDED)
    with page.expect_navigation():
        item_20.locator("button[value=save]").click()
    assert REWORDED in page.locator("main #finding-improve-20").inner_text()
    lead.check(f"{page.url} (wording saved)")
    page.select_option("main select[name=kind]", "keep")
    page.fill("main textarea[name=text] >> nth=-1", OWN_FINDING)
    with page.expect_navigation():
        page.click("main button[value=add]")
    assert OWN_FINDING in page.locator("main").inner_text()
    lead.check(f"{page.url} (finding added)")


def _fill_in_the_self_assessment(viewer: Audit, wave_pk: int) -> None:
    page = viewer.page
    viewer.open(reverse("research:result_list"))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('research:self_assessment_list')}']")
    viewer.check(page.url)
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('research:self_assessment', args=[wave_pk])}']")
    viewer.check(page.url)
    page.select_option("main select[name=value_27]", "no")
    _submit(page)
    viewer.check(f"{page.url} (self-assessment saved)")


def _publish(lead: Audit, wave_pk: int) -> None:
    page = lead.page
    lead.open(reverse("research:plan", args=[wave_pk]))
    with page.expect_navigation():
        page.click("main p a.utrecht-link >> nth=0")
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('research:wave_publish', args=[wave_pk])}']")
    lead.check(page.url)
    _submit(page)
    assert (
        page.locator(f"main a[href='{reverse('research:wave_publish', args=[wave_pk])}']").count()
        == 0
    ), "the wave still offers to be published"
    lead.check(f"{page.url} (published)")


def _download_the_report(viewer: Audit, wave_pk: int) -> None:
    page = viewer.page
    viewer.open(reverse("research:result_list"))
    link = page.locator(f"main a[href='{reverse('research:result_detail', args=[wave_pk])}']")
    assert link.count() == 1, "the published wave is not listed"
    assert STUDY_NAME in link.inner_text()
    with page.expect_navigation():
        link.click()
    viewer.check(page.url)
    with page.expect_download() as info:
        page.click("main a[href$='/report.pdf']")
    path = info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF"), "the report is no PDF"
