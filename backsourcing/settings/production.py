"""Production settings: secrets come from the environment with no defaults."""

from django.core.exceptions import ImproperlyConfigured

from core.observability import logging_config

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = False
# One JSON object per line for the log collector (docs/operations.md, "Logs, metrics and
# errors"); LOG_FORMAT=plain turns it back into text.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)  # noqa: F405 - from base
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": database_config(env.db("DATABASE_URL"))}
# A connection serves the requests of a worker for a minute instead of one request each
# (checked before reuse): the connection set-up no longer lands on every page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A broker every host shares, required: without REDIS_URL the base settings would fall back
# to a filesystem broker (for `make run`) that loses tasks between hosts. env.str() with no
# default stops start-up with "Set the REDIS_URL environment variable" (docs/operations.md).
REDIS_URL = env.str("REDIS_URL")
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405 - from base
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL is a filesystem broker, which loses tasks between hosts: "
        "set it to the Redis of REDIS_URL or leave it unset."
    )

STORAGES = {
    # The bucket or MEDIA_ROOT, as base decides from STORAGE_BUCKET (docs/operations.md).
    "default": STORAGES["default"],  # noqa: F405 - from base
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# A load balancer probing over plain HTTP inside the network (docs/operations.md).
if env.bool("HEALTH_ALLOW_HTTP", default=False):
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
