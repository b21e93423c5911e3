"""Helpers shared by the research pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from meetlat.accounts.access import membership_of
from meetlat.accounts.models import User
from meetlat.organisations.models import Organisation


def actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def own_organisation(request: HttpRequest) -> Organisation:
    return membership_of(request).organisation


def error_texts(error: ValidationError) -> list[str]:
    """The messages of a ValidationError, whether it has fields or not."""
    return [str(m) for m in error.messages]
