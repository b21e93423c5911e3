"""Scenario pages: the research lead lists, writes and accepts scenarios; a municipality viewer
proposes one for their own municipality."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.research import selectors
from meetlat.research.forms import ScenarioForm, ScenarioProposalForm
from meetlat.research.models import Study
from meetlat.research.services.scenarios import scenario_accept, scenario_create, scenario_propose
from meetlat.research.views.common import actor, own_organisation


def _study(request: HttpRequest, pk: int) -> Study:
    study = selectors.study_get_owned(organisation=own_organisation(request), pk=pk)
    if study is None:
        raise Http404
    return study


def _add_errors(form: ScenarioProposalForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error)


@role_required(Role.RESEARCH_LEAD)
def scenario_list(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    context = {"study": study, "scenarios": selectors.scenario_list(study=study)}
    return render(request, "research/scenario_list.html", context)


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def scenario_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    municipalities = [p.organisation for p in study.participants.select_related("organisation")]
    form = ScenarioForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        try:
            scenario_create(
                study=study,
                code=form.cleaned_data["code"],
                text=form.text(),
                national=municipality is None,
                organisation=municipality,
                actor=actor(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The scenario was added."))
            return redirect("research:scenario_list", pk=study.pk)
    return render(request, "research/scenario_form.html", {"form": form, "study": study})


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def scenario_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get_owned(organisation=own_organisation(request), pk=pk)
    if scenario is None:
        raise Http404
    if request.method == "POST":
        try:
            scenario_accept(scenario=scenario, actor=actor(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The scenario was accepted; planning now uses it."))
        return redirect("research:scenario_list", pk=scenario.study_id)
    return render(request, "research/scenario_accept.html", {"scenario": scenario})


@role_required(Role.MUNICIPALITY_VIEWER)
@require_http_methods(["GET", "POST"])
def scenario_propose_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = own_organisation(request)
    study = selectors.study_get_for_municipality(organisation=organisation, pk=pk)
    if study is None:
        raise Http404
    form = ScenarioProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario_propose(
                study=study, organisation=organisation, text=form.text(), actor=actor(request)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. The research lead will look at your scenario before it is used."),
            )
            return redirect("research:result_list")
    return render(request, "research/scenario_propose.html", {"form": form, "study": study})
