"""Organisation pages: list (admin), own organisation, contact points, norms, calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetlat import clock
from meetlat.accounts.access import membership_of, role_required
from meetlat.accounts.models import User
from meetlat.accounts.roles import ORGANISATION_EDITORS, ORGANISATION_READERS, Role
from meetlat.organisations import selectors, services
from meetlat.organisations.forms import (
    ClosingDayForm,
    ContactPointForm,
    DueForm,
    NormForm,
    OpeningHoursForm,
    OrganisationForm,
)
from meetlat.organisations.models import ContactPoint, Organisation
from meetlat.web.pagination import paginate, query_without_page


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _organisation(request: HttpRequest) -> Organisation:
    return membership_of(request).organisation


@role_required(Role.ADMIN)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.order_by("name")
    page = paginate(request, organisations)
    return render(request, "organisations/list.html", {"page": page, "query": ""})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if selectors.organisation_get(code=data["code"].strip()) is not None:
            form.add_error("code", _("An organisation with this code already exists."))
        else:
            try:
                services.organisation_create(
                    code=data["code"], name=data["name"], kind=data["kind"], actor=_actor(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The organisation was created."))
                return redirect("organisations:list")
    return render(request, "organisations/create.html", {"form": form})


@role_required(*ORGANISATION_READERS)
def organisation_mine(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    organisation = membership.organisation
    context: dict[str, Any] = {
        "organisation": organisation,
        "contact_points": selectors.contact_point_list(organisation=organisation),
        "norms": selectors.norm_list_current(organisation=organisation),
        "teams": organisation.teams.all(),
        "can_edit": membership.role in ORGANISATION_EDITORS,
    }
    return render(request, "organisations/mine.html", context)


@role_required(*ORGANISATION_EDITORS)
@require_http_methods(["GET", "POST"])
def contact_point_create(request: HttpRequest) -> HttpResponse:
    return _contact_point_form(request, ContactPoint(organisation=_organisation(request)))


@role_required(*ORGANISATION_EDITORS)
@require_http_methods(["GET", "POST"])
def contact_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact_point = selectors.contact_point_get(organisation=_organisation(request), pk=pk)
    if contact_point is None:
        raise Http404
    return _contact_point_form(request, contact_point)


def _contact_point_form(request: HttpRequest, contact_point: ContactPoint) -> HttpResponse:
    form = ContactPointForm(request.POST or None, instance=contact_point)
    if request.method == "POST" and form.is_valid():
        services.contact_point_save(contact_point=form.instance, actor=_actor(request))
        messages.success(request, _("The contact point was saved."))
        return redirect("organisations:mine")
    return render(
        request, "organisations/contact_point_form.html", {"form": form, "object": contact_point}
    )


@role_required(*ORGANISATION_EDITORS)
@require_http_methods(["GET", "POST"])
def opening_hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact_point = selectors.contact_point_get(organisation=_organisation(request), pk=pk)
    if contact_point is None:
        raise Http404
    initial: dict[str, Any] = {}
    for row in contact_point.opening_hours.all():
        initial.setdefault(f"opens_{row.weekday}", row.opens)
        initial.setdefault(f"closes_{row.weekday}", row.closes)
    form = OpeningHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hours = {
            day: [(data[f"opens_{day}"], data[f"closes_{day}"])]
            for day in range(1, 8)
            if data.get(f"opens_{day}") is not None
        }
        services.opening_hours_set(contact_point=contact_point, hours=hours, actor=_actor(request))
        messages.success(request, _("The opening hours were saved."))
        return redirect("organisations:mine")
    rows = [(form[f"opens_{d}"], form[f"closes_{d}"]) for d in range(1, 8)]
    context = {"form": form, "rows": rows, "object": contact_point}
    return render(request, "organisations/opening_hours_form.html", context)


@role_required(*ORGANISATION_EDITORS)
@require_http_methods(["GET", "POST"])
def norm_edit(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _organisation(request)
    norm = selectors.norm_get_current(organisation=organisation, key=key)
    if norm is None:
        raise Http404
    initial = {"target": norm.target, "threshold": norm.threshold, "source": norm.source}
    form = NormForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.norm_update(
            norm=norm,
            target=data["target"],
            threshold=data["threshold"],
            source=data["source"],
            actor=_actor(request),
        )
        messages.success(request, _("The norm was saved as a new version."))
        return redirect("organisations:mine")
    return render(request, "organisations/norm_form.html", {"form": form, "norm": norm})


@role_required(*ORGANISATION_READERS)
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    organisation = membership.organisation
    calendar = selectors.calendar_for(organisation=organisation)
    can_edit = membership.role in ORGANISATION_EDITORS
    closing_form = ClosingDayForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if closing_form is None:
            raise Http404
        if "remove" in request.POST:
            return _closing_day_remove(request, organisation)
        if closing_form.is_valid():
            try:
                services.closing_day_add(
                    organisation=organisation,
                    date=closing_form.cleaned_data["date"],
                    reason=closing_form.cleaned_data["reason"],
                    actor=_actor(request),
                )
            except ValidationError:
                closing_form.add_error("date", _("This day is already a closing day."))
            else:
                messages.success(request, _("The closing day was added."))
                return redirect("organisations:calendar")
    today = clock.today_local()
    due_form = DueForm(request.GET if "received" in request.GET else None)
    due = None
    if due_form.is_bound and due_form.is_valid():
        received = due_form.cleaned_data["received"]
        due = {
            "received": received,
            "receipt_day": calendar.receipt_day(received),
            "due": calendar.due(received, due_form.cleaned_data["working_days"]),
        }
    year = (
        int(request.GET.get("year", today.year))
        if request.GET.get("year", "").isdigit()
        else today.year
    )
    year = min(max(year, 2000), 2100)
    holidays = [(day, calendar.holiday_name(day)) for day in _non_working_weekdays(calendar, year)]
    context = {
        "organisation": organisation,
        "calendar": calendar,
        "closing_days": selectors.closing_day_list(organisation=organisation),
        "closing_form": closing_form,
        "due_form": due_form,
        "due": due,
        "year": year,
        "holidays": holidays,
        "workday_count": len(calendar.workdays(dt.date(year, 1, 1), dt.date(year, 12, 31))),
    }
    return render(request, "organisations/calendar.html", context)


def _closing_day_remove(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    value = request.POST.get("remove", "")
    removed = value.isdigit() and services.closing_day_remove(
        organisation=organisation, pk=int(value), actor=_actor(request)
    )
    if not removed:
        raise Http404
    messages.success(request, _("The closing day was removed."))
    return redirect("organisations:calendar")


def _non_working_weekdays(calendar: Any, year: int) -> list[dt.date]:
    day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days: list[dt.date] = []
    while day <= end:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@role_required(*ORGANISATION_READERS)
def reference_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.reference_municipality_list(search=search))
    context = {"page": page, "search": search, "query": query_without_page(request)}
    return render(request, "organisations/reference_list.html", context)
