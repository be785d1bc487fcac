"""Sending: e-mail and notifications exactly once per row, failures recorded and retried."""

import threading
from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from reminders.models import Notification, Reminder
from reminders.services import reminder_retry, reminders_send_due, reminders_sweep, retry_delay
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory

from .conftest import at, sweep_on
from .factories import DUE, with_notice_deadline

Status = Reminder.Status


class MailServer:
    """A mail server that refuses messages while `down`."""

    def __init__(self):
        self.down = True
        self.attempts = 0


@pytest.fixture
def mail_server(monkeypatch):
    server = MailServer()
    original = EmailMultiAlternatives.send

    def send(message, fail_silently=False):
        server.attempts += 1
        if server.down:
            raise SMTPException("451 try again later")
        return original(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    return server


@pytest.mark.django_db
def test_running_the_sweep_twice_sends_nothing_the_second_time(project_lead, mailoutbox):
    MilestoneFactory.create_batch(3, due_date=DUE, owner=project_lead)
    first = sweep_on(DUE - timedelta(days=7))
    second = sweep_on(DUE - timedelta(days=7), hour=9, minute=15)
    assert len(first.sent) == 3
    assert second.outcomes == []
    assert len(mailoutbox) == 3
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_the_email_has_text_and_html_with_an_absolute_link(ops_manager, mailoutbox):
    contract, due = with_notice_deadline()
    sweep_on(due - timedelta(days=7))
    # One message per recipient: nobody sees who else is told.
    owner, process_owner = mailoutbox
    assert {owner.to[0], process_owner.to[0]} == {
        contract.owner.email,
        contract.processes.get().owner.email,
    }
    for message in mailoutbox:
        assert len(message.to) == 1
        link = f"http://testserver{contract.get_absolute_url()}"
        assert message.subject.startswith("[Backsourcing] Notice deadline for")
        assert "in 7 days" in message.subject
        assert link in message.body
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert f'href="{link}"' in html


@pytest.mark.django_db
def test_a_reminders_message_ids_are_stable_per_recipient_and_differ_between_them(ops_manager):
    from reminders.services.delivery import message_id

    contract, due = with_notice_deadline()
    sweep_on(due - timedelta(days=7))
    reminder = Reminder.objects.get(status=Status.SENT)
    people = list(reminder.recipients.order_by("pk"))
    ids = [message_id(reminder, user) for user in people]
    assert len(set(ids)) == len(people) == 2
    # The same reminder and recipient give the same id on any attempt, in any copy of the
    # database (no primary key of the reminder row in it), at the site's domain.
    again = Reminder.objects.get(pk=reminder.pk)
    again.pk = None
    assert [message_id(again, user) for user in people] == ids
    assert all(value.startswith("<reminder.") and value.endswith("@testserver>") for value in ids)
    other_offset = Reminder.objects.get(pk=reminder.pk)
    other_offset.offset_days += 1
    assert message_id(other_offset, people[0]) != ids[0]


@pytest.mark.django_db
def test_a_retried_reminder_sends_each_recipient_the_same_message_id(
    ops_manager, mail_server, mailoutbox
):
    contract, due = with_notice_deadline()
    sweep_on(due - timedelta(days=7))  # the server refuses: nothing sent, the row retried
    assert mailoutbox == []
    mail_server.down = False
    sweep_on(due - timedelta(days=7), hour=12)
    first = {m.to[0]: m.extra_headers["Message-ID"] for m in mailoutbox}
    reminder = Reminder.objects.get(kind="notice_deadline", status=Status.SENT)
    from reminders.services.delivery import message_id

    assert first == {user.email: message_id(reminder, user) for user in reminder.recipients.all()}


@pytest.mark.django_db
def test_each_recipient_gets_one_notification_linking_to_the_object(project_lead):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=1))
    [notification] = Notification.objects.filter(user=project_lead)
    assert notification.title.startswith(f"Milestone “{milestone.title}”")
    assert "tomorrow" in notification.title
    assert notification.reminder.recipients.get() == project_lead
    assert notification.read_at is None


@pytest.mark.django_db
def test_a_recipient_without_an_email_address_still_gets_the_notification(mailoutbox):
    silent = UserFactory(email="")
    MilestoneFactory(due_date=DUE, owner=silent)
    sweep_on(DUE - timedelta(days=1))
    assert mailoutbox == []
    assert Notification.objects.filter(user=silent).count() == 1


@pytest.mark.django_db
def test_a_failed_send_is_recorded_and_retried_with_back_off(project_lead, mail_server, caplog):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    now = at(DUE - timedelta(days=1))
    report = reminders_sweep(now=now)
    reminder = Reminder.objects.get(offset_days=1)
    assert reminder.status == Status.PENDING
    assert reminder.attempts == 1
    assert "451 try again later" in reminder.last_error
    assert reminder.next_attempt_at == now + timedelta(minutes=5)
    assert report.failed == [reminder.pk]
    assert not Notification.objects.exists()  # rolled back with the failed e-mail
    assert f"Reminder {reminder.pk} failed" in caplog.text

    assert reminders_send_due(now=now + timedelta(minutes=4)) == []  # not yet
    reminders_send_due(now=now + timedelta(minutes=5))
    reminder.refresh_from_db()
    assert reminder.attempts == 2
    assert reminder.next_attempt_at == now + timedelta(minutes=5) + timedelta(minutes=10)


@pytest.mark.django_db
def test_a_retry_after_the_failure_cleared_sends_exactly_once(
    project_lead, mail_server, mailoutbox
):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    now = at(DUE - timedelta(days=1))
    reminders_sweep(now=now)
    mail_server.down = False
    later = now + timedelta(minutes=6)
    reminders_sweep(now=later)
    reminders_sweep(now=later + timedelta(minutes=15))
    reminder = Reminder.objects.get(offset_days=1)
    assert reminder.status == Status.SENT
    assert reminder.attempts == 2
    assert reminder.last_error == ""
    assert len(mailoutbox) == 1
    assert Notification.objects.count() == 1


def test_back_off_doubles_up_to_a_cap(settings):
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 300
    settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS = 3600
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [300, 600, 1200, 2400, 3600]


@pytest.mark.django_db
def test_after_the_last_attempt_the_row_fails_visibly_until_retried(
    settings, project_lead, mail_server, caplog, mailoutbox
):
    settings.REMINDER_MAX_ATTEMPTS = 3
    MilestoneFactory(due_date=DUE, owner=project_lead)
    now = at(DUE - timedelta(days=1), hour=0)
    for hour in range(4):
        reminders_sweep(now=now + timedelta(hours=hour))
    reminder = Reminder.objects.get(offset_days=1)
    assert reminder.status == Status.FAILED
    assert reminder.attempts == 3
    assert reminder.next_attempt_at is None
    assert mail_server.attempts == 3
    assert "giving up" in caplog.text

    mail_server.down = False
    assert reminder_retry(reminder=reminder, now=now + timedelta(hours=5))
    reminders_sweep(now=now + timedelta(hours=5))
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert mail_server.attempts == 4
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_one_failing_reminder_does_not_hold_up_the_others(project_lead, monkeypatch, mailoutbox):
    broken = MilestoneFactory(due_date=DUE, owner=project_lead, title="Broken")
    MilestoneFactory(due_date=DUE, owner=project_lead, title="Fine")
    original = EmailMultiAlternatives.send

    def send(message, fail_silently=False):
        if "Broken" in message.subject:
            raise SMTPException("550 mailbox unavailable")
        return original(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    report = sweep_on(DUE - timedelta(days=1))
    assert len(report.sent) == 1
    assert len(report.failed) == 1
    assert Reminder.objects.get(object_id=broken.pk, offset_days=1).status == Status.PENDING
    assert [m.subject for m in mailoutbox if "Fine" in m.subject]


@pytest.mark.django_db
def test_with_nobody_to_tell_the_failure_is_recorded_not_dropped(mailoutbox):
    MilestoneFactory(due_date=DUE, owner=None)  # no owner, no lead, no operations manager
    sweep_on(DUE - timedelta(days=1))
    reminder = Reminder.objects.get(offset_days=1)
    assert reminder.status == Status.PENDING
    assert "Nobody to tell" in reminder.last_error
    UserFactory(role="Operations managers")
    reminders_sweep(now=at(DUE - timedelta(days=1)) + timedelta(hours=1))
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_exactly_once(monkeypatch):
    lead = UserFactory(username="lead")
    milestones = MilestoneFactory.create_batch(30, due_date=DUE, owner=lead)
    original = EmailMultiAlternatives.send
    sent_by = {}

    def slow_send(message, fail_silently=False):
        sent_by.setdefault(message.subject, []).append(threading.current_thread().name)
        threading.Event().wait(0.01)  # widen the window in which the other sweep could race
        return original(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    now = at(DUE - timedelta(days=7))
    barrier = threading.Barrier(2)
    reports, errors = {}, []

    def run(name):
        try:
            barrier.wait()
            reports[name] = reminders_sweep(now=now)
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sent = reports["w1"].sent + reports["w2"].sent
    assert sorted(sent) == sorted(set(sent))
    assert len(sent) == 30
    assert len(mail.outbox) == 30
    assert all(len(threads_) == 1 for threads_ in sent_by.values())
    assert Reminder.objects.filter(status=Status.SENT, offset_days=7).count() == 30
    assert Notification.objects.count() == 30
    assert {r.object_id for r in Reminder.objects.filter(offset_days=7)} == {
        m.pk for m in milestones
    }


@pytest.mark.django_db
def test_the_day_boundary_is_local_midnight(project_lead):
    MilestoneFactory(due_date=date(2027, 7, 8), owner=project_lead)  # summer time in London
    reminders_sweep(now=at(date(2027, 6, 30), hour=23, minute=59))
    assert not Reminder.objects.filter(kind="milestone_due", status=Status.SENT)
    reminders_sweep(now=at(date(2027, 7, 1), hour=0, minute=0))  # 23:00 UTC the day before
    assert Reminder.objects.get(kind="milestone_due", status=Status.SENT).offset_days == 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (
            {
                "renewal": "automatic",
                "renewal_term_months": 12,
                "annual_value": "240000.00",
                "currency": "GBP",
            },
            "Missed, it runs on to 30 September 2028, committing GBP 240,000 more",
        ),
        ({}, "Missed, nothing renews: it still ends then."),
    ],
)
def test_a_notice_deadline_email_says_what_missing_it_commits(
    ops_manager, mailoutbox, fields, says
):
    from tests.transition.factories import OutsourcedProcessFactory

    from .factories import fixed_term_contract

    contract = OutsourcedProcessFactory(contract=fixed_term_contract(**fields)).contract
    sweep_on(date(2027, 6, 30) - timedelta(days=7))
    messages = [m for m in mailoutbox if "Notice deadline" in m.subject]
    assert messages
    message = messages[0]
    assert says in message.body
    assert contract.reference in message.subject
