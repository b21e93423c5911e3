"""The REST API (django-ninja): token authentication, OpenAPI schema at /api/openapi.json."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.security import HttpBearer

from meetlat.accounts.models import Membership
from meetlat.accounts.services import api_token_authenticate
from meetlat.organisations import selectors as org_selectors


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        membership = api_token_authenticate(raw=token)
        if membership is not None:
            request.membership = membership  # type: ignore[attr-defined]
        return membership


api = NinjaAPI(
    title="meetlat API",
    version="1",
    description="REST API of meetlat. Authenticate with `Authorization: Bearer <token>`; "
    "create a token under your account's API tokens.",
    auth=TokenAuth(),
    docs_url=None,
    urls_namespace="api",
)


def _membership(request: HttpRequest) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    return membership


class MeOut(Schema):
    username: str
    organisation: str
    organisation_name: str
    role: str


class ContactPointOut(Schema):
    id: int
    name: str
    channel: str
    phone_kind: str
    address: str
    active: bool


class DueOut(Schema):
    received: dt.datetime
    receipt_day: dt.date
    working_days: int
    due: dt.datetime


class DueIn(Schema):
    received: dt.datetime
    working_days: int = 2


class ErrorOut(Schema):
    detail: str


@api.get("/me", response=MeOut, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    membership = _membership(request)
    return {
        "username": membership.user.username,
        "organisation": membership.organisation.code,
        "organisation_name": membership.organisation.name,
        "role": membership.role,
    }


@api.get("/contact-points", response=list[ContactPointOut], summary="Contact points")
def contact_points(request: HttpRequest) -> list[Any]:
    organisation = _membership(request).organisation
    return list(org_selectors.contact_point_list(organisation=organisation))


@api.get(
    "/calendar/due",
    response={200: DueOut, 422: ErrorOut},
    summary="Deadline on the organisation's working-day calendar",
)
def calendar_due(request: HttpRequest, params: Query[DueIn]) -> Status[Any]:
    if params.received.tzinfo is None:
        return Status(
            422, {"detail": "received needs a UTC offset, e.g. 2026-04-24T10:00:00+02:00"}
        )
    if not 0 <= params.working_days <= 260:
        return Status(422, {"detail": "working_days must be between 0 and 260"})
    calendar = org_selectors.calendar_for(organisation=_membership(request).organisation)
    return Status(
        200,
        {
            "received": params.received,
            "receipt_day": calendar.receipt_day(params.received),
            "working_days": params.working_days,
            "due": calendar.due(params.received, params.working_days),
        },
    )
