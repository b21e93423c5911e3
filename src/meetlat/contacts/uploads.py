"""Uploaded import files between the preview and the commit (STYLE.md practice 3, step 1).

A file is stored as `MEDIA_ROOT/imports/<organisation id>/<sha256>` and referred to only by its
SHA-256 and the organisation of the user: a path never comes from a form, and another
organisation's hash is simply not found. An imported file is removed by the import; a file
that was previewed but never imported is removed at the next upload of the organisation once
it is older than STAGED_MAX_AGE.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Final

from django.conf import settings

from meetlat.organisations.models import Organisation

_SHA256: Final = re.compile(r"[0-9a-f]{64}")
STAGED_MAX_AGE_S: Final = 2 * 24 * 3600


def is_sha256(value: str) -> bool:
    return bool(_SHA256.fullmatch(value))


def _folder(organisation: Organisation) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(organisation.pk)


def upload_store(*, organisation: Organisation, data: bytes) -> str:
    """Keep an uploaded file for the organisation; returns its SHA-256 (the reference).
    Files of the organisation staged longer than STAGED_MAX_AGE_S ago are removed."""
    digest = hashlib.sha256(data).hexdigest()
    folder = _folder(organisation)
    folder.mkdir(parents=True, exist_ok=True)
    uploads_prune(organisation=organisation, now=time.time())
    target = folder / digest
    if not target.exists():
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(target)
    return digest


def upload_read(*, organisation: Organisation, sha256: str) -> bytes | None:
    """The organisation's stored file of this hash, or None (unknown, other organisation's)."""
    if not is_sha256(sha256):
        return None
    try:
        return (_folder(organisation) / sha256).read_bytes()
    except FileNotFoundError:
        return None


def upload_discard(*, organisation: Organisation, sha256: str) -> None:
    """Remove a stored file once it is imported."""
    if is_sha256(sha256):
        (_folder(organisation) / sha256).unlink(missing_ok=True)


def uploads_prune(*, organisation: Organisation, now: float) -> int:
    """Remove the organisation's staged files (and stray temporary files) older than
    STAGED_MAX_AGE_S at ``now`` (seconds since the epoch); returns how many were removed."""
    removed = 0
    for path in _folder(organisation).glob("*"):
        try:
            if path.is_file() and now - path.stat().st_mtime > STAGED_MAX_AGE_S:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed by a concurrent request
            continue
    return removed
