"""Settings for `make run`: embedded defaults, console e-mail, debug on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-development-only-not-secret")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # Web, Celery worker and beat share one SQLite file: wait for its lock instead of failing
    # with "database is locked", and take the write lock when a transaction starts so a
    # reader never has to upgrade (the upgrade is what fails under contention).
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
