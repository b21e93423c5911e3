"""The hosted post-contact survey (KTO): public pages at /s/<token>/, without JavaScript.

One answer per token, until it expires. An unknown token gives a friendly 404 page, a used or
expired one a friendly 410 page; never a traceback.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetlat import clock
from meetlat.accounts.access import public
from meetlat.contacts.models import SurveyInvitation
from meetlat.contacts.selectors import survey_invitation_get
from meetlat.contacts.survey_forms import SurveyAnswerForm
from meetlat.contacts.surveys import SurveyClosedError, survey_answer_submit


def _unavailable(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "contacts/survey_unavailable.html", {"message": message}, status=status)


def _closed(request: HttpRequest, invitation: SurveyInvitation) -> HttpResponse:
    if invitation.answered_at is not None:
        message = _("This survey has already been filled in. Thank you for your answer.")
    else:
        message = _("This survey has closed: the link is no longer valid.")
    return _unavailable(request, message, 410)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = survey_invitation_get(token=token)
    if invitation is None:
        message = _("We cannot find this survey. Please check the link in your message.")
        return _unavailable(request, message, 404)
    if invitation.answered_at is not None or clock.now() >= invitation.expires_at:
        return _closed(request, invitation)
    form = SurveyAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            survey_answer_submit(invitation=invitation, form=form.survey_form())
        except SurveyClosedError:
            invitation.refresh_from_db()
            return _closed(request, invitation)
        return redirect("survey:thanks")
    context = {"form": form, "organisation": invitation.organisation}
    return render(request, "contacts/survey_form.html", context)


@public
@never_cache
@require_http_methods(["GET"])
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/survey_thanks.html")
