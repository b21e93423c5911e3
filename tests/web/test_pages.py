from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meetlat.web.nav import NAVIGATION
from tests.conftest import Cast, client_for


@pytest.mark.django_db
def test_pages_are_dutch_by_default_with_lang_nl(cast: Cast) -> None:
    body = client_for(cast.anouk).get("/").content.decode()
    assert '<html lang="nl"' in body
    assert "Overzicht" in body


@pytest.mark.django_db
def test_english_is_available(cast: Cast) -> None:
    client = client_for(cast.anouk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en"' in body
    assert "Overview" in body


@pytest.mark.django_db
def test_a_missing_page_is_friendly_and_dutch(cast: Cast) -> None:
    response = client_for(cast.anouk).get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_is_friendly_and_dutch(cast: Cast) -> None:
    response = client_for(cast.chantal).get(reverse("accounts:audit_list"))
    assert response.status_code == 403
    assert "geen toegang" in response.content.decode()


@pytest.mark.django_db
def test_every_response_carries_a_strict_content_security_policy() -> None:
    policy = Client().get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_navigation_shows_only_what_the_role_may_use(cast: Cast) -> None:
    employee = client_for(cast.chantal).get("/").content.decode()
    admin = client_for(cast.ada).get("/").content.decode()
    assert reverse("accounts:audit_list") not in employee
    assert reverse("accounts:audit_list") in admin


def test_unfinished_capabilities_are_hidden_from_the_navigation() -> None:
    hidden = [item for item in NAVIGATION if not item.enabled]
    assert all(not item.roles for item in hidden)


@pytest.mark.django_db
def test_the_home_page_tells_a_new_organisation_what_to_do_next(cast: Cast) -> None:
    body = client_for(cast.anouk).get("/").content.decode()
    assert reverse("organisations:contact_point_create") in body


@pytest.mark.django_db
def test_the_health_check_answers_without_login() -> None:
    assert Client().get("/healthz").json() == {"status": "ok"}
