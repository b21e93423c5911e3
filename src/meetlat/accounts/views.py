"""Login, two-factor authentication, switching organisation, users and the audit log."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetlat.accounts import selectors, services
from meetlat.accounts.access import login_required, public, role_required
from meetlat.accounts.forms import (
    ApiTokenForm,
    AuditFilterForm,
    LoginForm,
    MembershipForm,
    TokenForm,
    UserCreateForm,
)
from meetlat.accounts.middleware import SESSION_KEY
from meetlat.accounts.models import Membership, User
from meetlat.accounts.roles import Role
from meetlat.web.pagination import paginate, query_without_page


@method_decorator(public, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_login_record(user=self.request.user)  # type: ignore[arg-type]
        return response


login_view = public(LoginView.as_view())


@login_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view()(request)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=_user(request), confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect("web:home")
        form.add_error("token", _("This code is not correct or has expired. Try the next one."))
    return render(request, "accounts/otp_verify.html", {"form": form})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if request.method == "POST" and request.POST.get("action") == "disable":
        services.totp_device_remove(user=user)
        messages.success(request, _("Two-step verification is switched off."))
        return redirect("accounts:otp_setup")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or (request.method == "GET" and not confirmed):
        device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return redirect("accounts:otp_setup")
        form.add_error("token", _("This code is not correct. Check the time on your phone."))
    context = {
        "confirmed": confirmed,
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": device.bin_key.hex(),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def switch_organisation(request: HttpRequest) -> HttpResponse:
    memberships = selectors.membership_list(user=request.user)
    if request.method == "POST":
        chosen = memberships.filter(pk=request.POST.get("membership") or 0).first()
        if chosen is None:
            messages.error(request, _("Choose one of your organisations."))
        else:
            request.session[SESSION_KEY] = chosen.pk
            return redirect("web:home")
    return render(request, "accounts/switch.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    membership: Membership | None = getattr(request, "membership", None)
    form = ApiTokenForm(request.POST or None)
    raw: str | None = None
    if request.method == "POST" and membership is not None and form.is_valid():
        _token, raw = services.api_token_create(
            membership=membership, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = membership.tokens.order_by("-created_at") if membership is not None else []
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@role_required(Role.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.user_list(search=search))
    context = {"page": page, "search": search, "query": query_without_page(request)}
    return render(request, "accounts/user_list.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if User.objects.filter(username=data["username"]).exists():
            form.add_error("username", _("This user name is already taken."))
        else:
            try:
                validate_password(data["password"], User(username=data["username"]))
            except ValidationError as error:
                form.add_error("password", error)
            else:
                user = services.user_create(
                    username=data["username"],
                    email=data["email"],
                    password=data["password"],
                    organisation=data["organisation"],
                    role=Role(data["role"]),
                    actor=_user(request),
                )
                messages.success(request, _("User %(name)s was created.") % {"name": user.username})
                return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get_for_admin(actor=_user(request), pk=pk)
    if user is None:
        raise Http404
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        membership = get_object_or_404(Membership, pk=request.POST["remove"], user=user)
        services.membership_remove(membership=membership, actor=_user(request))
        messages.success(request, _("The role was removed."))
        return redirect("accounts:user_detail", pk=user.pk)
    if request.method == "POST" and form.is_valid():
        services.membership_set(
            user=user,
            organisation=form.cleaned_data["organisation"],
            role=Role(form.cleaned_data["role"]),
            actor=_user(request),
        )
        messages.success(request, _("The role was saved."))
        return redirect("accounts:user_detail", pk=user.pk)
    context: dict[str, Any] = {
        "subject": user,
        "memberships": user.memberships.select_related("organisation"),
        "form": form,
    }
    return render(request, "accounts/user_detail.html", context)


@role_required(Role.ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "organisation_code": data["organisation"].strip(),
            "action": data["action"].strip(),
            "actor": data["actor"].strip(),
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    page = paginate(request, selectors.audit_entry_list(**filters))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "accounts/audit_list.html", context)
