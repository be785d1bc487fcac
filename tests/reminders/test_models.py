"""The reminder row's idempotency key, the seeded beat schedule, the process history read."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from reminders.models import Reminder
from reminders.selectors import reminders_for_process
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import Milestone

from .conftest import sweep_on
from .factories import DUE

seed = importlib.import_module("reminders.migrations.0002_seed_sweep_schedule")


def row(milestone, status="pending", offset=7):
    return Reminder(
        kind="milestone_due",
        content_type=ContentType.objects.get_for_model(Milestone),
        object_id=milestone.pk,
        due_date=DUE,
        offset_days=offset,
        send_on=DUE - timedelta(days=offset),
        status=status,
    )


@pytest.mark.django_db
def test_a_second_live_row_for_the_same_key_is_refused():
    milestone = MilestoneFactory(due_date=DUE)
    row(milestone).save()
    with pytest.raises(IntegrityError):
        row(milestone, status="failed").save()


@pytest.mark.django_db
def test_dropped_rows_do_not_hold_the_key():
    milestone = MilestoneFactory(due_date=DUE)
    row(milestone, status="dropped").save()
    row(milestone, status="dropped").save()
    row(milestone).save()
    assert Reminder.objects.count() == 3


@pytest.mark.django_db
def test_the_migration_seeds_the_sweep_every_15_minutes():
    task = PeriodicTask.objects.get(name=seed.TASK_NAME)
    assert task.task == "reminders.sweep"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (15, "minutes")


@pytest.mark.django_db
def test_seeding_again_neither_duplicates_nor_undoes_an_admin_edit():
    task = PeriodicTask.objects.get(name=seed.TASK_NAME)
    task.interval.every = 5
    task.interval.save()
    seed.seed_sweep(apps, None)
    assert PeriodicTask.objects.filter(task="reminders.sweep").count() == 1
    assert PeriodicTask.objects.get(name=seed.TASK_NAME).interval.every == 5


@pytest.mark.django_db
def test_a_process_lists_the_reminders_sent_about_it_and_its_plan(project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    mine = MilestoneFactory(process=process, due_date=DUE, owner=project_lead)
    MilestoneFactory(due_date=DUE, owner=project_lead)  # another process's
    sweep_on(date(2027, 3, 24))
    listed = list(reminders_for_process(process))
    assert [(r.kind, r.object_id) for r in listed] == [("milestone_due", mine.pk)]
    assert list(listed[0].recipients.all()) == [project_lead]


@pytest.mark.django_db
def test_the_process_page_offers_the_reminders_sent(client, viewer, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    milestone = MilestoneFactory(process=process, due_date=DUE, owner=project_lead)
    sweep_on(date(2027, 3, 24))
    client.force_login(viewer)
    url = reverse("reminders:process_reminders", args=[process.pk])
    assert url in client.get(process.get_absolute_url()).content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.count('data-testid="process-reminder"') == 1
    assert milestone.title in fragment
    assert "<html" not in fragment
    assert "<html" in client.get(url).content.decode()  # a page of its own without JavaScript
