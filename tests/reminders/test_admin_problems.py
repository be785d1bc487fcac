"""Admin: the reminders that are failing or stuck, and "retry now" (docs/operations.md, "Logs,
metrics and errors"), by the same definitions the metrics count."""

import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from reminders.models import Reminder
from tests.factories import UserFactory

from .delivery_rows import NOW, make_rows

CHANGELIST = reverse("admin:reminders_reminder_changelist")


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows(db):
    """The rows, with the clock stopped at NOW for the whole test."""
    with time_machine.travel(NOW, tick=False):
        yield make_rows()


def listed(response) -> set[int]:
    return {reminder.pk for reminder in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("failing", {"backing_off", "retry_overdue", "gave_up"}),
        ("stuck", {"claim_expired", "retry_overdue"}),
        ("any", {"backing_off", "retry_overdue", "gave_up", "claim_expired"}),
    ],
)
def test_the_problem_filter_lists_failing_and_stuck_rows(admin_client, rows, problem, expected):
    response = admin_client.get(CHANGELIST, {"problem": problem})
    assert response.status_code == 200
    assert listed(response) == {getattr(rows, name).pk for name in expected}


def test_the_list_shows_the_last_error_attempts_claim_and_next_attempt(admin_client, rows):
    response = admin_client.get(CHANGELIST, {"problem": "failing"})
    page = response.content.decode()
    assert "ConnectionRefusedError: [Errno 111]" in page
    for column in ("column-attempts", "column-next_attempt_at", "column-claimed_at"):
        assert column in page


def test_retry_now_makes_failing_and_stuck_rows_due_and_leaves_sent_ones(
    admin_client, rows, monkeypatch
):
    from reminders import tasks

    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_sweep", lambda: enqueued.append(True) or True)
    chosen = [rows.backing_off, rows.claim_expired, rows.gave_up, rows.sent[0]]
    response = admin_client.post(
        CHANGELIST,
        {"action": "retry_failed", "_selected_action": [r.pk for r in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    assert "3 reminders will be retried by the next sweep." in response.content.decode()
    assert enqueued == [True]
    backing_off, claim_expired, gave_up, sent = (Reminder.objects.get(pk=r.pk) for r in chosen)
    # Pending rows keep their attempt count and become due now, released from any claim.
    assert (backing_off.status, backing_off.attempts, backing_off.next_attempt_at) == (
        "pending",
        2,
        NOW,
    )
    assert (claim_expired.claimed_at, claim_expired.next_attempt_at) == (None, NOW)
    assert (gave_up.status, gave_up.attempts) == ("pending", 0)
    assert (sent.status, sent.next_attempt_at) == ("sent", None)


def test_a_viewer_without_change_permission_cannot_retry(client, rows):
    staff = UserFactory(username="watcher", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_reminder"))
    client.force_login(staff)
    response = client.post(
        CHANGELIST, {"action": "retry_failed", "_selected_action": [rows.gave_up.pk]}
    )
    rows.gave_up.refresh_from_db()
    assert rows.gave_up.status == "failed"
    assert response.status_code in (200, 302)


def test_the_admin_index_counts_failing_and_stuck_rows_with_links(admin_client, rows):
    response = admin_client.get(reverse("admin:index"))
    page = response.content.decode()
    assert 'id="reminder-delivery-module"' in page
    assert re.search(rf'"{CHANGELIST}\?problem=failing">Failing</a></th>\s*<td>3</td>', page)
    assert re.search(rf'"{CHANGELIST}\?problem=stuck">Stuck</a></th>\s*<td>2</td>', page)
