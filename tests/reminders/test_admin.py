"""Admin: reminders are read-only rows with a retry action; the sweep schedule is editable."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reminders.models import Reminder
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory

from .conftest import sweep_on
from .factories import DUE


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "admin:reminders_reminder_changelist",
        "admin:reminders_notification_changelist",
        "admin:reminders_calendarfeed_changelist",
        "admin:django_celery_beat_periodictask_changelist",
    ],
)
def test_the_admin_lists_load(admin_client, project_lead, name):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=1))
    assert admin_client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_a_reminder_row_opens_read_only(admin_client, project_lead):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=1))
    reminder = Reminder.objects.get(offset_days=1)
    response = admin_client.get(reverse("admin:reminders_reminder_change", args=[reminder.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


@pytest.mark.django_db
def test_the_retry_action_gives_a_failed_row_new_attempts(admin_client, project_lead):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=1))
    reminder = Reminder.objects.get(offset_days=1)
    Reminder.objects.filter(pk=reminder.pk).update(status="failed", attempts=8, sent_at=None)
    response = admin_client.post(
        reverse("admin:reminders_reminder_changelist"),
        {"action": "retry_failed", "_selected_action": [reminder.pk]},
        follow=True,
    )
    assert response.status_code == 200
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("pending", 0)
