"""From the stored upload and its options (carried from the upload page to the preview, the
commit and the background job) to the arguments of ``contacts_import``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetlat.contacts.forms import ImportOptionsForm
from meetlat.contacts.importers.csv.mapping import ColumnMapping, mapping_load
from meetlat.contacts.uploads import upload_read
from meetlat.organisations.models import Organisation


class ImportGoneError(Exception):
    """A stored file (the upload or its mapping) is no longer there."""


def _mapping(organisation: Organisation, sha256: str) -> ColumnMapping | None:
    if not sha256:
        return None
    data = upload_read(organisation=organisation, sha256=sha256)
    if data is None:
        raise ImportGoneError(_("The mapping file is no longer available; upload it again."))
    return mapping_load(data)


def import_kwargs(
    *, organisation: Organisation, data: bytes, options: ImportOptionsForm
) -> dict[str, Any]:
    """The keyword arguments of ``contacts_import`` and ``contacts_import_preview`` for a
    valid options form. Raises ImportGoneError and the mapping's MappingError."""
    cleaned = options.cleaned_data
    return {
        "organisation": organisation,
        "data": data,
        "format_name": cleaned["format"],
        "tz": options.zone(),
        "default_contact_point": cleaned["contact_point"],
        "source": cleaned["source"],
        "mapping": _mapping(organisation, cleaned["mapping"]),
        "own_domains": options.domains(),
    }
