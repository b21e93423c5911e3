"""Home page, health check and the friendly error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meetlat.accounts.access import membership_of, public, role_required
from meetlat.accounts.roles import ALL_ROLES
from meetlat.web.home import home_context


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    return render(request, "web/home.html", home_context(membership=membership))


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
