"""Scaling out: due rows claimed in batches, one task and one mail connection per batch,
a dead worker's batch claimed again, and exactly once with two workers (docs/reminders.md)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from core.signals import announce_deadlines_changed
from reminders import tasks
from reminders.models import Notification, PlanChange, Reminder
from reminders.services import (
    reminders_claim,
    reminders_send_batch,
    reminders_send_due,
    reminders_sweep,
)
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory
from transition.models import Milestone

from .conftest import at
from .factories import DUE

Status = Reminder.Status
NOW = at(DUE - timedelta(days=7))


def planned(now=NOW):
    """Plan and retire as the sweep does, sending nothing."""
    reminders_sweep(now=now, dispatch=lambda batch: None)
    Reminder.objects.update(claimed_at=None)


@pytest.fixture
def connections(monkeypatch):
    """The mail backend instance each message went through."""
    used: list[int] = []
    original = EmailBackend.send_messages

    def send_messages(backend, messages):
        used.extend(id(backend) for _ in messages)
        return original(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return used


@pytest.mark.django_db
def test_due_rows_are_claimed_in_batches_oldest_first(settings, project_lead):
    MilestoneFactory.create_batch(5, due_date=DUE, owner=project_lead)
    planned()
    batches = list(reminders_claim(now=NOW, size=2))
    assert [len(batch) for batch in batches] == [2, 2, 1]
    ids = [pk for batch in batches for pk in batch]
    assert ids == sorted(
        Reminder.objects.filter(send_on__lte=NOW.date()).values_list("pk", flat=True)
    )
    assert not Reminder.objects.filter(pk__in=ids, claimed_at__isnull=True).exists()
    assert list(reminders_claim(now=NOW, size=2)) == []  # claimed: not handed out twice


@pytest.mark.django_db
def test_a_batch_goes_over_one_connection_and_releases_its_claims(project_lead, connections):
    MilestoneFactory.create_batch(4, due_date=DUE, owner=project_lead)
    planned()
    [batch] = list(reminders_claim(now=NOW))
    outcomes = reminders_send_batch(reminder_ids=batch, now=NOW)
    assert [o.status for o in outcomes] == [Status.SENT] * 4
    assert len(mail.outbox) == 4
    assert len(connections) == 4
    assert len(set(connections)) == 1
    assert not Reminder.objects.filter(claimed_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_batch_sends_nothing_twice_when_run_again(project_lead):
    MilestoneFactory.create_batch(3, due_date=DUE, owner=project_lead)
    planned()
    [batch] = list(reminders_claim(now=NOW))
    assert len(reminders_send_batch(reminder_ids=batch, now=NOW)) == 3
    assert reminders_send_batch(reminder_ids=batch, now=NOW) == []  # redelivered task
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_failure_inside_a_batch_is_recorded_and_the_rest_still_go(project_lead, monkeypatch):
    MilestoneFactory(due_date=DUE, owner=project_lead, title="Broken")
    MilestoneFactory(due_date=DUE, owner=project_lead, title="Fine")
    original = EmailMultiAlternatives.send

    def send(message, fail_silently=False):
        if "Broken" in message.subject:
            raise ConnectionResetError("connection reset by the mail server")
        return original(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    planned()
    [batch] = list(reminders_claim(now=NOW))
    outcomes = reminders_send_batch(reminder_ids=batch, now=NOW)
    assert sorted(o.status for o in outcomes) == [Status.PENDING, Status.SENT]
    broken = Reminder.objects.get(offset_days=7, status=Status.PENDING)
    assert "connection reset" in broken.last_error
    assert broken.claimed_at is None  # retried by a later sweep after its back-off
    assert [m.subject for m in mail.outbox if "Fine" in m.subject]


@pytest.mark.django_db
def test_a_batch_whose_worker_died_is_claimed_again_after_the_timeout(settings, project_lead):
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 15 * 60
    MilestoneFactory.create_batch(3, due_date=DUE, owner=project_lead)
    planned()
    [lost] = list(reminders_claim(now=NOW))  # claimed, then the worker died
    assert reminders_send_due(now=NOW + timedelta(minutes=14)) == []
    outcomes = reminders_send_due(now=NOW + timedelta(minutes=15))
    assert sorted(o.reminder_id for o in outcomes) == sorted(lost)
    assert len(mail.outbox) == 3
    assert Reminder.objects.filter(status=Status.SENT).count() == 3


@pytest.mark.django_db
def test_the_celery_sweep_fans_out_one_task_per_batch(settings, project_lead, monkeypatch):
    settings.REMINDER_BATCH_SIZE = 2
    MilestoneFactory.create_batch(5, due_date=DUE, owner=project_lead)
    enqueued = []
    monkeypatch.setattr(
        tasks.send_batch, "apply_async", lambda *a, **kw: enqueued.append(kw["kwargs"])
    )
    tasks.cache.delete_many([tasks.LAST_SWEEP_STARTED, tasks.LAST_PLANNED_DAY])
    with time_machine.travel(NOW, tick=False):
        summary = tasks.sweep.run()
        assert summary == "0 sent, 0 failed, 5 handed to 3 batch task(s)"
        assert [len(job["reminder_ids"]) for job in enqueued] == [2, 2, 1]
        assert mail.outbox == []
        for job in enqueued:
            assert tasks.send_batch.run(**job) == (
                f"{len(job['reminder_ids'])} sent, 0 failed of {len(job['reminder_ids'])} claimed"
            )
    assert len(mail.outbox) == 5
    assert Reminder.objects.filter(status=Status.SENT).count() == 5


@pytest.mark.django_db
def test_a_batch_the_broker_refuses_is_delivered_by_the_sweep(project_lead, monkeypatch):
    MilestoneFactory.create_batch(2, due_date=DUE, owner=project_lead)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_batch, "apply_async", refuse)
    tasks.cache.delete_many([tasks.LAST_SWEEP_STARTED, tasks.LAST_PLANNED_DAY])
    with time_machine.travel(NOW, tick=False):
        tasks.sweep.run()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_between_re_plans_the_periodic_sweep_only_hands_out_what_is_due(
    settings, project_lead, monkeypatch
):
    monkeypatch.setattr(tasks.send_batch, "apply_async", lambda *a, **kw: None)
    tasks.cache.delete_many([tasks.LAST_SWEEP_STARTED, tasks.LAST_PLANNED_DAY])
    with time_machine.travel(NOW, tick=False):
        tasks.sweep.run()  # plans everything (first of the day)
        silent = MilestoneFactory(due_date=DUE, owner=project_lead)  # written, not announced
        tasks.sweep.run()  # within REMINDER_REPLAN_SECONDS: only recorded changes are planned
        assert not Reminder.objects.exists()
        announced = MilestoneFactory(due_date=DUE, owner=project_lead)
        announce_deadlines_changed(Milestone, [announced.pk])  # what milestone_save does
        tasks.sweep.run(requested_at=NOW.timestamp() + 1)
        assert set(Reminder.objects.values_list("object_id", flat=True)) == {announced.pk}
        assert not PlanChange.objects.exists()  # planned, then forgotten
    with time_machine.travel(NOW + timedelta(seconds=settings.REMINDER_REPLAN_SECONDS), tick=False):
        tasks.sweep.run()  # the hourly whole plan catches what announced nothing
    assert set(Reminder.objects.values_list("object_id", flat=True)) == {announced.pk, silent.pk}


def _send_concurrently(batches):
    """Send each batch in its own thread (a worker each), all starting together."""
    barrier = threading.Barrier(len(batches))
    results, errors = {}, []

    def run(name, batch):
        try:
            barrier.wait()
            results[name] = reminders_send_batch(reminder_ids=batch, now=NOW)
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion of the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(f"w{n}", batch), name=f"w{n}")
        for n, batch in enumerate(batches)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return [o.reminder_id for outcomes in results.values() for o in outcomes if o.status == "sent"]


@pytest.fixture
def slow_mail(monkeypatch):
    """Sending takes a moment, and each subject records the threads that sent it."""
    original = EmailMultiAlternatives.send
    sent_by: dict[str, list[str]] = {}

    def slow_send(message, fail_silently=False):
        sent_by.setdefault(message.subject, []).append(threading.current_thread().name)
        threading.Event().wait(0.005)  # widen the window in which the other worker could race
        return original(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    return sent_by


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("overlap", [False, True], ids=["two-batches", "claim-expired"])
def test_two_workers_sending_a_batch_each_send_every_reminder_exactly_once(slow_mail, overlap):
    """Two batches at once on PostgreSQL; with `overlap`, both workers hold the same rows
    (the claim of the first expired and a later sweep handed them out again)."""
    lead = UserFactory(username="lead")
    MilestoneFactory.create_batch(60, due_date=DUE, owner=lead)
    planned()
    batches = list(reminders_claim(now=NOW, size=60 if overlap else 30))
    if overlap:
        batches = batches * 2
    assert len(batches) == 2

    sent = _send_concurrently(batches)

    due = set(Reminder.objects.filter(offset_days=7).values_list("pk", flat=True))
    assert len(due) == 60
    assert sorted(sent) == sorted(set(sent))  # none twice
    assert set(sent) == due  # none lost
    assert len(mail.outbox) == 60
    assert all(len(threads) == 1 for threads in slow_mail.values())
    assert Reminder.objects.filter(status=Status.SENT).count() == 60
    assert Notification.objects.count() == 60
    assert not Reminder.objects.filter(claimed_at__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("milestones", [1, 6])
def test_planning_and_claiming_take_the_same_queries_whatever_the_number_of_rows(
    project_lead, django_assert_num_queries, milestones
):
    MilestoneFactory.create_batch(milestones, due_date=DUE, owner=project_lead)
    batches: list[list[int]] = []
    ContentType.objects.clear_cache()  # the nine content types of the kinds are read once
    # One read per kind (and its content type; the RAID log's due dates added 2; issue 15's
    # deliverables, exit-plan reviews and tests, and remediation actions added 4 reads and 3
    # content types, the two exit-plan kinds sharing one), one insert, the pending rows,
    # then per batch the claim and its stamp, and the empty claim that ends the loop (in
    # savepoints under the test's transaction); first, the contracts' stale notice dates
    # (none) and the objects pending rows wait for (planning reads each kind's window and
    # those: docs/reminders.md); and before claiming, the time zones people chose (a row is
    # claimed once its day has begun in any of them: docs/reminders.md, "Time zones"); and
    # the changes recorded since the last plan (none to forget: docs/reminders.md, "Planning
    # only what changed").
    with django_assert_num_queries(35):
        reminders_sweep(now=NOW, dispatch=batches.append)
    assert [len(batch) for batch in batches] == [milestones]


@pytest.mark.django_db
@pytest.mark.parametrize("milestones", [1, 6])
def test_a_batch_takes_the_same_queries_for_each_row(
    project_lead, django_assert_num_queries, milestones
):
    MilestoneFactory.create_batch(milestones, due_date=DUE, owner=project_lead)
    planned()
    [batch] = list(reminders_claim(now=NOW))
    # Per row: the lock, its deadline, its recipients' zones and whether each was reached
    # (one query), the notification, the status, the recipients, and the two savepoints
    # around each of the row's transaction and the e-mail's.
    with django_assert_num_queries(10 * milestones):
        reminders_send_batch(reminder_ids=batch, now=NOW)
    assert len(mail.outbox) == milestones
