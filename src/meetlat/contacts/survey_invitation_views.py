"""The survey (KTO) invitation page: make links for a channel and period, download them as a
CSV file for the organisation's own mail or SMS system, and see earlier runs with their
response rates. Only the user's own organisation is read or written."""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetlat import clock
from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.models import User
from meetlat.accounts.roles import Role
from meetlat.contacts.selectors import survey_invitation_batch_list
from meetlat.contacts.survey_invitation_forms import SurveyInvitationsForm
from meetlat.contacts.survey_invitations import (
    InvitationRun,
    invitation_links_csv,
    survey_invitations_create_bulk,
)
from meetlat.web.pagination import paginate

#: Who manages the organisation's contact data (as on the import page) invites for the KTO.
INVITERS: Final = (Role.ADMIN, Role.QUALITY_COACH)


@role_required(*INVITERS)
@never_cache
@require_http_methods(["GET", "POST"])
def survey_invitations(request: HttpRequest) -> HttpResponse:
    organisation = membership_of(request).organisation
    initial = SurveyInvitationsForm.defaults(clock.today_local())
    form = SurveyInvitationsForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": form, "nothing_to_invite": False}
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        data = form.cleaned_data
        run = survey_invitations_create_bulk(
            organisation=organisation,
            channel=data["channel"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            sample=data["sample"],
            expires_in_days=data["expires_in_days"],
            actor=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        if run.batch is not None:
            return _download(run)
        context["nothing_to_invite"] = True
    context["page"] = paginate(request, survey_invitation_batch_list(organisation=organisation))
    return render(request, "contacts/survey_invitations.html", context)


def _download(run: InvitationRun) -> HttpResponse:
    assert run.batch is not None
    batch = run.batch
    name = f"kto-links-{batch.channel}-{batch.date_from}-{batch.date_to}-{batch.pk}.csv"
    response = HttpResponse(invitation_links_csv(run.links), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
