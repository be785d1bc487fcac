"""Seed the reminder sweep as a django-celery-beat periodic task every 15 minutes.

Idempotent: an existing task of that name (perhaps re-scheduled in admin) is left alone.
"""

from django.db import migrations

TASK_NAME = "Reminder sweep"
TASK = "reminders.sweep"


def seed_sweep(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    every_15_minutes, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task=TASK,
        interval=every_15_minutes,
        enabled=True,
        description="Plans and sends deadline reminders (docs/reminders.md).",
    )


def unseed_sweep(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_reminders_notifications_feeds"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed_sweep, unseed_sweep)]
