"""The municipality viewer's pages: published results of their own municipality only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.reports.research_context import FINDINGS_SHOWN
from meetlat.research import selectors
from meetlat.research.finding_selectors import municipality_findings_get, wording_language
from meetlat.research.rule_labels import with_band_label
from meetlat.research.views.common import own_organisation


@role_required(Role.MUNICIPALITY_VIEWER)
def result_list(request: HttpRequest) -> HttpResponse:
    return result_list_page(request)


def result_list_page(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    context = {
        "organisation": organisation,
        "waves": selectors.published_wave_list(organisation=organisation),
        "studies": selectors.study_list_for_municipality(organisation=organisation),
    }
    return render(request, "research/result_list.html", context)


@role_required(Role.MUNICIPALITY_VIEWER)
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = own_organisation(request)
    wave = selectors.published_wave_get(organisation=organisation, pk=pk)
    if wave is None:
        raise Http404
    result = selectors.municipality_result_get(wave=wave, organisation=organisation)
    _findings, edited = municipality_findings_get(
        wave=wave, organisation=organisation, language=wording_language(get_language())
    )
    context = {
        "organisation": organisation,
        "wave": wave,
        "study": wave.study,
        "own": with_band_label(result["own"]) if result else None,
        "ranked": result["ranked"] if result else 0,
        "means": result["reference"]["study"] if result else None,
        "norm": result["reference"]["norm"] if result else None,
        "improve": edited.shown("improve", FINDINGS_SHOWN),
        "keep": edited.shown("keep", FINDINGS_SHOWN),
    }
    return render(request, "research/result_detail.html", context)
