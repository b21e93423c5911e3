"""The KTO invitation page in a real browser, in each of its states: a form with errors, the
message when there is no one to invite, the CSV download and the list of runs. axe-core on
every state."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page
from tests.browser.test_research_journey import audit_context

from meetlat.contacts.demo import DEMO_TO

pytestmark = [pytest.mark.browser]
PAGE = reverse("contacts:survey_invitations")


def _fill(page: Page, date_from: str, date_to: str, sample: str = "") -> None:
    page.fill("main input[name=date_from]", date_from)
    page.fill("main input[name=date_to]", date_to)
    page.fill("main input[name=sample]", sample)


def _submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main form.utrecht-form button[type=submit]")


def test_the_coach_makes_links_and_sees_the_run(
    browser: Browser, demo_site: str, axe_script: Path
) -> None:
    with audit_context(browser, demo_site, axe_script) as coach:
        page = coach.page
        coach.log_in("coach")
        coach.open(PAGE)

        _fill(page, "2026-04-23", "2026-04-17")
        _submit(page)
        assert page.locator("main [aria-invalid=true]").count() > 0, "no field marked invalid"
        coach.check(f"{PAGE} (to before from)")

        _fill(page, "2020-01-01", "2020-01-07")
        _submit(page)
        assert page.locator("main [role=status]").count() == 1, "no message without contacts"
        coach.check(f"{PAGE} (no one to invite)")

        last = DEMO_TO.isoformat()
        _fill(page, last, last, sample="5")
        with page.expect_download() as info:
            page.click("main form.utrecht-form button[type=submit]")
        text = Path(info.value.path()).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        assert len(rows) == 5 and all(r["link"].startswith(f"{demo_site}/s/") for r in rows)

        coach.open(PAGE)
        assert page.locator("main table tbody tr").count() == 1, "the run is not listed"
        coach.check(f"{PAGE} (one run)")
        coach.open(urlsplit(rows[0]["link"]).path)  # the survey the customer gets
    coach.assert_clean()
