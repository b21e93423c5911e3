"""Report downloads: a municipality viewer's own report of a published wave, and a research
lead's municipality and benchmark reports of a wave of their own studies.

The file is rendered inline with the reports exporters and sent as an attachment; anything
the user may not see, or a report that cannot be made (no observations), is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.organisations.models import Organisation
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
