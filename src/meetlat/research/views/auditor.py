"""The auditor's pages: their own assignments and the observation form (mobile first).

The form works without JavaScript; ``research/observation.js`` adds a stopwatch for the
waiting time and keeps a draft on the device, so a lost connection loses nothing.
"""

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
from meetlat.research.observation_forms import observation_form_for
from meetlat.research.services.observations import ObservationInvalidError, observation_record
from meetlat.research.views.common import actor, error_texts, own_organisation


@role_required(Role.AUDITOR)
def assignment_list(request: HttpRequest) -> HttpResponse:
    return assignment_list_page(request)


def assignment_list_page(request: HttpRequest) -> HttpResponse:
    to_do, done = selectors.assignment_list_for_auditor(
        user=actor(request), organisation=own_organisation(request)
    )
    return render(request, "research/assignment_list.html", {"to_do": to_do, "done": done})


@role_required(Role.AUDITOR)
@require_http_methods(["GET", "POST"])
def observation_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_auditor(
        user=actor(request), organisation=own_organisation(request), pk=pk
    )
    if assignment is None:
        raise Http404
    form = observation_form_for(assignment, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            observation_record(assignment=assignment, values=form.values(), actor=actor(request))
        except ObservationInvalidError as invalid:
            form.add_row_errors(invalid.errors)
        except ValidationError as error:
            for message in error_texts(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your observation was saved. Thank you."))
            return redirect("research:assignment_list")
    context = {
        "assignment": assignment,
        "scenario": assignment.scenario,
        "form": form,
        "is_phone": assignment.channel == "phone",
    }
    return render(request, "research/observation_form.html", context)
