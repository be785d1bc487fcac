"""Settings of the Celery worker that tests/reminders/test_crash_smtp.py starts and kills.

The test suite's settings, but with what a production worker has: SMTP, Redis, the sweep
on start. The test passes its own database (DATABASE_URL, read by base settings), Redis,
mail port, queue and claim timeout in the environment.
"""

from backsourcing.settings.base import CELERY_BROKER_TRANSPORT_OPTIONS as BROKER_OPTIONS
from backsourcing.settings.base import env
from backsourcing.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("EMAIL_PORT")
EMAIL_USE_TLS = False

CELERY_BROKER_URL = env.str("REDIS_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = BROKER_OPTIONS
# Its own queue, so no other worker on the same Redis takes the test's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE")
REMINDER_SWEEP_ON_WORKER_START = True
REMINDER_CLAIM_TIMEOUT_SECONDS = env.int("REMINDER_CLAIM_TIMEOUT_SECONDS")
