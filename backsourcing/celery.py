"""The Celery app: configured from Django settings (CELERY_ namespace), tasks autodiscovered.

Start a worker with `celery -A backsourcing worker` and exactly one scheduler with
`celery -A backsourcing beat` (the schedule lives in the database, editable in admin).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backsourcing.settings.local")

app = Celery("backsourcing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
