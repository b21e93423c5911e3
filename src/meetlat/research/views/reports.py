"""Report downloads: a municipality viewer's own report of a published wave, and a research
lead's municipality and benchmark reports of a wave of their own studies; the lead can also
start a background job that makes every report of a wave.

The file is rendered inline with the reports exporters and sent as an attachment; anything
the user may not see, or a report that cannot be made (no observations), is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.jobs.services import job_start
from meetlat.organisations.models import Organisation
from meetlat.reports.forms import ReportLanguageForm
from meetlat.reports.jobs import KIND as REPORTS_JOB
from meetlat.reports.jobs import study_reports_job_params
from meetlat.reports.research_reports import ReportInputError
from meetlat.reports.services import ReportFile, report_download
from meetlat.research import selectors
from meetlat.research.models import Wave
from meetlat.research.views.common import actor, own_organisation


def _download(
    request: HttpRequest, *, wave: Wave, fmt: str, organisation: Organisation | None
) -> HttpResponse:
    try:
        report: ReportFile = report_download(
            study=wave.study,
            wave=wave,
            fmt=fmt,
            organisation=organisation,
            actor=actor(request),
            actor_organisation=own_organisation(request),
            language=get_language(),
        )
    except ReportInputError as error:
        raise Http404 from error
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.MUNICIPALITY_VIEWER)
def result_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The viewer's own municipality report of a published wave."""
    organisation = own_organisation(request)
    wave = selectors.published_wave_get(organisation=organisation, pk=pk)
    if wave is None:
        raise Http404
    return _download(request, wave=wave, fmt=fmt, organisation=organisation)


@role_required(Role.RESEARCH_LEAD)
def wave_report(request: HttpRequest, pk: int, code: str, fmt: str) -> HttpResponse:
    """A municipality's report of a wave of one of the lead's own studies."""
    wave = selectors.wave_get_owned(organisation=own_organisation(request), pk=pk)
    if wave is None:
        raise Http404
    participant = (
        wave.study.participants.select_related("organisation")
        .filter(organisation__code=code)
        .first()
    )
    if participant is None:
        raise Http404
    return _download(request, wave=wave, fmt=fmt, organisation=participant.organisation)


@role_required(Role.RESEARCH_LEAD)
def wave_benchmark(request: HttpRequest, pk: int) -> HttpResponse:
    """The benchmark report (PDF) of a wave of one of the lead's own studies."""
    wave = selectors.wave_get_owned(organisation=own_organisation(request), pk=pk)
    if wave is None:
        raise Http404
    return _download(request, wave=wave, fmt="pdf", organisation=None)


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def wave_reports_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then start the job that makes every report of the wave; the job's page shows
    the progress and offers the files."""
    wave = selectors.wave_get_owned(organisation=own_organisation(request), pk=pk)
    if wave is None:
        raise Http404
    form = ReportLanguageForm(request.POST or None, initial={"language": get_language()})
    if request.method == "GET" or not form.is_valid():
        count = wave.study.participants.count()
        context = {"wave": wave, "count": count, "form": form}
        return render(request, "research/wave_reports_job.html", context)
    job = job_start(
        organisation=own_organisation(request),
        actor=actor(request),
        kind=REPORTS_JOB,
        title=_("All reports of %(wave)s, %(study)s")
        % {"wave": wave.name, "study": wave.study.name},
        params=study_reports_job_params(wave=wave, language=form.cleaned_data["language"]),
    )
    return redirect("jobs:job_detail", pk=job.pk)
