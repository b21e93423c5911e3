"""Fixtures for the browser tests: a live server with the demo loaded, and system Chromium.

Playwright's sync API runs an asyncio event loop in the test thread while it is started, and
Django refuses ORM calls from such a thread (``SynchronousOnlyOperation``). So everything that
touches the database (loading the demo, looking up objects, flushing afterwards) happens
before Playwright starts or after it stops: the ``browser`` fixture depends on ``demo_site``,
so pytest sets the site up first and tears the browser down first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from playwright.sync_api import Browser, sync_playwright
from pytest_django.live_server_helper import LiveServer

from meetlat.web.demo import demo_load

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing(what: str, fix: str) -> None:
    message = f"{what} is missing; {fix}"
    if _in_ci():
        pytest.fail(f"{message} (CI=true: a missing browser is a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def demo_site(
    live_server: LiveServer,
    transactional_db: None,
    django_db_serialized_rollback: None,
    settings: LazySettings,
) -> str:
    """The base URL of a live server with the demo loaded.

    The live server thread needs committed data, hence ``transactional_db``; the serialized
    rollback puts the rows of data migrations (the CBS municipality list) back after the
    flush, for this test and the tests after it.
    """
    # Plain http on loopback: cookies marked Secure would never be sent back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    demo_load()
    return live_server.url


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from node_modules (an npm dev dependency), injected into pages by the tests."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing; run 'make npm'", pytrace=False)
    return AXE_SCRIPT


@pytest.fixture
def browser(demo_site: str) -> Iterator[Browser]:
    """Headless system Chromium (never a downloaded browser), one per test.

    Per test rather than per session: see the module docstring.
    """
    if not CHROMIUM.exists():
        _missing(
            f"Chromium ({CHROMIUM})",
            "install the Debian package 'chromium' (make test does this as root)",
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
