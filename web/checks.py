"""Deploy checks of the HTTPS middleware (web/https.py; docs/operations.md, "Host names and
HTTPS").

Django checks HSTS, nosniff and the HTTPS redirect only when its own SecurityMiddleware is in
MIDDLEWARE, found by dotted path; our subclass takes its place, so Django would skip them and
warn security.W001 instead (silenced in the settings). These run the same conditions for our
class and answer with Django's own warnings, so `check --deploy` says what it always said.
"""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.checks.security import base as django_security

DJANGO_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
OUR_MIDDLEWARE = "web.https.LoopbackTrialSecurityMiddleware"

MISSING = CheckWarning(
    f"Neither {OUR_MIDDLEWARE!r} nor {DJANGO_MIDDLEWARE!r} is in MIDDLEWARE, so HTTPS "
    "redirects, HSTS and the other SECURE_* settings have no effect.",
    id="web.W001",
)


@register(Tags.security, deploy=True)
def check_https_middleware(app_configs, **kwargs):
    """Django's middleware checks, for the subclass that replaces its SecurityMiddleware."""
    if DJANGO_MIDDLEWARE in settings.MIDDLEWARE:
        return []  # Django checks its own class
    if OUR_MIDDLEWARE not in settings.MIDDLEWARE:
        return [MISSING]
    failed = []
    if settings.SECURE_SSL_REDIRECT is not True:
        failed.append(django_security.W008)
    if not settings.SECURE_HSTS_SECONDS:
        failed.append(django_security.W004)
    else:
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is not True:
            failed.append(django_security.W005)
        if settings.SECURE_HSTS_PRELOAD is not True:
            failed.append(django_security.W021)
    if settings.SECURE_CONTENT_TYPE_NOSNIFF is not True:
        failed.append(django_security.W006)
    if settings.SECURE_REFERRER_POLICY is None:
        failed.append(django_security.W022)
    return failed
