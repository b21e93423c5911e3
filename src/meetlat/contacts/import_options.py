"""From the stored upload and its options (carried from the upload page to the preview, the
commit and the background job) to the arguments of ``contacts_import``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetlat.contacts.forms import ImportOptionsForm
from meetlat.contacts.importers.csv.mapping import ColumnMapping, MappingError, mapping_load
from meetlat.contacts.uploads import upload_read
from meetlat.organisations.models import Organisation


class ImportOptionsError(Exception):
    """The stored options cannot be used (not valid, or their mapping file is gone or wrong);
    the message says why, for the user."""


def _mapping(organisation: Organisation, sha256: str) -> ColumnMapping | None:
    if not sha256:
        return None
    data = upload_read(organisation=organisation, sha256=sha256)
    if data is None:
        raise ImportOptionsError(_("The mapping file is no longer available; upload it again."))
    try:
        return mapping_load(data)
    except MappingError as error:
        raise ImportOptionsError(error.describe(_("mapping"))) from error


def import_kwargs(
    *, organisation: Organisation, data: bytes, options: ImportOptionsForm
) -> dict[str, Any]:
    """The keyword arguments of ``contacts_import`` and ``contacts_import_preview`` from the
    options carried with an upload (the preview page and the import job read them alike).
    Raises ImportOptionsError."""
    if not options.is_valid():
        raise ImportOptionsError(_("The import options are not valid; upload the file again."))
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
