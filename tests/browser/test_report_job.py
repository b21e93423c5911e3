"""All reports of a wave as a background job in a real browser: the research lead starts it,
the job page shows a progress bar that updates itself (htmx polling a job running in a
background thread) and, once done, the files and one ZIP to download. axe-core on every page.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser
from tests.browser.test_research_journey import audit_context

from meetlat.research.demo import DEMO_STUDY

pytestmark = [pytest.mark.browser]
DEMO_MUNICIPALITIES = 8


def test_the_lead_follows_the_report_job_and_downloads_the_zip(
    browser: Browser, demo_site: str, axe_script: Path, settings: Any
) -> None:
    settings.JOBS_RUNNER = "thread"  # as `make demo` runs it: the page must poll
    with audit_context(browser, demo_site, axe_script) as lead:
        page = lead.page
        lead.log_in("onderzoeksleider")
        lead.open(reverse("research:study_list"))
        with page.expect_navigation():
            page.click(f"main a:has-text('{DEMO_STUDY}')")
        with page.expect_navigation():
            page.click("main a:has-text('1-meting')")
        with page.expect_navigation():
            page.click("main a[href$='/all-reports/']")
        lead.check(f"{page.url} (confirm)")
        with page.expect_navigation():
            page.click("main form.utrecht-form button[type=submit]")
        assert "/jobs/" in page.url
        assert page.locator("main progress").count() == 1, "no progress bar while running"
        lead.check(f"{page.url} (running)")
        # The page polls and reloads itself when the job is done; no reload from the test.
        page.wait_for_selector("main a:has-text('ZIP')", timeout=180_000)
        assert page.locator("main progress").count() == 0
        lead.check(f"{page.url} (done)")
        links = page.locator("main ul.utrecht-unordered-list a[href*='/files/']")
        assert links.count() == 2 * DEMO_MUNICIPALITIES + 1
        with page.expect_download() as info:
            page.click("main a:has-text('ZIP')")
        names = zipfile.ZipFile(info.value.path()).namelist()
        assert len(names) == 2 * DEMO_MUNICIPALITIES + 1
        assert sum(name.endswith(".pdf") for name in names) == DEMO_MUNICIPALITIES + 1
    lead.assert_clean()
