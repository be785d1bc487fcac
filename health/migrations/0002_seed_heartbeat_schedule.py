"""Seed the Celery heartbeat (health/heartbeats.py) as a django-celery-beat periodic task
every minute, as reminders' 0002 seeds the sweep.

A heartbeat not picked up within a minute expires: a worker that was down does not run a
backlog of them. Idempotent: an existing task of that name is left alone.
"""

from django.db import migrations

TASK_NAME = "Health heartbeat"
TASK = "health.heartbeat"


def seed_heartbeat(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task=TASK,
        interval=every_minute,
        expire_seconds=60,
        enabled=True,
        description="Records the worker's and beat's heartbeats (docs/operations.md).",
    )


def unseed_heartbeat(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0001_heartbeat"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed_heartbeat, unseed_heartbeat)]
