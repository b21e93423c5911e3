"""A folder of `.eml` files packed into one ZIP archive, so it imports as one file with one
hash: the same folder always gives the same bytes (sorted names, fixed timestamps)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Final

_FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)


def folder_archive(folder: Path) -> bytes:
    """The `.eml` files in `folder` and its sub-folders as a ZIP (raises OSError)."""
    paths = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".eml"),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
