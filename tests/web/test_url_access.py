"""Walk every URL of the project as every role and as a user of another organisation.

New URLs are covered automatically: every view must declare who may use it
(``role_required``, ``login_required`` or ``public``), and every URL with parameters must be
listed in ``OBJECT_URLS`` with an object of the user's own and of another organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meetlat.accounts.access import AUTHENTICATED, PUBLIC
from meetlat.accounts.roles import Role
from meetlat.contacts.surveys import survey_invitation_create
from meetlat.contacts.uploads import upload_store
from meetlat.organisations.models import ContactPoint
from tests.conftest import Cast, client_for
from tests.jobs.factories import FILE_NAME, job_for_role
from tests.research import factories as rf

#: URL namespaces covered by their own tests (the REST API checks its token per endpoint).
SEPARATELY_TESTED = {"api"}


@dataclass(frozen=True)
class Route:
    name: str
    callback: Callable[..., Any]
    params: tuple[str, ...]


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name")
            params = tuple(entry.pattern.regex.groupindex)
            yield Route(f"{namespace}{entry.name}", entry.callback, params)


def all_routes() -> list[Route]:
    return [
        route
        for route in _walk(get_resolver())
        if route.name.split(":")[0] not in SEPARATELY_TESTED
    ]


def _staged_upload(org: Any) -> str:
    """An uploaded, not yet imported file of the organisation (the preview's object)."""
    return upload_store(
        organisation=org,
        data=f"contact_id,started_at,outcome,wait_s\n{org.code}-1,2026-03-10T09:00:00+01:00,answered,5\n".encode(),
    )


def _contact_point(org: Any) -> ContactPoint:
    contact_point, _created = ContactPoint.objects.get_or_create(
        organisation=org,
        name=f"Hoofdnummer {org.code}",
        defaults={"channel": "phone", "phone_kind": "main", "address": "14 050"},
    )
    return contact_point


UNKNOWN_SURVEY_TOKEN = "no-such-survey-token"


def _survey_token(org: Any) -> str:
    _invitation, url = survey_invitation_create(organisation=org)
    return url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ObjectUrl:
    own: Callable[[Cast], dict[str, Any]]
    other: Callable[[Cast], dict[str, Any]] | None  # None: not tenant-scoped (admin-wide)
    #: For objects that differ per role (a background job of a kind the role sees, in the
    #: organisation of the role's persona): used instead of `own` when a role walks.
    own_for_role: Callable[[Cast, Role], dict[str, Any]] | None = None


def _job_url(cast: Cast, role: Role, **extra: str) -> dict[str, Any]:
    user = cast.by_role()[role]
    organisation = user.memberships.get().organisation
    return {"pk": job_for_role(organisation, role).pk, **extra}


OBJECT_URLS: dict[str, ObjectUrl] = {
    "accounts:user_detail": ObjectUrl(own=lambda c: {"pk": c.chantal.pk}, other=None),
    "organisations:contact_point_edit": ObjectUrl(
        own=lambda c: {"pk": _contact_point(c.voorbeeld).pk},
        other=lambda c: {"pk": _contact_point(c.anders).pk},
    ),
    "organisations:opening_hours_edit": ObjectUrl(
        own=lambda c: {"pk": _contact_point(c.voorbeeld).pk},
        other=lambda c: {"pk": _contact_point(c.anders).pk},
    ),
    "organisations:norm_edit": ObjectUrl(
        own=lambda c: {"key": "phone_service_level"}, other=lambda c: {"key": "no-such-norm"}
    ),
    # A public page keyed by a secret token, not by tenant: `own` is a fresh, valid invitation
    # (anonymous visitors must get the form, 200); `other` is an unknown token. The walker skips
    # `other` on public pages, so tests/contacts/test_survey_pages.py checks that it gives 404.
    "survey:answer": ObjectUrl(
        own=lambda c: {"token": _survey_token(c.voorbeeld)},
        other=lambda c: {"token": UNKNOWN_SURVEY_TOKEN},
    ),
    **{
        f"research:{name}": ObjectUrl(
            own=lambda c: {"pk": rf.own_study(c).pk}, other=lambda c: {"pk": rf.other_study(c).pk}
        )
        for name in (
            "study_detail",
            "wave_create",
            "scenario_list",
            "scenario_create",
            "scenario_propose",
        )
    },
    **{
        f"research:{name}": ObjectUrl(
            own=lambda c: {"pk": rf.open_wave(rf.own_study(c)).pk},
            other=lambda c: {"pk": rf.open_wave(rf.other_study(c)).pk},
        )
        for name in ("plan", "plan_csv", "wave_results", "wave_publish")
    },
    "research:result_detail": ObjectUrl(
        own=lambda c: {"pk": rf.published_wave(rf.own_study(c)).pk},
        other=lambda c: {"pk": rf.published_wave(rf.other_study(c)).pk},
    ),
    **{
        f"research:{name}": ObjectUrl(
            own=lambda c: {"pk": rf.observed_wave(rf.own_study(c)).pk},
            other=lambda c: {"pk": rf.observed_wave(rf.other_study(c)).pk},
        )
        for name in (
            "result_report_pdf",
            "result_report_xlsx",
            "wave_benchmark_pdf",
            "wave_reports_job",
        )
    },
    **{
        f"research:{name}": ObjectUrl(
            own=lambda c: {"pk": rf.observed_wave(rf.own_study(c)).pk, "code": c.voorbeeld.code},
            other=lambda c: {"pk": rf.observed_wave(rf.other_study(c)).pk, "code": c.anders.code},
        )
        for name in ("wave_report_pdf", "wave_report_xlsx")
    },
    **{
        f"research:{name}": ObjectUrl(
            own=lambda c: {"pk": rf.open_wave(rf.own_study(c)).pk, "code": c.voorbeeld.code},
            other=lambda c: {"pk": rf.open_wave(rf.other_study(c)).pk, "code": c.anders.code},
        )
        for name in ("wave_findings", "wave_assessment")
    },
    "research:self_assessment": ObjectUrl(
        own=lambda c: {"pk": rf.open_wave(rf.own_study(c)).pk},
        other=lambda c: {"pk": rf.open_wave(rf.other_study(c)).pk},
    ),
    "research:scenario_accept": ObjectUrl(
        own=lambda c: {"pk": rf.proposed_scenario(rf.own_study(c)).pk},
        other=lambda c: {"pk": rf.proposed_scenario(rf.other_study(c)).pk},
    ),
    **{
        f"research:{name}": ObjectUrl(
            own=lambda c: {"pk": rf.own_assignment(c).pk},
            other=lambda c: {"pk": rf.other_assignment(c).pk},
        )
        for name in ("assignment_edit", "observation")
    },
    **{
        f"jobs:{name}": ObjectUrl(
            own=lambda c: {"pk": job_for_role(c.voorbeeld, None).pk},
            other=lambda c: {"pk": job_for_role(c.anders, None).pk},
            own_for_role=_job_url,
        )
        for name in ("job_detail", "job_status")
    },
    "jobs:job_file": ObjectUrl(
        own=lambda c: {"pk": job_for_role(c.voorbeeld, None).pk, "name": FILE_NAME},
        other=lambda c: {"pk": job_for_role(c.anders, None).pk, "name": FILE_NAME},
        own_for_role=lambda c, role: _job_url(c, role, name=FILE_NAME),
    ),
    "contacts:import_preview": ObjectUrl(
        own=lambda c: {"sha256": _staged_upload(c.voorbeeld)},
        other=lambda c: {"sha256": _staged_upload(c.anders)},
    ),
}


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = [r.name for r in all_routes() if not hasattr(r.callback, "meetlat_access")]
    assert undeclared == []


def test_every_url_with_parameters_has_test_objects() -> None:
    missing = [r.name for r in all_routes() if r.params and r.name not in OBJECT_URLS]
    assert missing == []


def _status(client: Any, url: str) -> int:
    """The status of a GET. A file download is read to the end, which closes its file (the
    test client's wrapper does so without closing the test's database connection, which a
    plain ``response.close()`` would do on PostgreSQL)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return int(response.status_code)


def _url(route: Route, cast: Cast, *, other: bool = False, role: Role | None = None) -> str | None:
    if not route.params:
        return None if other else reverse(route.name)
    spec = OBJECT_URLS[route.name]
    if role is not None and not other and spec.own_for_role is not None:
        return reverse(route.name, kwargs=spec.own_for_role(cast, role))
    factory = spec.other if other else spec.own
    return None if factory is None else reverse(route.name, kwargs=factory(cast))


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_except_on_public_pages(cast: Cast) -> None:
    from django.test import Client

    client = Client()
    for route in all_routes():
        url = _url(route, cast)
        assert url is not None
        response = client.get(url)
        if route.callback.meetlat_access == PUBLIC:  # type: ignore[attr-defined]
            assert response.status_code in {200, 204, 302, 405}, route.name
            assert "/accounts/login/" not in response.get("Location", ""), route.name
        else:
            assert response.status_code == 302, route.name
            assert response["Location"].startswith(reverse("accounts:login")), route.name


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_the_pages_its_role_allows(cast: Cast, role: Role) -> None:
    client = client_for(cast.by_role()[role])
    for route in all_routes():
        access = route.callback.meetlat_access  # type: ignore[attr-defined]
        if access in {PUBLIC, AUTHENTICATED}:
            continue
        url = _url(route, cast, role=role)
        assert url is not None
        status = _status(client, url)
        if role in access:
            assert status == 200, f"{role} should reach {route.name} ({url}), got {status}"
        else:
            assert status == 403, f"{role} must not reach {route.name} ({url}), got {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_objects_of_another_organisation_are_not_found(cast: Cast, role: Role) -> None:
    client = client_for(cast.by_role()[role])
    for route in all_routes():
        access = route.callback.meetlat_access  # type: ignore[attr-defined]
        url = _url(route, cast, other=True)
        if url is None or access in {PUBLIC, AUTHENTICATED}:
            continue
        status = _status(client, url)
        expected = 404 if role in access else 403
        assert status == expected, f"{role} on {route.name} of another organisation: {status}"


@pytest.mark.django_db
def test_a_viewer_of_another_municipality_sees_none_of_its_names(cast: Cast) -> None:
    _contact_point(cast.voorbeeld)
    client = client_for(cast.dirk)
    for route in all_routes():
        if route.params:
            continue
        body = client.get(reverse(route.name)).content.decode()
        assert "Gemeente Voorbeeld" not in body, route.name
        assert "Hoofdnummer GM9801" not in body, route.name
