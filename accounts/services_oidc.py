"""Writes of single sign-on: the user a provider's subject signs in as, created on the first
sign-in and brought up to date with the provider's claims on every one (docs/security.md,
"Single sign-on")."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import CONTROL_CHARACTERS
from core.types import AuthUser

from .models import OidcIdentity
from .roles import ROLE_GROUPS

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length or 150
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length or 150


class SignInRefused(Exception):
    """Single sign-on does not sign this person in; the message says why, for the sign-in
    page."""


def oidc_user_sign_in(
    *, issuer: str, subject: str, claims: Mapping[str, Any], roles: Collection[str]
) -> AuthUser:
    """The user linked to (issuer, subject), created on the first sign-in, with name and
    e-mail from the claims and exactly the role groups in `roles` (other groups untouched).
    Refused, creating nobody, without a role; refused for a deactivated, staff or superuser
    account. A known user refused for having no role loses the roles it had."""
    with transaction.atomic():
        user, refusal = _sign_in(issuer=issuer, subject=subject, claims=claims, roles=roles)
    # Raised after the block commits, so a known user's lost roles are removed for good.
    if user is None:
        raise SignInRefused(refusal)
    return user


def _sign_in(
    *, issuer: str, subject: str, claims: Mapping[str, Any], roles: Collection[str]
) -> tuple[AuthUser | None, str]:
    identity = (
        OidcIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    user = identity.user if identity else None
    if user is not None:
        if user.is_staff or user.is_superuser:
            return None, _(
                "Administrators sign in with their username and password, not single sign-on."
            )
        if not user.is_active:
            return None, _("Your account is deactivated. Ask an administrator.")
        _set_roles(user=user, roles=roles)
    if not roles:
        return None, _(
            "Your single sign-on account has no Backsourcing role. Ask your administrator "
            "to add you to one of Backsourcing's groups."
        )
    if user is None:
        user = _user_create(issuer=issuer, subject=subject, claims=claims)
        _set_roles(user=user, roles=roles)
    _update_profile(user=user, claims=claims)
    return user, ""


def _user_create(*, issuer: str, subject: str, claims: Mapping[str, Any]) -> AuthUser:
    user = User(username=_free_username(issuer=issuer, subject=subject, claims=claims))
    # No password: this person signs in through the provider only.
    user.set_unusable_password()
    user.save()
    OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    return user


def _free_username(*, issuer: str, subject: str, claims: Mapping[str, Any]) -> str:
    """The provider's preferred username or e-mail when valid and free; else one derived from
    the subject. The username only labels the account: sign-in goes by the subject."""
    validator = UnicodeUsernameValidator()
    for candidate in (claims.get("preferred_username"), claims.get("email")):
        if not isinstance(candidate, str) or len(candidate) > USERNAME_MAX_LENGTH:
            continue
        try:
            validator(candidate)
        except ValidationError:
            continue
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    digest = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()
    return f"sso-{digest[:20]}"


def _update_profile(*, user: AuthUser, claims: Mapping[str, Any]) -> None:
    """Name and e-mail follow the provider, as far as it states them."""
    fields = {
        "first_name": _text(claims.get("given_name"), NAME_MAX_LENGTH),
        "last_name": _text(claims.get("family_name"), NAME_MAX_LENGTH),
        "email": _text(claims.get("email"), User._meta.get_field("email").max_length or 254),
    }
    if not fields["first_name"] and not fields["last_name"]:
        fields["first_name"] = _text(claims.get("name"), NAME_MAX_LENGTH)
    changed = [name for name, value in fields.items() if value and getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)


def _text(value: object, max_length: int) -> str:
    """A claim as stored text: control characters dropped (core/text.py), cut to fit."""
    if not isinstance(value, str):
        return ""
    return CONTROL_CHARACTERS.sub("", value).strip()[:max_length]


def _set_roles(*, user: AuthUser, roles: Collection[str]) -> None:
    """Exactly `roles` among the three role groups; other groups are the administrators'."""
    role_groups = Group.objects.filter(name__in=ROLE_GROUPS)
    user.groups.remove(*role_groups.exclude(name__in=roles))
    user.groups.add(*role_groups.filter(name__in=roles))
