"""Settings for the test suite: fast hashing, in-memory e-mail, plain static storage."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests only
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
SITE_URL = "http://testserver"

# Tasks go to an in-memory broker that nothing consumes: tests call services directly,
# and the worker tests point the app at a real Redis themselves.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = False
REMINDER_SWEEP_ON_WORKER_START = False

# No rate limit unless a test sets one (tests/api/test_throttling.py): suites write fast,
# and ids recur across rolled-back tests. The cache stays in memory, one per process.
API_THROTTLE_RATES = {"token": None, "writes": None}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
