"""Contact data pages: import batches, upload, preview (nothing stored) and commit.

The import runs inline in the request (Celery later): the preview parses and checks the stored
file, the "Import" button commits all rows or none and shows the result.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.contacts.forms import DEFAULT_ZONE, ImportOptionsForm, ImportUploadForm, read_upload
from meetlat.contacts.importers import FormatNotAvailableError
from meetlat.contacts.importers.csv.mapping import ColumnMapping, MappingError, mapping_load
from meetlat.contacts.models import Outcome
from meetlat.contacts.selectors import import_batch_list
from meetlat.contacts.services import (
    ImportConflictError,
    ImportPreview,
    contacts_import,
    contacts_import_preview,
)
from meetlat.contacts.uploads import upload_discard, upload_read, upload_store
from meetlat.organisations.models import Organisation
from meetlat.web.pagination import paginate

IMPORTERS = (Role.ADMIN, Role.QUALITY_COACH)
OPTION_DEFAULTS = {"format": "csv", "tz": DEFAULT_ZONE}


def _organisation(request: HttpRequest) -> Organisation:
    return membership_of(request).organisation


@role_required(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        options = {
            "format": data["format"],
            "tz": data["tz"],
            "contact_point": data["contact_point"],
            "source": data["source"],
            "name": (upload.name or "upload")[:255],
        }
        if data.get("mapping_file") is not None:
            mapping = read_upload(data["mapping_file"])
            options["mapping"] = upload_store(organisation=organisation, data=mapping)
        sha256 = upload_store(organisation=organisation, data=read_upload(upload))
        url = reverse("contacts:import_preview", kwargs={"sha256": sha256})
        return redirect(f"{url}?{urlencode(options)}")
    page = paginate(request, import_batch_list(organisation=organisation))
    return render(request, "contacts/import_list.html", {"form": form, "page": page})


@role_required(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, sha256: str) -> HttpResponse:
    organisation = _organisation(request)
    data = upload_read(organisation=organisation, sha256=sha256)
    if data is None:
        raise Http404
    options = ImportOptionsForm(
        _with_defaults(request.POST if request.method == "POST" else request.GET)
    )
    context: dict[str, Any] = {"options": options, "sha256": sha256, "problem": ""}
    if not options.is_valid():
        context["problem"] = _("The import options are not valid; upload the file again.")
        return render(request, "contacts/import_preview.html", context)
    try:
        mapping = _mapping(organisation, options.cleaned_data["mapping"])
        kwargs = _import_kwargs(organisation, data, options, mapping)
        preview = contacts_import_preview(**kwargs)
    except (MappingError, FormatNotAvailableError, _GoneError) as error:
        context["problem"] = str(error)
        return render(request, "contacts/import_preview.html", context)
    if request.method == "POST" and preview.ok:
        return _commit(request, organisation, sha256, kwargs, options)
    context.update({"preview": preview, "name": options.cleaned_data["name"] or sha256[:12]})
    context["shown"] = _shown_rows(preview)
    return render(request, "contacts/import_preview.html", context)


class _GoneError(Exception):
    """The stored mapping file is no longer there."""


def _with_defaults(params: QueryDict) -> dict[str, str]:
    values = {key: params.get(key, "") for key in (*OPTION_DEFAULTS, "contact_point", "source")}
    values |= {key: params.get(key, "") for key in ("name", "mapping")}
    return {key: value or OPTION_DEFAULTS.get(key, "") for key, value in values.items()}


def _mapping(organisation: Organisation, sha256: str) -> ColumnMapping | None:
    if not sha256:
        return None
    data = upload_read(organisation=organisation, sha256=sha256)
    if data is None:
        raise _GoneError(_("The mapping file is no longer available; upload it again."))
    return mapping_load(data)


def _import_kwargs(
    organisation: Organisation,
    data: bytes,
    options: ImportOptionsForm,
    mapping: ColumnMapping | None,
) -> dict[str, Any]:
    cleaned = options.cleaned_data
    return {
        "organisation": organisation,
        "data": data,
        "format_name": cleaned["format"],
        "tz": options.zone(),
        "default_contact_point": cleaned["contact_point"],
        "source": cleaned["source"],
        "mapping": mapping,
    }


def _shown_rows(preview: ImportPreview) -> list[dict[str, Any]]:
    return [
        {
            "line": c.line,
            "contact_id": c.contact_id,
            "started_at": c.started_at,
            "contact_point": c.contact_point,
            "outcome": Outcome(c.outcome).label,
            "wait_s": c.wait_s,
            "handle_s": c.handle_s,
            "transfers": c.transfers,
            "topic": c.topic,
        }
        for c in preview.sample
    ]


def _commit(
    request: HttpRequest,
    organisation: Organisation,
    sha256: str,
    kwargs: dict[str, Any],
    options: ImportOptionsForm,
) -> HttpResponse:
    assert isinstance(request.user, User)
    name = options.cleaned_data["name"] or sha256[:12]
    try:
        result = contacts_import(**kwargs, file_name=name, actor=request.user)
    except ImportConflictError:
        messages.error(
            request,
            _(
                "Another import stored some of these contacts at the same time; nothing was "
                "imported. Try again."
            ),
        )
        return redirect(request.get_full_path())
    if not result.ok:
        messages.error(request, _("Nothing was imported: the file has problems."))
        return redirect(request.get_full_path())
    upload_discard(organisation=organisation, sha256=sha256)
    if options.cleaned_data["mapping"]:
        upload_discard(organisation=organisation, sha256=options.cleaned_data["mapping"])
    messages.success(
        request,
        _("%(name)s was imported: %(rows)s rows, %(imported)s new, %(duplicates)s already present.")
        % {
            "name": name,
            "rows": result.rows,
            "imported": result.imported,
            "duplicates": result.duplicates,
        },
    )
    return redirect("contacts:import_list")
