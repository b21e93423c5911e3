"""The manual items (15, 20, 22) and the self-assessment (25-34) of a municipality in a wave:
filled in by the research lead, and the self-assessment also by the municipality's own
viewer, until the wave is published (METHODOLOGY.md §3)."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.organisations.models import Organisation
from meetlat.research.assessment_forms import AssessmentForm
from meetlat.research.finding_selectors import (
    assessments_get,
    open_wave_list_for_municipality,
    wave_get_for_municipality,
    wording_language,
)
from meetlat.research.models import ASSESSMENT_ITEMS, SELF_ASSESSMENT_ITEMS, Wave
from meetlat.research.services.findings import assessments_save
from meetlat.research.views.common import actor, error_texts, own_organisation
from meetlat.research.views.findings import lead_wave_and_municipality


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def wave_assessment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """All 13 items of one municipality, for the research lead."""
    wave, organisation = lead_wave_and_municipality(request, pk, code)
    return _page(request, wave, organisation, items=ASSESSMENT_ITEMS, by_municipality=False)


@role_required(Role.MUNICIPALITY_VIEWER)
def self_assessment_list(request: HttpRequest) -> HttpResponse:
    """The waves not yet published in which the viewer's municipality takes part."""
    organisation = own_organisation(request)
    context = {
        "organisation": organisation,
        "waves": open_wave_list_for_municipality(organisation=organisation),
    }
    return render(request, "research/self_assessment_list.html", context)


@role_required(Role.MUNICIPALITY_VIEWER)
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Items 25-34 of the viewer's own municipality."""
    organisation = own_organisation(request)
    wave = wave_get_for_municipality(organisation=organisation, pk=pk)
    if wave is None:
        raise Http404
    return _page(request, wave, organisation, items=SELF_ASSESSMENT_ITEMS, by_municipality=True)


def _page(
    request: HttpRequest,
    wave: Wave,
    organisation: Organisation,
    *,
    items: Collection[str],
    by_municipality: bool,
) -> HttpResponse:
    form = AssessmentForm(
        request.POST or None,
        items=tuple(items),
        existing=assessments_get(wave=wave, organisation=organisation),
        language=wording_language(get_language()),
    )
    if request.method == "POST" and not wave.is_published and form.is_valid():
        try:
            changed = assessments_save(
                wave=wave,
                organisation=organisation,
                answers=form.answers(),
                actor=actor(request),
                allowed=items,
                audit_organisation=organisation if by_municipality else None,
            )
        except ValidationError as error:
            for message in error_texts(error):
                form.add_error(None, message)
        else:
            if changed:
                messages.success(request, _("The answers were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(request.path)
    elif request.method == "POST" and wave.is_published:
        messages.error(
            request, _("This wave is published: its findings and answers can no longer change.")
        )
    context = {
        "wave": wave,
        "study": wave.study,
        "organisation": organisation,
        "form": form,
        "locked": wave.is_published,
        "by_municipality": by_municipality,
    }
    return render(request, "research/assessment_form.html", context)
