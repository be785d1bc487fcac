"""A broker that is down never fails a request: enqueueing happens after commit and is logged."""

import time
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.forms import ContractForm
from reminders import tasks
from reminders.models import Reminder
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
)
from transition.models import OutsourcedProcess
from transition.services import apply_transition, milestone_save

from .conftest import at, broker, sweep_on
from .factories import DUE, fixed_term_contract

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down():
    with broker(UNREACHABLE):
        yield


@pytest.fixture
def enqueued(monkeypatch):
    """Record sweeps sent to the broker instead of sending them."""
    calls = []
    monkeypatch.setattr(tasks.sweep, "apply_async", lambda *a, **kw: calls.append(kw))
    return calls


@pytest.mark.django_db
def test_serving_notice_succeeds_and_logs_when_the_broker_is_down(
    operations_manager, broker_down, caplog, django_capture_on_commit_callbacks
):
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    ReadinessAssessmentFactory(process=process)
    started = time.monotonic()
    with (
        time_machine.travel(at(date(2027, 1, 15)), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        process = apply_transition(process, "serve_exit_notice", operations_manager)
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE
    # The process and its new deliverables each announce a change; each asks for a sweep
    # (the second is skipped by the first: reminders/tasks.py).
    assert {callback.__name__ for callback in callbacks} == {"enqueue_sweep"}
    assert "Could not enqueue the reminder sweep" in caplog.text
    assert time.monotonic() - started < 10  # a dead broker costs about a second, not a hang


@pytest.mark.django_db
def test_saving_a_contract_page_works_while_the_broker_is_down(
    client, operations_manager, broker_down, caplog, django_capture_on_commit_callbacks
):
    contract = fixed_term_contract()
    client.force_login(operations_manager)
    data = {k: v for k, v in ContractForm(instance=contract).initial.items() if v is not None}
    data["title"] = "Renamed while Redis is down"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contracts:contract_update", args=[contract.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    contract.refresh_from_db()
    assert contract.title == "Renamed while Redis is down"
    assert "Could not enqueue the reminder sweep" in caplog.text


@pytest.mark.django_db
def test_the_next_sweep_catches_up_on_a_change_the_broker_never_heard_of(
    project_lead, operations_manager, broker_down, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(due_date=DUE + timedelta(days=60), owner=project_lead)
    sweep_on(DUE - timedelta(days=10))
    with (
        time_machine.travel(at(DUE - timedelta(days=10), hour=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        milestone_save(actor=operations_manager, milestone=milestone, due_date=DUE)
    report = sweep_on(DUE - timedelta(days=10), hour=10, minute=15)
    assert [o.status for o in report.outcomes] == []  # seven days out is still three days away
    sweep_on(DUE - timedelta(days=7))
    assert Reminder.objects.get(offset_days=7, due_date=DUE).status == Reminder.Status.SENT


@pytest.mark.django_db
def test_the_sweep_is_enqueued_only_after_the_commit(
    project_lead, operations_manager, enqueued, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        milestone_save(actor=operations_manager, milestone=milestone, due_date=DUE + timedelta(1))
        assert enqueued == []
    assert len(callbacks) == 1
    callbacks[0]()
    [options] = enqueued
    assert options["expires"] == 15 * 60
    assert options["kwargs"]["requested_at"] > 0


@pytest.mark.django_db
def test_a_rejected_save_enqueues_nothing(
    project_lead, operations_manager, enqueued, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead, start_date=DUE)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        milestone_save(
            actor=operations_manager, milestone=milestone, due_date=DUE - timedelta(days=1)
        )
    assert callbacks == []
    assert enqueued == []


def test_enqueue_reports_failure_instead_of_raising(caplog):
    with broker(UNREACHABLE):
        assert tasks.enqueue_sweep() is False
    assert "periodic sweep will catch up" in caplog.text


def test_a_requested_sweep_is_skipped_when_a_later_one_already_ran(monkeypatch):
    monkeypatch.setattr("reminders.services.reminders_sweep", _fail_if_called)
    tasks.cache.set(tasks.LAST_SWEEP_STARTED, time.time())
    assert tasks.sweep.run(requested_at=time.time() - 60).startswith("skipped")


def _fail_if_called(**kwargs):
    raise AssertionError("the sweep ran although a later one had covered the request")
