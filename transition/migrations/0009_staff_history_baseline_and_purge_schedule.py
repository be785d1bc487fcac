"""Give every existing staff record its first history entry, and seed the daily staff
personal-data purge as a django-celery-beat periodic task (as health's 0002 seeds the
heartbeat).

Staff records had no history before 0008: without a baseline entry the first change after
this migration would show no "before". The purge runs at 03:30 in TIME_ZONE; a run not
picked up within the day expires (the next day's run covers it). Both steps are
idempotent: a record that already has history and an existing task of that name (perhaps
re-scheduled in admin) are left alone.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TASK_NAME = "Staff personal data purge"
TASK = "transition.staff_purge_expired"
COPIED = (
    "id",
    "process_id",
    "name",
    "role",
    "route",
    "fte",
    "annual_cost",
    "currency",
    "key_person",
    "status",
    "planned_start",
    "training_needed",
    "training_completed_on",
    "personal_data_purged_on",
)


def seed_history(apps, schema_editor):
    StaffMember = apps.get_model("transition", "StaffMember")
    Historical = apps.get_model("transition", "HistoricalStaffMember")
    recorded = Historical.objects.values("id")
    now = timezone.now()
    rows = (
        Historical(
            **{name: getattr(member, name) for name in COPIED},
            history_date=now,
            history_type="+",
            history_change_reason="History starts (migration 0009).",
        )
        for member in StaffMember.objects.exclude(pk__in=recorded).iterator(chunk_size=500)
    )
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 500:
            Historical.objects.bulk_create(batch)
            batch = []
    Historical.objects.bulk_create(batch)


def seed_purge_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=TASK_NAME).exists():
        return
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name=TASK_NAME,
        task=TASK,
        crontab=daily,
        expire_seconds=24 * 60 * 60,
        enabled=True,
        description=(
            "Anonymises staff records past STAFF_DATA_RETENTION_DAYS (docs/operations.md)."
        ),
    )


def unseed_purge_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transition", "0008_staff_history_and_purge_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(seed_history, migrations.RunPython.noop),
        migrations.RunPython(seed_purge_schedule, unseed_purge_schedule),
    ]
