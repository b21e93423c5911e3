"""The research lead's findings page: a municipality's keep / improve findings of a wave,
their wording edited, hidden or reset before the wave is published, and findings of the
lead's own (METHODOLOGY.md §3)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat.accounts.access import role_required
from meetlat.accounts.roles import Role
from meetlat.calc.finding_edits import KINDS, EditedFindings, Kind
from meetlat.calc.findings import ITEM_BY_NUMBER, MunicipalityFindings, item_label
from meetlat.organisations.models import Organisation
from meetlat.reports.research_context import FINDINGS_SHOWN
from meetlat.reports.research_sheets import DECISION_LABELS
from meetlat.research import selectors
from meetlat.research.assessment_forms import FindingActionForm, FindingAddForm
from meetlat.research.finding_selectors import (
    municipality_findings_get,
    participant_get,
    wording_language,
)
from meetlat.research.models import Wave
from meetlat.research.services.findings import (
    finding_free_add,
    finding_free_delete,
    finding_free_update,
    finding_hidden_set,
    finding_reset,
    finding_wording_save,
)
from meetlat.research.views.common import actor, error_texts, own_organisation

Handler = Callable[[Mapping[str, Any], dict[str, Any]], object]

HANDLERS: Final[Mapping[str, Handler]] = {
    "save": lambda d, c: finding_wording_save(item=d["item"], kind=d["kind"], text=d["text"], **c),
    "hide": lambda d, c: finding_hidden_set(item=d["item"], kind=d["kind"], hidden=True, **c),
    "show": lambda d, c: finding_hidden_set(item=d["item"], kind=d["kind"], hidden=False, **c),
    "reset": lambda d, c: finding_reset(item=d["item"], kind=d["kind"], **c),
    "add": lambda d, c: finding_free_add(kind=d["kind"], text=d["text"], **c),
    "update": lambda d, c: finding_free_update(pk=d["key"] or 0, text=d["text"], **c),
    "delete": lambda d, c: finding_free_delete(pk=d["key"] or 0, **c),
}
DONE: Final = {
    "save": gettext_lazy("The wording was saved."),
    "hide": gettext_lazy("The finding is hidden from the reports."),
    "show": gettext_lazy("The finding is shown again."),
    "reset": gettext_lazy("The finding is automatic again."),
    "add": gettext_lazy("The finding was added."),
    "update": gettext_lazy("The wording was saved."),
    "delete": gettext_lazy("The finding was deleted."),
}
GROUP_TITLES: Final = {
    "improve": pgettext_lazy("finding", "Improve"),
    "keep": pgettext_lazy("finding", "Keep"),
}


def lead_wave_and_municipality(
    request: HttpRequest, pk: int, code: str
) -> tuple[Wave, Organisation]:
    """A wave of the lead's own studies and one of its municipalities, or 404."""
    wave = selectors.wave_get_owned(organisation=own_organisation(request), pk=pk)
    organisation = participant_get(wave=wave, code=code) if wave is not None else None
    if wave is None or organisation is None:
        raise Http404
    return wave, organisation


@role_required(Role.RESEARCH_LEAD)
@require_http_methods(["GET", "POST"])
def wave_findings(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    wave, organisation = lead_wave_and_municipality(request, pk, code)
    url = reverse("research:wave_findings", args=[wave.pk, organisation.code])
    if request.method == "POST":
        anchor = _apply(request, wave, organisation)
        return redirect(f"{url}#{anchor}" if anchor else url)
    language = wording_language(get_language())
    findings, edited = municipality_findings_get(
        wave=wave, organisation=organisation, language=language
    )
    context = {
        "wave": wave,
        "study": wave.study,
        "organisation": organisation,
        "locked": wave.is_published,
        "groups": _groups(edited),
        "others": _others(findings, language),
        "unused": [
            (e, item_label(ITEM_BY_NUMBER[e.item], language))
            for e in edited.unused
            if e.item in ITEM_BY_NUMBER
        ],
        "add_form": FindingAddForm(),
        "shown_limit": FINDINGS_SHOWN,
    }
    return render(request, "research/wave_findings.html", context)


def _groups(edited: EditedFindings) -> list[dict[str, Any]]:
    groups = []
    for kind in KINDS:
        in_report = {(f.key, f.free) for f in edited.shown(kind, FINDINGS_SHOWN)}
        groups.append(
            {
                "kind": kind,
                "title": GROUP_TITLES[kind],
                "findings": [
                    {"f": f, "in_report": (f.key, f.free) in in_report} for f in edited.group(kind)
                ],
            }
        )
    return groups


def _others(findings: MunicipalityFindings | None, language: str) -> list[dict[str, Any]]:
    """The items without a keep or improve decision (too few questions, no benchmark)."""
    if findings is None:
        return []
    return [
        {
            "number": f.number,
            "label": item_label(f.item, language),
            "decision": DECISION_LABELS[f.decision],
            "k": f.k,
            "n": f.n,
        }
        for f in (*findings.insufficient, *findings.no_benchmark)
    ]


def _automatic_text(wave: Wave, organisation: Organisation, data: Mapping[str, Any]) -> str:
    """The automatic wording the page showed for the finding the form names."""
    _findings, edited = municipality_findings_get(
        wave=wave, organisation=organisation, language=wording_language(get_language())
    )
    kind: Kind = "keep" if data["kind"] == "keep" else "improve"
    return next((f.automatic for f in edited.group(kind) if f.key == data["item"]), "")


def _apply(request: HttpRequest, wave: Wave, organisation: Organisation) -> str:
    """Carry out one button of the page; returns the anchor to return to."""
    form = FindingActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change could not be read; please try again."))
        return ""
    data = form.cleaned_data
    if data["action"] == "save" and data["text"] == _automatic_text(wave, organisation, data):
        data = {**data, "text": ""}  # unchanged: keep following the automatic wording
    common = {"wave": wave, "organisation": organisation, "actor": actor(request)}
    try:
        HANDLERS[data["action"]](data, common)
    except ValidationError as error:
        for message in error_texts(error):
            messages.error(request, message)
    else:
        messages.success(request, str(DONE[data["action"]]))
    if data["action"] in ("add", "delete"):
        return f"{data['kind']}-findings"
    key = data["item"] or f"free-{data['key']}"
    return f"finding-{data['kind']}-{key}"
