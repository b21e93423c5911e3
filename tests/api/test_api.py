from __future__ import annotations

import pytest
from django.test import Client

from meetlat.accounts.models import ApiToken
from meetlat.accounts.services import api_token_create
from meetlat.organisations.models import ContactPoint
from tests.conftest import Cast


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
def test_the_openapi_schema_lists_every_endpoint() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/me", "/api/contact-points", "/api/calendar/due"} <= set(schema["paths"])


@pytest.mark.django_db
def test_every_endpoint_refuses_requests_without_a_valid_token(cast: Cast) -> None:
    schema = Client().get("/api/openapi.json").json()
    for path in schema["paths"]:
        assert Client().get(path).status_code == 401, path
        assert Client().get(path, headers=_auth("mlt_wrong")).status_code == 401, path


@pytest.mark.django_db
def test_a_token_is_stored_only_as_a_digest(cast: Cast) -> None:
    token, raw = api_token_create(membership=cast.anouk.memberships.get(), name="script")
    assert raw not in {token.digest, token.prefix}
    assert ApiToken.objects.get().digest == ApiToken.digest_of(raw)


@pytest.mark.django_db
def test_a_token_sees_only_its_own_organisation(cast: Cast) -> None:
    ContactPoint.objects.create(
        organisation=cast.voorbeeld, name="Balie Voorbeeld", channel="counter"
    )
    ContactPoint.objects.create(organisation=cast.anders, name="Balie Anders", channel="counter")
    _token, raw = api_token_create(membership=cast.dirk.memberships.get(), name="script")
    me = Client().get("/api/me", headers=_auth(raw)).json()
    assert me["organisation"] == "GM9802"
    names = [cp["name"] for cp in Client().get("/api/contact-points", headers=_auth(raw)).json()]
    assert names == ["Balie Anders"]


@pytest.mark.django_db
def test_calendar_due_over_the_api(cast: Cast) -> None:
    _token, raw = api_token_create(membership=cast.anouk.memberships.get(), name="script")
    ok = Client().get(
        "/api/calendar/due",
        {"received": "2026-04-24T10:00:00+02:00", "working_days": "2"},
        headers=_auth(raw),
    )
    assert ok.status_code == 200
    assert ok.json()["due"].startswith("2026-04-29T23:59:59")
    naive = Client().get(
        "/api/calendar/due", {"received": "2026-04-24T10:00:00"}, headers=_auth(raw)
    )
    assert naive.status_code == 422
    assert "UTC offset" in naive.json()["detail"]
