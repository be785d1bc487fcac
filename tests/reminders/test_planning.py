"""Planning: which reminders each trigger produces, on which day, and re-planning on change."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from reminders.models import Reminder
from reminders.services import reminders_sweep
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import Milestone, OutsourcedProcess
from transition.services import milestone_save

from .conftest import at, sweep_on
from .factories import BUILDERS, DUE, fixed_term_contract, with_notice_deadline

Status = Reminder.Status

EXPECTED_OFFSETS = {
    "notice_deadline": [90, 60, 30, 14, 7, 1, 0],
    "decision_date": [14, 0],
    "milestone_due": [7, 1, -1, -8, -15, -22],  # overdue repeats weekly while open
    "asset_transfer_due": [7, -1],  # overdue only once
    "eli_due": [14, 7, 0],
    "exit_date": [30, 7],
    "assistance_end": [30, 7],
    "raid_item_due": [7, 1, 0, -1, -8, -15, -22],  # overdue repeats weekly while open
    "deliverable_due": [7, 1, 0, -1, -8, -15, -22],  # overdue repeats weekly while owed
    "exit_plan_review_due": [30, 7, 0, -1, -8, -15, -22],
    "exit_plan_test_due": [30, 7, 0, -1, -8, -15, -22],
    "remediation_action_due": [7, 1, 0, -1, -8, -15, -22],
}


def days(first: date, last: date):
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def sent_days(kind: str) -> set[tuple[int, date]]:
    return {
        (r.offset_days, timezone.localdate(r.sent_at))
        for r in Reminder.objects.filter(kind=kind, status=Status.SENT)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BUILDERS))
def test_each_trigger_sends_each_offset_once_on_its_day(kind, ops_manager, mailoutbox):
    obj, due = BUILDERS[kind]()
    for day in days(due - timedelta(days=95), due + timedelta(days=24)):
        sweep_on(day)
    expected = {(offset, due - timedelta(days=offset)) for offset in EXPECTED_OFFSETS[kind]}
    assert sent_days(kind) == expected
    rows = Reminder.objects.filter(kind=kind)
    assert {r.object_id for r in rows} == {obj.pk}
    assert not rows.exclude(status=Status.SENT).exclude(send_on__gt=due + timedelta(days=24))


@pytest.mark.django_db
def test_rows_are_planned_a_week_ahead_and_not_sent_early(ops_manager, mailoutbox):
    contract, due = with_notice_deadline()
    sweep_on(due - timedelta(days=37))  # a new deadline: the 60-day reminder goes at once
    pending = Reminder.objects.filter(kind="notice_deadline", status=Status.PENDING)
    assert [(r.offset_days, r.send_on) for r in pending] == [(30, due - timedelta(days=30))]
    sweep_on(due - timedelta(days=31), hour=23, minute=59)
    assert sent_days("notice_deadline") == {(60, due - timedelta(days=37))}
    sweep_on(due - timedelta(days=30), hour=0, minute=1)
    assert sent_days("notice_deadline") == {
        (60, due - timedelta(days=37)),
        (30, due - timedelta(days=30)),
    }
    # Two reminders, each e-mailed to the contract's owner and the process's owner.
    assert len([m for m in mailoutbox if contract.reference in m.subject]) == 4


@pytest.mark.django_db
def test_a_moved_due_date_drops_the_old_reminders_and_plans_the_new(project_lead, mailoutbox):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=7))  # the 7-day reminder goes; the 1-day one is planned
    assert sent_days("milestone_due") == {(7, DUE - timedelta(days=7))}
    new_due = DUE + timedelta(days=30)
    milestone.due_date = new_due
    milestone.save()
    sweep_on(DUE - timedelta(days=5))
    old = Reminder.objects.get(due_date=DUE, offset_days=1)
    assert old.status == Status.DROPPED
    assert new_due.isoformat() in old.status_note
    for day in days(DUE - timedelta(days=4), new_due + timedelta(days=1)):
        sweep_on(day)
    assert sent_days("milestone_due") == {
        (7, DUE - timedelta(days=7)),
        (7, new_due - timedelta(days=7)),
        (1, new_due - timedelta(days=1)),
        (-1, new_due + timedelta(days=1)),
    }
    assert not Reminder.objects.filter(due_date=DUE, status=Status.PENDING)


@pytest.mark.django_db
def test_moving_a_due_date_back_plans_its_dropped_reminders_again(project_lead):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=6))  # 7-day sent, 1-day planned
    milestone.due_date = DUE + timedelta(days=30)
    milestone.save()
    sweep_on(DUE - timedelta(days=5))
    milestone.due_date = DUE
    milestone.save()
    sweep_on(DUE - timedelta(days=4))
    sweep_on(DUE - timedelta(days=1))
    one_day = Reminder.objects.filter(due_date=DUE, offset_days=1)
    assert sorted(one_day.values_list("status", flat=True)) == [Status.DROPPED, Status.SENT]
    assert Reminder.objects.filter(due_date=DUE, offset_days=7, status=Status.SENT).count() == 1


@pytest.mark.django_db
def test_a_changed_notice_period_moves_the_notice_reminders(ops_manager):
    contract, due = with_notice_deadline()
    sweep_on(due - timedelta(days=32))  # 30-day row planned
    contract.notice_period = 2
    contract.save()
    sweep_on(due - timedelta(days=31))
    new_due = date(2027, 7, 30)
    rows = Reminder.objects.filter(kind="notice_deadline").order_by("due_date", "-offset_days")
    assert [(r.due_date, r.offset_days, r.status) for r in rows] == [
        (due, 60, Status.SENT),
        (due, 30, Status.DROPPED),  # its date moved before it went out
        (new_due, 90, Status.SENT),  # the new deadline is 61 days away: the 90-day one goes
        (new_due, 60, Status.PENDING),  # and tomorrow's is planned
    ]


@pytest.mark.django_db
def test_a_done_milestone_gets_no_more_overdue_reminders(project_lead):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    for day in days(DUE, DUE + timedelta(days=10)):
        sweep_on(day)
    milestone.status, milestone.completed_on = Milestone.Status.DONE, DUE + timedelta(days=10)
    milestone.save()
    for day in days(DUE + timedelta(days=11), DUE + timedelta(days=40)):
        sweep_on(day)
    assert sorted(o for o, _ in sent_days("milestone_due")) == [-8, -1, 1]
    assert not Reminder.objects.filter(status=Status.PENDING)


@pytest.mark.django_db
def test_serving_notice_stops_notice_reminders_and_starts_exit_reminders(ops_manager):
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    sweep_on(date(2027, 6, 23))  # 7 days before the deadline
    assert sent_days("notice_deadline") == {(7, date(2027, 6, 23))}
    OutsourcedProcess.objects.filter(pk=process.pk).update(
        state=OutsourcedProcess.State.EXIT_NOTICE,
        notice_served_on=date(2027, 6, 24),
        exit_date=date(2027, 9, 30),
    )
    for day in days(date(2027, 6, 24), date(2027, 9, 30)):
        sweep_on(day)
    assert sent_days("notice_deadline") == {(7, date(2027, 6, 23))}
    assert Reminder.objects.get(kind="notice_deadline", offset_days=1).status == Status.DROPPED
    assert sent_days("exit_date") == {(30, date(2027, 8, 31)), (7, date(2027, 9, 23))}


@pytest.mark.django_db
def test_a_deleted_milestone_has_its_planned_reminders_dropped(project_lead):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=3))
    milestone.delete()
    sweep_on(DUE - timedelta(days=2))
    assert Reminder.objects.get(offset_days=1).status == Status.DROPPED


@pytest.mark.django_db
def test_a_sweep_back_after_an_outage_sends_only_the_latest_missed_reminder(ops_manager):
    contract, due = with_notice_deadline()
    sweep_on(due - timedelta(days=92))  # plans the 90-day row, then the worker goes down
    report = sweep_on(due - timedelta(days=10))
    assert [o.status for o in report.outcomes] == ["sent"]
    assert sent_days("notice_deadline") == {(14, due - timedelta(days=10))}
    assert Reminder.objects.get(offset_days=90).status == Status.SUPERSEDED
    for day in days(due - timedelta(days=9), due + timedelta(days=3)):
        sweep_on(day)
    assert sorted(o for o, _ in sent_days("notice_deadline")) == [0, 1, 7, 14]


@pytest.mark.django_db
def test_a_new_deadline_whose_early_reminders_are_past_gets_one_not_all(project_lead, mailoutbox):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    report = sweep_on(DUE - timedelta(days=3))
    assert len(report.sent) == 1
    assert len(mailoutbox) == 1
    assert "due in 3 days" in mailoutbox[0].subject
    rows = Reminder.objects.order_by("-offset_days")
    assert [(r.offset_days, r.status) for r in rows] == [
        (7, Status.SENT),  # the most recent reminder whose day has come
        (1, Status.PENDING),  # planned for the day before
        (-1, Status.PENDING),  # planned for the day after, in case it is not done
    ]


@pytest.mark.django_db
def test_a_warning_that_could_not_go_out_before_the_date_is_marked_missed(project_lead):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=7))  # sends 7, plans 1
    sweep_on(DUE + timedelta(days=3))  # back after the due date
    statuses = dict(Reminder.objects.values_list("offset_days", "status"))
    assert statuses == {7: Status.SENT, 1: Status.MISSED, -1: Status.SENT, -8: Status.PENDING}


@pytest.mark.django_db
def test_a_contract_without_outsourced_processes_has_no_notice_reminders(ops_manager):
    contract = fixed_term_contract()
    sweep_on(date(2027, 6, 30))
    assert not Reminder.objects.filter(kind="notice_deadline")
    OutsourcedProcessFactory(contract=contract)
    sweep_on(date(2027, 6, 30))
    assert sent_days("notice_deadline") == {(0, date(2027, 6, 30))}


@pytest.mark.django_db
def test_changed_offsets_drop_planned_rows_no_longer_in_the_schedule(settings, project_lead):
    MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=3))
    settings.REMINDER_OFFSETS = {**settings.REMINDER_OFFSETS, "milestone_due": [7, 2, -1]}
    reminders_sweep(now=at(DUE - timedelta(days=2)))
    statuses = dict(Reminder.objects.values_list("offset_days", "status"))
    assert statuses == {7: Status.SENT, 1: Status.DROPPED, 2: Status.SENT, -1: Status.PENDING}


@pytest.mark.django_db
def test_moving_a_milestone_through_the_service_re_plans_after_commit(
    project_lead, operations_manager, django_capture_on_commit_callbacks, monkeypatch
):
    from backsourcing.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    with time_machine_at(DUE - timedelta(days=10)):
        reminders_sweep()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            milestone_save(
                actor=operations_manager, milestone=milestone, due_date=DUE - timedelta(days=5)
            )
    assert len(callbacks) == 1
    # The sweep ran on commit: the 7-day reminder of the new date has gone out at once.
    assert sent_days("milestone_due") == {(7, DUE - timedelta(days=10))}


def time_machine_at(day: date):
    import time_machine

    return time_machine.travel(at(day), tick=False)


@pytest.mark.django_db
def test_a_days_plan_reads_only_deadlines_that_can_need_a_row_soon(project_lead, mailoutbox):
    from reminders.services import deadline_dates

    near = MilestoneFactory(due_date=DUE, owner=project_lead)
    far = MilestoneFactory(due_date=DUE + timedelta(days=200), owner=project_lead)
    late = MilestoneFactory(due_date=DUE - timedelta(days=300), owner=project_lead)
    today = DUE - timedelta(days=7)

    # The window is the schedule's first offset plus REMINDER_PLAN_AHEAD_DAYS; overdue
    # reminders go out however late, so a late milestone is always read.
    read = {pk for (kind, _type, pk) in deadline_dates(today) if kind == "milestone_due"}
    assert read == {near.pk, late.pk}

    sweep_on(today)
    assert not Reminder.objects.filter(object_id=far.pk).exists()
    sweep_on(far.due_date - timedelta(days=7))  # its first reminder's day
    assert Reminder.objects.get(object_id=far.pk, offset_days=7).status == Status.SENT
