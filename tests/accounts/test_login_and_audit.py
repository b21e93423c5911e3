from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import AuditEntry
from meetlat.accounts.roles import Role
from meetlat.accounts.services import membership_set
from tests.conftest import PASSWORD, Cast, client_for

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str) -> int:
    response = client.post(LOGIN, {"username": username, "password": password})
    return response.status_code


@pytest.mark.django_db
def test_login_with_the_right_password_is_written_to_the_audit_log(cast: Cast) -> None:
    client = Client()
    assert _login(client, "anouk", PASSWORD) == 302
    entry = AuditEntry.objects.filter(action="accounts.login").get()
    assert entry.actor == cast.anouk
    assert entry.organisation_code == "GM9801"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_even_for_the_right_password(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "anouk", "wrong-password")
    assert _login(client, "anouk", PASSWORD) == 429
    assert not AuditEntry.objects.filter(action="accounts.login").exists()


@pytest.mark.django_db
def test_a_failed_login_shows_the_form_again_without_traceback(cast: Cast) -> None:
    response = Client().post(LOGIN, {"username": "anouk", "password": "nope"})
    assert response.status_code == 200
    assert b"<form" in response.content


@pytest.mark.django_db
def test_two_factor_users_must_enter_a_code_before_they_see_anything(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.anouk, name="default", confirmed=True)
    client = Client()
    assert _login(client, "anouk", PASSWORD) == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_verify")
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    good = client.post(reverse("accounts:otp_verify"), {"token": token})
    assert good.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_two_factor_code_is_refused_with_a_message(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.anouk, name="default", confirmed=True)
    client = Client()
    _login(client, "anouk", PASSWORD)
    right = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    wrong = f"{(right + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_setting_up_two_factor_confirms_the_device_and_audits_it(cast: Cast) -> None:
    client = client_for(cast.tim)
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=cast.tim, confirmed=False)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("accounts:otp_setup"), {"token": token})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="accounts.two_factor.enabled", actor=cast.tim).exists()


@pytest.mark.django_db
def test_changing_a_role_is_audited_with_before_and_after(cast: Cast) -> None:
    membership_set(
        user=cast.chantal, organisation=cast.voorbeeld, role=Role.TEAM_LEAD, actor=cast.ada
    )
    entry = AuditEntry.objects.get(
        action="accounts.membership.role_changed", target_id=str(cast.chantal.pk), actor=cast.ada
    )
    assert entry.data == {"before": "employee", "after": "team_lead"}


@pytest.mark.django_db
def test_setting_the_same_role_again_writes_no_audit_entry(cast: Cast) -> None:
    before = AuditEntry.objects.count()
    membership_set(
        user=cast.chantal, organisation=cast.voorbeeld, role=Role.EMPLOYEE, actor=cast.ada
    )
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(cast: Cast) -> None:
    entry = audit_record(actor=cast.ada, action="test.viewed", reason="dispute")
    entry.reason = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


@pytest.mark.django_db
def test_the_admin_filters_the_audit_log_by_action_and_organisation(cast: Cast) -> None:
    audit_record(
        actor=cast.anouk,
        action="monitoring.transcript.viewed",
        organisation=cast.voorbeeld,
        reason="QA sample",
    )
    audit_record(
        actor=cast.dirk,
        action="monitoring.transcript.viewed",
        organisation=cast.anders,
        reason="complaint",
    )
    client = client_for(cast.ada)
    page = client.get(
        reverse("accounts:audit_list"), {"action": "monitoring.", "organisation": "GM9802"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "complaint" in body
    assert "QA sample" not in body


@pytest.mark.django_db
def test_the_admin_creates_a_user_with_a_role(cast: Cast) -> None:
    client = client_for(cast.ada)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nieuw",
            "email": "",
            "password": "een-lang-wachtwoord-42",
            "organisation": cast.voorbeeld.pk,
            "role": "team_lead",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="accounts.membership.role_changed", actor=cast.ada, target_repr="nieuw"
    ).exists()


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_a_message(cast: Cast) -> None:
    client = client_for(cast.ada)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "zwak",
            "password": "12345",
            "organisation": cast.voorbeeld.pk,
            "role": "employee",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]


@pytest.mark.django_db
def test_a_user_with_two_memberships_can_switch_organisation(cast: Cast) -> None:
    membership = membership_set(
        user=cast.anouk, organisation=cast.anders, role=Role.TEAM_LEAD, actor=cast.ada
    )
    client = client_for(cast.anouk)
    client.post(reverse("accounts:switch"), {"membership": membership.pk})
    page = client.get("/")
    assert "Gemeente Anders" in page.content.decode()


@pytest.mark.django_db
def test_a_user_cannot_switch_to_a_membership_of_someone_else(cast: Cast) -> None:
    client = client_for(cast.anouk)
    other = cast.dirk.memberships.get()
    client.post(reverse("accounts:switch"), {"membership": other.pk})
    page = client.get("/")
    assert "Gemeente Anders" not in page.content.decode()


@pytest.mark.django_db
def test_an_admin_viewing_another_users_details_is_audited(cast: Cast) -> None:
    client_for(cast.ada).get(reverse("accounts:user_detail", args=[cast.chantal.pk]))
    entry = AuditEntry.objects.get(action="accounts.user.viewed")
    assert (entry.actor, entry.target_id, entry.reason) == (
        cast.ada,
        str(cast.chantal.pk),
        "user administration",
    )
