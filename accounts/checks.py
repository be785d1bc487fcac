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
