"""The contact import as a background job: the upload page's "Import" starts it, the job page
shows the rows read so far, then the result or the problems (nothing imported)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetlat.contacts.forms import ImportOptionsForm
from meetlat.contacts.import_options import ImportOptionsError, import_kwargs
from meetlat.contacts.services import ImportConflictError, contacts_import
from meetlat.contacts.uploads import upload_discard, upload_read
from meetlat.jobs.models import Job
from meetlat.jobs.progress import Progress
from meetlat.jobs.registry import JobInputError

KIND = "contacts.import"


def contacts_import_job_params(*, sha256: str, options: dict[str, str]) -> dict[str, Any]:
    return {"sha256": sha256, "options": options}


def _kwargs(job: Job) -> dict[str, Any]:
    data = upload_read(organisation=job.organisation, sha256=job.params["sha256"])
    if data is None:
        raise JobInputError(_("The uploaded file is no longer available; upload it again."))
    options = ImportOptionsForm(job.params["options"])
    try:
        return import_kwargs(organisation=job.organisation, data=data, options=options)
    except ImportOptionsError as error:
        raise JobInputError(str(error)) from error


def contacts_import_job(*, job: Job, progress: Progress) -> dict[str, Any]:
    kwargs = _kwargs(job)
    name = job.params["options"].get("name") or job.params["sha256"][:12]
    lines = max(1, kwargs["data"].count(b"\n"))
    reading = _("Reading and checking rows")

    def rows_read(rows: int) -> None:
        progress(min(rows, lines), lines, reading)

    try:
        result = contacts_import(**kwargs, file_name=name, actor=job.created_by, progress=rows_read)
    except ImportConflictError as error:
        raise JobInputError(
            _(
                "Another import stored some of these contacts at the same time; nothing was "
                "imported. Try again."
            )
        ) from error
    if not result.ok:
        details = [error.describe(name) for error in result.errors]
        if result.error_count > len(result.errors):
            details.append(_("… and %(n)s more.") % {"n": result.error_count - len(result.errors)})
        raise JobInputError(_("Nothing was imported: the file has problems."), details)
    upload_discard(organisation=job.organisation, sha256=job.params["sha256"])
    if job.params["options"].get("mapping"):
        upload_discard(organisation=job.organisation, sha256=job.params["options"]["mapping"])
    return {
        "name": name,
        "rows": result.rows,
        "imported": result.imported,
        "duplicates": result.duplicates,
    }
