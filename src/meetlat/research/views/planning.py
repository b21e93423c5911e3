"""The research lead's plan pages: plan a wave, the plan table with its CSV, edit one
assignment (time, auditor, skipped)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.calc.calendar import AMSTERDAM
from meetlat.research import selectors
from meetlat.research.forms import AssignmentForm, PlanForm
from meetlat.research.models import Assignment, Wave
from meetlat.research.rule_labels import planning_error_text, violation_text
from meetlat.research.services.planning import (
    PlanViolationError,
    WavePlanError,
    assignment_update,
    wave_plan,
)
from meetlat.research.views.common import actor, error_texts, own_organisation
from meetlat.web.pagination import paginate, query_without_page

PLAN_PAGE_SIZE = 100
CSV_COLUMNS = (
    "municipality",
    "municipality_name",
    "question",
    "scenario",
    "channel",
    "planned_at",
    "auditor",
    "status",
)
#: A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _wave(request: HttpRequest, pk: int) -> Wave:
    wave = selectors.wave_get_owned(organisation=own_organisation(request), pk=pk)
    if wave is None:
        raise Http404
    return wave


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def plan_view(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = wave_plan(
                wave=wave, actor=actor(request), new_seed=form.cleaned_data["new_seed"]
            )
        except WavePlanError as failed:
            name = failed.municipality.name if failed.municipality else ""
            messages.error(request, planning_error_text(failed.error.rule, name))
        except ValidationError as error:
            for message in error_texts(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(created)s assignments planned; %(kept)s done or skipped ones kept.")
                % {"created": result.created, "kept": result.kept},
            )
        return redirect("research:plan", pk=wave.pk)
    return render(request, "research/plan.html", _plan_context(request, wave, form))


def _plan_context(request: HttpRequest, wave: Wave, form: PlanForm) -> dict[str, object]:
    rows = selectors.plan_rows(wave=wave)
    municipality = request.GET.get("municipality", "")[:32]
    if municipality:
        rows = rows.filter(organisation__code=municipality)
    names = _names(wave)
    violations = selectors.plan_violations(wave=wave)
    return {
        "wave": wave,
        "study": wave.study,
        "form": form,
        "page": paginate(request, rows, PLAN_PAGE_SIZE),
        "query": query_without_page(request),
        "municipality": municipality,
        "municipalities": sorted(names.items(), key=lambda item: item[1]),
        "violations": [violation_text(v, names) for v in violations],
        "has_window": wave.fieldwork_start is not None,
        "can_edit": not wave.is_published,
    }


def _names(wave: Wave) -> dict[str, str]:
    """Municipality names by code, for the texts of violations."""
    participants = wave.study.participants.select_related("organisation")
    return {p.organisation.code: p.organisation.name for p in participants}


@role_required(Role.RESEARCH_LEAD)
@require_GET
def plan_csv(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"plan-{wave.study_id}-{wave.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in selectors.plan_rows(wave=wave):
        writer.writerow(
            _safe(value)
            for value in (
                a.organisation.code,
                a.organisation.name,
                a.question,
                a.scenario.code if a.scenario else "",
                a.channel,
                a.planned_at.astimezone(AMSTERDAM).isoformat(),
                a.auditor.get_username() if a.auditor else "",
                a.status,
            )
        )
    return response


def _safe(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_owned(organisation=own_organisation(request), pk=pk)
    if assignment is None:
        raise Http404
    auditors = selectors.auditor_list(organisation=assignment.wave.study.owner)
    initial = {
        "planned_at": assignment.planned_at,
        "auditor": assignment.auditor,
        "status": assignment.status,
    }
    form = AssignmentForm(request.POST or None, initial=initial, auditors=auditors)
    if request.method == "POST" and form.is_valid() and _save(request, assignment, form):
        messages.success(request, _("The assignment was changed."))
        return redirect("research:plan", pk=assignment.wave_id)
    context = {"form": form, "assignment": assignment, "wave": assignment.wave}
    return render(request, "research/assignment_form.html", context)


def _save(request: HttpRequest, assignment: Assignment, form: AssignmentForm) -> bool:
    data = form.cleaned_data
    try:
        assignment_update(
            assignment=assignment,
            planned_at=data["planned_at"],
            auditor=data["auditor"],
            status=data["status"],
            actor=actor(request),
        )
    except PlanViolationError as refused:
        names = _names(assignment.wave)
        form.add_error(None, _("This change is not saved because it breaks a rule of the plan."))
        for violation in refused.violations:
            form.add_error(None, violation_text(violation, names))
        return False
    except ValidationError as error:
        for message in error_texts(error):
            form.add_error(None, message)
        return False
    return True
