"""Single sign-on with OpenID Connect (docs/operations.md, "Single sign-on (OpenID Connect)").

mozilla-django-oidc runs the protocol: the redirect, state, nonce, PKCE, the code exchange
and the ID token's signature. This module decides who that is here: the user linked to the
provider's subject (accounts/services_oidc.py), with the role groups the provider's role claim
maps to, and never staff or superuser.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .roles import ROLE_GROUPS

logger = logging.getLogger(__name__)

# The reason a refused sign-in gives, read by the callback view (accounts/views_oidc.py).
REFUSAL_ATTRIBUTE = "oidc_refusal"


def sso_enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


def role_map() -> dict[str, str]:
    """OIDC_ROLE_MAP: claim value -> role group. accounts/checks.py refuses to start with a
    group that is not one of the three roles."""
    return {str(value).strip(): str(role).strip() for value, role in settings.OIDC_ROLE_MAP.items()}


def claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """The values of a groups/roles claim: providers send a list of strings (Keycloak, Entra
    ID, Okta), a few a single string, which is read as space-separated like `scope`."""
    value = claims.get(name)
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def roles_from_claims(claims: Mapping[str, Any]) -> frozenset[str]:
    """The role groups the provider's OIDC_ROLE_CLAIM grants; values not in OIDC_ROLE_MAP are
    ignored, names compared exactly, as the provider spells them."""
    mapping = role_map()
    values = claim_values(claims, settings.OIDC_ROLE_CLAIM)
    granted = {mapping[value] for value in values if value in mapping}
    return frozenset(granted & set(ROLE_GROUPS))


def password_sign_in_allowed(user) -> bool:
    """Passwords stay for administrators (the Django admin, and recovery when the provider is
    down); with single sign-on on, everyone else uses it unless OIDC_LOCAL_LOGIN_FOR_ALL."""
    if not sso_enabled() or settings.OIDC_LOCAL_LOGIN_FOR_ALL:
        return True
    return bool(user.is_staff or user.is_superuser)


def not_a_password_attempt(request, credentials: Mapping[str, Any] | None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: only sign-ins that name a username are counted and
    locked out. A refused single sign-on names none; counted, it would lock single sign-on for
    every colleague behind the same address after AXES_FAILURE_LIMIT refusals, and it guards no
    password: the provider authenticates and limits its own attempts (docs/security.md)."""
    return not (credentials or {}).get("username")


def _audience(payload: Mapping[str, Any]) -> list[str]:
    audience = payload.get("aud")
    return [audience] if isinstance(audience, str) else list(audience or [])


class RoleClaimBackend(OIDCAuthenticationBackend):
    """Signs in the user linked to the ID token's issuer and subject, creating one on the first
    sign-in, with name, e-mail and role groups from the provider's claims each time. A refusal
    leaves its reason on the request and authenticates nobody."""

    def get_or_create_user(self, access_token, id_token, payload):
        from .services_oidc import SignInRefused, oidc_user_sign_in

        # mozilla-django-oidc leaves the audience unchecked: a token minted for another client
        # of the same provider is not ours.
        if self.OIDC_RP_CLIENT_ID not in _audience(payload):
            raise SuspiciousOperation("The ID token was not issued to this client.")
        if not payload.get("sub") or not payload.get("iss"):
            raise SuspiciousOperation("The ID token names no issuer or subject.")
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the UserInfo subject must be the ID token's. E-mail is
        # optional: identity is the subject (mozilla-django-oidc's verify_claims is not used).
        if userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The UserInfo subject differs from the ID token's.")
        # Entra ID puts groups and roles in the ID token only; Keycloak can put them in both.
        claims = {**payload, **userinfo}
        try:
            return oidc_user_sign_in(
                issuer=str(payload["iss"]),
                subject=str(payload["sub"]),
                claims=claims,
                roles=roles_from_claims(claims),
            )
        except SignInRefused as refusal:
            logger.info("Single sign-on refused for subject %s: %s", payload["sub"], refusal)
            setattr(self.request, REFUSAL_ATTRIBUTE, str(refusal))
            return None

    def get_user(self, user_id):
        """A session this backend opened ends when its user is deactivated or made staff:
        administrators sign in with their password, never through the provider."""
        user = ModelBackend.get_user(self, user_id)
        if user is None or user.is_staff or user.is_superuser:
            return None
        return user
