"""Contact data pages: import batches, upload, preview (nothing stored) and commit.

The preview parses and checks the stored file; the "Import" button starts the import as a
background job (all rows or none) and shows its page with a progress bar and the result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.contacts.forms import DEFAULT_ZONE, ImportOptionsForm, ImportUploadForm, read_upload
from meetlat.contacts.import_options import ImportOptionsError, import_kwargs
from meetlat.contacts.importers import FormatNotAvailableError
from meetlat.contacts.jobs import KIND as IMPORT_JOB
from meetlat.contacts.jobs import contacts_import_job_params
from meetlat.contacts.models import Outcome
from meetlat.contacts.selectors import import_batch_list
from meetlat.contacts.services import ImportPreview, contacts_import_preview
from meetlat.contacts.uploads import upload_read, upload_store
from meetlat.jobs.services import job_start
from meetlat.organisations.models import Channel, Organisation
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
            "own_domains": data["own_domains"],
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
    try:
        kwargs = import_kwargs(organisation=organisation, data=data, options=options)
        preview = contacts_import_preview(**kwargs)
    except (ImportOptionsError, FormatNotAvailableError) as error:
        context["problem"] = str(error)
        return render(request, "contacts/import_preview.html", context)
    if request.method == "POST" and preview.ok:
        return _commit(request, organisation, sha256, options)
    context.update({"preview": preview, "name": options.cleaned_data["name"] or sha256[:12]})
    context["shown"] = _shown(preview)
    return render(request, "contacts/import_preview.html", context)


def _with_defaults(params: QueryDict) -> dict[str, str]:
    keys = (*OPTION_DEFAULTS, "contact_point", "source", "own_domains")
    values = {key: params.get(key, "") for key in keys}
    values |= {key: params.get(key, "") for key in ("name", "mapping")}
    return {key: value or OPTION_DEFAULTS.get(key, "") for key, value in values.items()}


PHONE_COLUMNS: Final = (
    ("line", gettext_lazy("Line")),
    ("contact_id", gettext_lazy("Contact id")),
    ("started_at", gettext_lazy("Start")),
    ("contact_point", gettext_lazy("Contact point")),
    ("outcome", gettext_lazy("Outcome")),
    ("wait_s", gettext_lazy("Wait (s)")),
    ("handle_s", gettext_lazy("Handle time (s)")),
    ("transfers", gettext_lazy("Transfers")),
    ("topic", gettext_lazy("Topic")),
)
WRITTEN_COLUMNS: Final = (
    ("line", gettext_lazy("Line")),
    ("contact_id", gettext_lazy("Contact id")),
    ("channel", gettext_lazy("Channel")),
    ("started_at", gettext_lazy("Received")),
    ("contact_point", gettext_lazy("Contact point")),
    ("subject_masked", gettext_lazy("Subject (masked)")),
    ("acknowledged_at", gettext_lazy("Acknowledged")),
    ("answered_at", gettext_lazy("Answered")),
    ("first_response_at", gettext_lazy("First response")),
    ("topic", gettext_lazy("Topic")),
)


def _cell(name: str, value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.datetime):
        return date_format(localtime(value), "DATETIME_FORMAT")
    if name == "outcome":
        return str(Outcome(str(value)).label)
    if name == "channel":
        return str(Channel(str(value)).label)
    return str(value)


def _shown(preview: ImportPreview) -> dict[str, Any]:
    """The preview's first contacts as table cells, with the columns of their channel."""
    phone = all(c.channel == Channel.PHONE for c in preview.sample)
    columns = PHONE_COLUMNS if phone else WRITTEN_COLUMNS
    rows = [[_cell(name, getattr(c, name)) for name, _label in columns] for c in preview.sample]
    return {"labels": [label for _name, label in columns], "rows": rows}


def _commit(
    request: HttpRequest, organisation: Organisation, sha256: str, options: ImportOptionsForm
) -> HttpResponse:
    assert isinstance(request.user, User)
    cleaned = {key: str(value) for key, value in options.cleaned_data.items()}
    name = cleaned["name"] or sha256[:12]
    job = job_start(
        organisation=organisation,
        actor=request.user,
        kind=IMPORT_JOB,
        title=_("Import of %(name)s") % {"name": name},
        params=contacts_import_job_params(sha256=sha256, options=cleaned),
    )
    return redirect("jobs:job_detail", pk=job.pk)
