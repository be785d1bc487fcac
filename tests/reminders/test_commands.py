"""`manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reminders.models import Notification, Reminder
from tests.transition.factories import MilestoneFactory

from .factories import DUE


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_sends_what_is_due_on_the_given_date_and_says_so(project_lead, mailoutbox):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead, title="Cut-over plan")
    output = run("--date", (DUE - timedelta(days=1)).isoformat())
    assert "sent" in output
    assert "Cut-over plan" in output
    assert project_lead.email in output
    assert f"Sweep for {DUE - timedelta(days=1)}: 1 sent" in output
    assert len(mailoutbox) == 1
    assert Reminder.objects.get(object_id=milestone.pk, offset_days=1).status == "sent"


@pytest.mark.django_db
def test_a_second_run_sends_nothing(project_lead, mailoutbox):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    run("--date", (DUE - timedelta(days=1)).isoformat())
    output = run("--date", (DUE - timedelta(days=1)).isoformat())
    assert ": 0 sent" in output
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_dry_run_prints_what_would_go_and_changes_nothing(project_lead, mailoutbox):
    MilestoneFactory(due_date=DUE, owner=project_lead, title="Cut-over plan")
    output = run("--date", (DUE - timedelta(days=1)).isoformat(), "--dry-run")
    assert "would send" in output
    assert "Cut-over plan" in output
    assert "1 reminder(s) would be sent" in output
    assert mailoutbox == []
    assert not Reminder.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_leaves_out_what_was_already_sent(project_lead):
    MilestoneFactory(due_date=DUE, owner=project_lead, title="Cut-over plan")
    run("--date", (DUE - timedelta(days=1)).isoformat())
    output = run("--date", (DUE - timedelta(days=1)).isoformat(), "--dry-run")
    assert "Cut-over plan" not in output
    assert "0 reminder(s) would be sent" in output


def test_a_malformed_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "31/03/2027")
