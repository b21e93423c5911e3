"""Every page a demo user can reach passes axe-core and logs no console errors (CSP included).

The pages come from the page itself: the links in the main navigation and in the user menu,
and one level of links inside ``main`` of those pages (forms such as "New user", edit pages).
New pages are therefore covered as soon as they are linked. Each distinct page shape
(numbers in the path replaced) is checked once, and of a table only the first row is followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, ConsoleMessage, Error, Page

from meetlat.accounts.roles import Role
from meetlat.web.demo import DEMO_PASSWORD, DEMO_USERS
from meetlat.web.nav import navigation_for

pytestmark = [pytest.mark.browser]

#: One demo user per role (the first one listed for that role).
ROLE_USERS: dict[Role, str] = {}
for _spec in DEMO_USERS:
    ROLE_USERS.setdefault(_spec.role, _spec.username)

#: Pages an administrator must reach from the navigation (a check that the crawl covers them).
ADMIN_FORMS = ("accounts:user_create", "organisations:create", "organisations:contact_point_create")
#: Links inside the content, but from tables only the first row: the rows list objects of one
#: kind (users, contact points, norms), so one of them covers the page they link to. File
#: downloads (links with `download`: the PDF and XLSX reports) are no pages to check.
MAIN_LINKS = "main a:not([download]):not(tbody tr:not(:first-child) a)"
#: Pages every logged-in user must reach from the user menu.
USER_MENU_PAGES = ("accounts:otp_setup", "accounts:api_tokens")


@dataclass
class Audit:
    """Runs axe-core on pages of one browser tab and collects every problem found."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    _console: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self._console.append(f"console error: {message.text} ({location})")

    def _on_page_error(self, error: Error) -> None:
        self._console.append(f"uncaught script error: {error.message}")

    def open(self, path: str, *, status: int = 200) -> None:
        """Go to ``path``, expect ``status`` without a redirect, and check the page."""
        response = self.page.goto(self.base_url + path)
        if response is None or response.status != status:
            got = "no response" if response is None else f"HTTP {response.status}"
            self.problems.append(f"{path}: {got}, expected HTTP {status}")
        elif urlsplit(self.page.url).path != urlsplit(path).path:
            self.problems.append(f"{path}: ended up at {self.page.url}")
        self.check(path, status=status)

    def check(self, label: str, *, status: int = 200) -> None:
        """Run axe-core on the current page and record violations and console errors."""
        self.visited.append(label)
        violations: list[dict[str, Any]] = self.page.evaluate(
            "async () => (await axe.run()).violations"
        )
        for violation in violations:
            nodes = violation.get("nodes") or [{}]
            target = nodes[0].get("target") or ["?"]
            self.problems.append(
                f"{label}: axe {violation['id']} ({violation.get('impact')}), "
                f"{len(nodes)} element(s), first: {target[0]}: {violation.get('help')}"
            )
        console = self._console[:]
        self._console.clear()
        if status >= 400:
            # Chromium logs the error status of the document itself; that one is expected.
            console = [c for c in console if f"status of {status}" not in c]
        self.problems.extend(f"{label}: {message}" for message in console)

    def links(self, selector: str) -> list[str]:
        """Same-site paths of the links matching ``selector``, without query strings."""
        hrefs: list[str] = self.page.eval_on_selector_all(
            selector, "links => links.map(a => a.href)"
        )
        site = urlsplit(self.base_url).netloc
        paths = []
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc == site and not parts.query and parts.path not in paths:
                paths.append(parts.path)
        return paths

    def log_in(self, username: str) -> None:
        self.open(reverse("accounts:login"))
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit]")
        if urlsplit(self.page.url).path != reverse("web:home"):
            pytest.fail(f"logging in as {username} ended at {self.page.url}", pytrace=False)
        self._console.clear()

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} problem(s) on {len(self.visited)} page(s):\n  "
            + "\n  ".join(self.problems)
        )


@contextmanager
def audit_tab(browser: Browser, base_url: str, axe_script: Path) -> Iterator[Audit]:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    # Not page.add_script_tag: that inserts an inline <script>, which our CSP (rightly) blocks.
    # An init script is run by the browser itself on every document, outside the page's CSP,
    # and leaves the CSP in force for the page's own scripts and styles.
    context.add_init_script(path=str(axe_script))
    try:
        yield Audit(page=context.new_page(), base_url=base_url)
    finally:
        context.close()


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


@pytest.mark.parametrize("role", list(ROLE_USERS), ids=lambda role: str(role.value))
def test_every_page_of_a_role_passes_axe(
    browser: Browser, demo_site: str, axe_script: Path, role: Role
) -> None:
    with audit_tab(browser, demo_site, axe_script) as audit:
        audit.log_in(ROLE_USERS[role])
        audit.check(reverse("web:home"))

        nav = audit.links("header nav a")
        expected_nav = [link.url for link in navigation_for(role, "/")]
        assert nav == expected_nav, f"navigation of {role}: {nav} != NAVIGATION {expected_nav}"
        user_menu = audit.links("header .meetlat-user a")

        seen = {_shape(reverse("web:home")), _shape(reverse("accounts:login"))}
        for path in nav + user_menu:
            if _shape(path) in seen:
                continue
            seen.add(_shape(path))
            audit.open(path)
            for inner in audit.links(MAIN_LINKS):
                if _shape(inner) in seen or inner.startswith("/api/"):
                    continue
                seen.add(_shape(inner))
                audit.open(inner)

        must_reach = USER_MENU_PAGES + (ADMIN_FORMS if role == Role.ADMIN else ())
        missing = [name for name in must_reach if _shape(reverse(name)) not in seen]
        assert not missing, f"{role} could not reach {missing} by following links"

        if role == Role.ADMIN:
            _check_states_after_submitting(audit)
        audit.assert_clean()


def _check_states_after_submitting(audit: Audit) -> None:
    """Pages look different after a POST: a form with errors, a new token in a table."""
    user_create = reverse("accounts:user_create")
    audit.page.goto(audit.base_url + user_create)
    with audit.page.expect_navigation():
        audit.page.click("main button[type=submit]")
    assert audit.page.locator("main [aria-invalid=true]").count() > 0, "no field marked invalid"
    audit.check(f"{user_create} (empty form sent)")

    api_tokens = reverse("accounts:api_tokens")
    audit.page.goto(audit.base_url + api_tokens)
    audit.page.fill("main input[name=name]", "Rapportage-script")
    with audit.page.expect_navigation():
        audit.page.click("main button[type=submit]")
    assert audit.page.locator("main table").count() == 1, "the new token is not listed"
    audit.check(f"{api_tokens} (token created)")


def test_public_and_error_pages_pass_axe(
    browser: Browser, demo_site: str, axe_script: Path
) -> None:
    with audit_tab(browser, demo_site, axe_script) as audit:
        login = reverse("accounts:login")
        audit.open(login)
        with audit.page.expect_navigation():
            audit.page.click("main button[type=submit]")
        assert audit.page.locator("main .meetlat-error, main [role=alert]").count() > 0, (
            "an empty login form shows no error"
        )
        audit.check(f"{login} (with errors)")
        audit.open("/does-not-exist/", status=404)

        audit.log_in(ROLE_USERS[Role.EMPLOYEE])
        audit.open("/does-not-exist/", status=404)
        audit.open(reverse("accounts:user_list"), status=403)
        audit.assert_clean()
