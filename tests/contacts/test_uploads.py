"""Staged uploads: stored per organisation by hash, and pruned when never imported."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from meetlat.contacts.uploads import (
    STAGED_MAX_AGE_S,
    upload_read,
    upload_store,
    uploads_prune,
)
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _age(settings: Any, organisation_pk: int, sha256: str, seconds: float) -> None:
    path = Path(settings.MEDIA_ROOT) / "imports" / str(organisation_pk) / sha256
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_a_file_never_imported_is_pruned_at_the_next_upload_once_old(
    cast: Cast, settings: Any
) -> None:
    old = upload_store(organisation=cast.voorbeeld, data=b"oud")
    recent = upload_store(organisation=cast.voorbeeld, data=b"recent")
    other = upload_store(organisation=cast.anders, data=b"oud")
    _age(settings, cast.voorbeeld.pk, old, STAGED_MAX_AGE_S + 60)
    _age(settings, cast.anders.pk, other, STAGED_MAX_AGE_S + 60)
    upload_store(organisation=cast.voorbeeld, data=b"nieuw")
    assert upload_read(organisation=cast.voorbeeld, sha256=old) is None
    assert upload_read(organisation=cast.voorbeeld, sha256=recent) == b"recent"
    assert upload_read(organisation=cast.anders, sha256=other) == b"oud"  # not its upload


def test_prune_counts_what_it_removed_and_keeps_young_files(cast: Cast, settings: Any) -> None:
    sha = upload_store(organisation=cast.voorbeeld, data=b"x")
    assert uploads_prune(organisation=cast.voorbeeld, now=time.time()) == 0
    assert uploads_prune(organisation=cast.voorbeeld, now=time.time() + STAGED_MAX_AGE_S + 1) == 1
    assert upload_read(organisation=cast.voorbeeld, sha256=sha) is None


def test_uploading_the_same_old_file_again_keeps_it(cast: Cast, settings: Any) -> None:
    sha = upload_store(organisation=cast.voorbeeld, data=b"zelfde")
    _age(settings, cast.voorbeeld.pk, sha, STAGED_MAX_AGE_S + 60)
    assert upload_store(organisation=cast.voorbeeld, data=b"zelfde") == sha
    assert upload_read(organisation=cast.voorbeeld, sha256=sha) == b"zelfde"
