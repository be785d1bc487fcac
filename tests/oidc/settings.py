"""Settings of the test provider: its own SQLite file (OIDC_TEST_PROVIDER_DB) and address
(OIDC_TEST_PROVIDER_URL), cookies named apart from the app's, which also runs on 127.0.0.1:
browsers and `requests` keep cookies per host, not per port."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "oidc-test-provider-not-secret"  # noqa: S105 - a loopback test process
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = os.environ.get("OIDC_TEST_PROVIDER_URL", "http://127.0.0.1:8900")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OIDC_TEST_PROVIDER_DB", HERE / "provider.sqlite3"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True

SESSION_COOKIE_NAME = "provider_sessionid"
CSRF_COOKIE_NAME = "provider_csrftoken"
LOGIN_URL = "/login/"

# The "groups" scope and claim carry the provider's group names, the claim the app maps to
# its roles; profile and email come from the user row.
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc.claims.GroupsScopeClaims"
OIDC_USERINFO = "tests.oidc.claims.userinfo"
