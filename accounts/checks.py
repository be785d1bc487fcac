"""System checks of the accounts app's settings."""

from __future__ import annotations

from ipaddress import ip_network

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    """A typo in DJANGO_TRUSTED_PROXIES fails at start-up, not on the first sign-in."""
    errors = []
    for entry in settings.TRUSTED_PROXIES:
        try:
            ip_network(entry.strip(), strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"DJANGO_TRUSTED_PROXIES holds {entry!r}, which is not an IP address "
                    "or network.",
                    hint="List the proxies' addresses or CIDR networks, comma-separated.",
                    id="accounts.E001",
                )
            )
    return errors


@register(Tags.security)
def check_api_token_lifetime(app_configs, **kwargs):
    if settings.API_TOKEN_TTL_DAYS >= 1:
        return []
    return [
        Error(
            f"API_TOKEN_TTL_DAYS is {settings.API_TOKEN_TTL_DAYS}; tokens must live a day or more.",
            id="accounts.E002",
        )
    ]


OIDC_REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


@register(Tags.security)
def check_oidc(app_configs, **kwargs):
    """Single sign-on half configured, or mapping a claim to a group that is not a role, fails
    at start-up rather than on someone's first sign-in (docs/operations.md)."""
    if not settings.OIDC_ENABLED:
        return []
    from .roles import ROLE_GROUPS

    errors = [
        Error(
            f"OIDC_RP_CLIENT_ID is set but {name} is empty.",
            hint="Set every OIDC_ setting docs/operations.md lists, or unset OIDC_RP_CLIENT_ID.",
            id="accounts.E003",
        )
        for name in OIDC_REQUIRED_SETTINGS
        if not getattr(settings, name)
        # HS256 tokens are signed with the client secret: no key set to fetch.
        and not (name == "OIDC_OP_JWKS_ENDPOINT" and settings.OIDC_RP_SIGN_ALGO.startswith("HS"))
    ]
    if not settings.OIDC_ROLE_MAP:
        errors.append(
            Error(
                "OIDC_ROLE_MAP is empty: single sign-on would refuse everyone.",
                hint='e.g. OIDC_ROLE_MAP="backsourcing-ops=Operations managers,…"',
                id="accounts.E004",
            )
        )
    errors.extend(
        Error(
            f"OIDC_ROLE_MAP maps {value!r} to {role!r}, which is not a role.",
            hint=f"The roles are: {', '.join(ROLE_GROUPS)}.",
            id="accounts.E005",
        )
        for value, role in settings.OIDC_ROLE_MAP.items()
        if str(role).strip() not in ROLE_GROUPS
    )
    return errors
