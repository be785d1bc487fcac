"""Turn single sign-on on in the app under test, as setting OIDC_RP_CLIENT_ID would: the
settings, the backend after axes, and the /oidc/ URLs (backsourcing/urls.py adds them at
import, so the URL module is imported again both ways)."""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import clear_url_caches

ROLE_MAP = {
    "backsourcing-ops": "Operations managers",
    "backsourcing-leads": "Project leads",
    "backsourcing-viewers": "Viewers",
}
CLIENT_ID = "backsourcing"
CLIENT_SECRET = "client-secret-for-tests"  # noqa: S105 - a loopback test provider
BACKEND = "accounts.oidc.RoleClaimBackend"


def _reload_urls() -> None:
    import backsourcing.urls

    importlib.reload(backsourcing.urls)
    clear_url_caches()


@contextmanager
def sso_on(settings, *, provider: str = "http://127.0.0.1:9/openid", **overrides) -> Iterator[None]:
    """`settings` is pytest-django's fixture; `provider` the OpenID base URL (the default
    refuses connections)."""
    was_enabled = settings.OIDC_ENABLED
    values = {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{provider}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{provider}/token",
        "OIDC_OP_USER_ENDPOINT": f"{provider}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{provider}/jwks",
        "OIDC_RP_SCOPES": "openid email profile groups",
        "OIDC_ROLE_CLAIM": "groups",
        "OIDC_ROLE_MAP": ROLE_MAP,
        "OIDC_LOGIN_LABEL": "Sign in with Test Provider",
        "AUTHENTICATION_BACKENDS": [*settings.AUTHENTICATION_BACKENDS, BACKEND],
        **overrides,
    }
    for name, value in values.items():
        setattr(settings, name, value)
    _reload_urls()
    try:
        yield
    finally:
        settings.OIDC_ENABLED = was_enabled
        _reload_urls()
