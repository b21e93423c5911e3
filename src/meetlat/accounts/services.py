"""Writes for accounts: users, memberships, two-factor devices, API tokens, logins."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetlat import clock
from meetlat.accounts.audit import audit_record
from meetlat.accounts.models import ApiToken, Membership, User
from meetlat.accounts.roles import Role
from meetlat.organisations.models import Organisation


def user_login_record(*, user: User) -> None:
    """Write the audit entry for a successful login."""
    membership = user.memberships.select_related("organisation").first()
    audit_record(
        actor=user,
        action="accounts.login",
        target=user,
        organisation=membership.organisation if membership else None,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    role: Role,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    actor: User | None = None,
    check_password: bool = True,
) -> User:
    """Create a user with one membership."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    membership_set(user=user, organisation=organisation, role=role, actor=actor)
    return user


@transaction.atomic
def membership_set(
    *, user: User, organisation: Organisation, role: Role, actor: User | None
) -> Membership:
    """Give a user a role in an organisation (or change it); audited."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    before = membership.role if membership is not None else None
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role)
    membership.role = role
    membership.full_clean()
    membership.save()
    if before != role:
        audit_record(
            actor=actor,
            action="accounts.membership.role_changed",
            target=user,
            organisation=organisation,
            data={"before": before, "after": str(role)},
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    audit_record(
        actor=actor,
        action="accounts.membership.removed",
        target=membership.user,
        organisation=membership.organisation,
        data={"before": membership.role, "after": None},
    )
    membership.delete()


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for the user (replacing an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="default", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=device.user, action="accounts.two_factor.enabled", target=device.user)
    return True


@transaction.atomic
def totp_device_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="accounts.two_factor.disabled", target=user)


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """A new API token; the raw value is returned once and never stored."""
    raw = "mlt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership, name=name, digest=ApiToken.digest_of(raw), prefix=raw[:8]
    )
    audit_record(
        actor=membership.user,
        action="accounts.api_token.created",
        target=membership.user,
        organisation=membership.organisation,
        data={"name": name, "prefix": token.prefix},
    )
    return token, raw


def api_token_authenticate(*, raw: str) -> Membership | None:
    token = (
        ApiToken.objects.select_related("membership__organisation", "membership__user")
        .filter(digest=ApiToken.digest_of(raw))
        .first()
    )
    if token is None or not token.membership.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.membership
