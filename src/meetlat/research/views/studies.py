"""The research lead's pages: studies, waves with their progress, results, publishing.

A research lead sees only the studies their own organisation (the agency) runs; a study made
here is owned by it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.roles import Role
from meetlat.organisations.models import Channel
from meetlat.research import selectors
from meetlat.research.forms import StudyForm, WaveForm
from meetlat.research.models import ScenarioStatus, Study, Wave
from meetlat.research.rule_labels import with_band_label
from meetlat.research.services.studies import study_create, wave_create, wave_publish
from meetlat.research.views import auditor, results
from meetlat.research.views.common import actor, error_texts, own_organisation

RESEARCH_ROLES = (Role.RESEARCH_LEAD, Role.AUDITOR, Role.MUNICIPALITY_VIEWER)


@role_required(*RESEARCH_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """“Mystery research” in the menu: the studies, one's assignments or one's results."""
    role = membership_of(request).role
    if role == Role.AUDITOR:
        return auditor.assignment_list_page(request)
    if role == Role.MUNICIPALITY_VIEWER:
        return results.result_list_page(request)
    return study_list_page(request)


@role_required(Role.RESEARCH_LEAD)
def study_list(request: HttpRequest) -> HttpResponse:
    return study_list_page(request)


def study_list_page(request: HttpRequest) -> HttpResponse:
    studies = selectors.study_list_owned(organisation=own_organisation(request))
    return render(request, "research/study_list.html", {"studies": studies})


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def study_create_view(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            study = study_create(
                name=data["name"],
                owner=own_organisation(request),
                municipality_codes=data["municipalities"],
                questions=form.questions(),
                fieldwork_start=data["fieldwork_start"],
                fieldwork_end=data["fieldwork_end"],
                max_calls_per_auditor=data["max_calls_per_auditor"],
                actor=actor(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The study was created with its first wave."))
            return redirect("research:study_detail", pk=study.pk)
    return render(request, "research/study_form.html", {"form": form})


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = field if field in form.fields else None
        for message in errors:
            form.add_error(target, message)


def _study(request: HttpRequest, pk: int) -> Study:
    study = selectors.study_get_owned(organisation=own_organisation(request), pk=pk)
    if study is None:
        raise Http404
    return study


def _wave(request: HttpRequest, pk: int) -> Wave:
    wave = selectors.wave_get_owned(organisation=own_organisation(request), pk=pk)
    if wave is None:
        raise Http404
    return wave


@role_required(Role.RESEARCH_LEAD)
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    waves = list(study.waves.order_by("order"))
    chosen = request.GET.get("wave", "")
    wave = next((w for w in waves if str(w.pk) == chosen), waves[-1] if waves else None)
    progress = selectors.wave_progress(wave=wave) if wave is not None else []
    context = {
        "study": study,
        "waves": waves,
        "wave": wave,
        "progress": progress,
        "totals": {
            "target": sum(r.target for r in progress),
            "planned": sum(r.planned for r in progress),
            "done": sum(r.done for r in progress),
            "overdue": sum(r.overdue for r in progress),
            "missing": sum(r.missing for r in progress),
        },
        "proposed": study.scenarios.filter(status=ScenarioStatus.PROPOSED).count(),
        "questions": [(Channel(c).label, n) for c, n in study.question_counts().items()],
    }
    return render(request, "research/study_detail.html", context)


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def wave_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = wave_create(
                study=study,
                name=data["name"],
                fieldwork_start=data["fieldwork_start"],
                fieldwork_end=data["fieldwork_end"],
                actor=actor(request),
            )
        except ValidationError as error:
            for message in error_texts(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The wave was added. Plan its fieldwork next."))
            return redirect(f"{reverse('research:study_detail', args=[study.pk])}?wave={wave.pk}")
    return render(request, "research/wave_form.html", {"form": form, "study": study})


@role_required(Role.RESEARCH_LEAD)
def wave_results(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    score = selectors.study_score_get(study=wave.study, wave=wave)
    context = {
        "wave": wave,
        "study": wave.study,
        "rows": sorted(
            (with_band_label(m) for m in score["municipalities"]),
            key=lambda m: (m["rank"] is None, m["rank"] or 0, m["name"]),
        ),
        "means": score["reference"]["study"],
        "norm": score["reference"]["norm"],
    }
    return render(request, "research/wave_results.html", context)


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def wave_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    if request.method == "POST":
        try:
            wave_publish(wave=wave, actor=actor(request))
        except ValidationError as error:
            for message in error_texts(error):
                messages.error(request, message)
        else:
            messages.success(
                request, _("The wave is published. Municipalities now see their own results.")
            )
        return redirect(f"{reverse('research:study_detail', args=[wave.study_id])}?wave={wave.pk}")
    progress = selectors.wave_progress(wave=wave)
    context = {
        "wave": wave,
        "study": wave.study,
        "missing": sum(r.missing for r in progress),
        "done": sum(r.done for r in progress),
    }
    return render(request, "research/wave_publish.html", context)
