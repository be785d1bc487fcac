"""Planning only what changed: a write records its rows in its own transaction, the next
sweep re-plans the deadlines they reach (across models: a contract's terms date its
processes' decision dates) and forgets them, and what it plans is exactly what a whole plan
would (docs/reminders.md, "Planning only what changed")."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import Contract
from contracts.services import contract_update
from core.signals import announce_deadlines_changed
from reminders.models import PlanChange, Reminder
from reminders.services import (
    plan_changes_read,
    plan_changes_record,
    reminders_replan,
    reminders_sweep,
)
from reminders.services.changes import plan_changes_forget
from reminders.triggers import TRIGGERS
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
)
from transition.models import Milestone, OutsourcedProcess
from transition.services import apply_transition, milestone_save, rehearsal_create

from .conftest import at, sweep_on
from .factories import DUE, exit_plan, fixed_term_contract

Status = Reminder.Status


def rows() -> set[tuple]:
    return set(
        Reminder.objects.values_list("kind", "object_id", "due_date", "offset_days", "status")
    )


def changes_only(day: date, hour: int = 10):
    return reminders_sweep(now=at(day, hour), only_changes=True)


def assert_a_whole_plan_changes_nothing(day: date) -> None:
    """What the changes-only plan left is what reading every deadline gives."""
    before = rows()
    reminders_replan(today=day)
    assert rows() == before


@pytest.mark.django_db
def test_a_write_records_its_rows_in_its_own_transaction(project_lead, operations_manager):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead, start_date=DUE)
    with pytest.raises(ValidationError):  # refused: due before its start
        milestone_save(actor=operations_manager, milestone=milestone, due_date=DUE - timedelta(1))
    assert not PlanChange.objects.exists()
    milestone.refresh_from_db()
    with transaction.atomic():
        milestone_save(actor=operations_manager, milestone=milestone, title="Renamed")
        transaction.set_rollback(True)
    assert not PlanChange.objects.exists()  # rolled back with the write
    milestone_save(actor=operations_manager, milestone=milestone, due_date=DUE + timedelta(1))
    [change] = PlanChange.objects.all()
    assert (change.model, change.object_id) == ("transition.milestone", milestone.pk)


@pytest.mark.django_db
def test_a_model_no_deadline_reads_records_nothing():
    assert plan_changes_record(model=Contract, ids=[]) is False
    from transition.models import ReadinessAssessment

    assert plan_changes_record(model=ReadinessAssessment, ids=[1]) is False
    assert not PlanChange.objects.exists()


@pytest.mark.django_db
def test_new_terms_re_plan_the_contract_and_its_processes_decision_dates(operations_manager):
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    elsewhere = OutsourcedProcessFactory(contract=fixed_term_contract())
    day = date(2027, 3, 27)  # the decision date (1 April) is 5 days away: its day's row waits
    sweep_on(day)
    decision = Reminder.objects.filter(kind="decision_date", offset_days=0)
    assert decision.get(object_id=process.pk).status == Status.PENDING
    with time_machine.travel(at(day, hour=9, minute=30), tick=False):
        contract_update(contract=process.contract, actor=operations_manager, notice_period=2)
    contract = process.contract
    assert plan_changes_read().scope == {
        "notice_deadline": {contract.pk},
        "dispatch_by": {contract.pk},
        "decision_date": {process.pk},  # dated by its contract's terms
        "assistance_end": {process.pk},
    }
    changes_only(day)
    assert decision.get(object_id=process.pk).status == Status.DROPPED  # the date moved
    assert decision.get(object_id=elsewhere.pk).status == Status.PENDING  # untouched
    assert not PlanChange.objects.exists()
    assert_a_whole_plan_changes_nothing(day)


@pytest.mark.django_db
def test_serving_notice_re_plans_the_contract_the_process_and_its_deliverables(
    operations_manager,
):
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    ReadinessAssessmentFactory(process=process)
    day = date(2027, 6, 23)  # 7 days before the notice deadline
    sweep_on(day)
    assert Reminder.objects.get(kind="notice_deadline", offset_days=1).status == Status.PENDING
    with time_machine.travel(at(day, hour=9, minute=30), tick=False):
        process = apply_transition(process, "serve_exit_notice", operations_manager)
    scope = plan_changes_read().scope
    assert scope["notice_deadline"] == {process.contract_id}  # no longer outsourced
    assert scope["exit_date"] == {process.pk}
    assert scope["deliverable_due"] == set(
        process.exit_notice.deliverables.values_list("pk", flat=True)
    )
    assert scope["deliverable_due"]  # the default checklist, new with the notice
    changes_only(day)
    assert Reminder.objects.get(kind="notice_deadline", offset_days=1).status == Status.DROPPED
    assert_a_whole_plan_changes_nothing(day)


@pytest.mark.django_db
def test_a_rehearsal_re_plans_the_test_of_the_plan_in_force(operations_manager):
    plan = exit_plan(approved_on=date(2026, 6, 1))  # first test due 90 days after approval
    day = date(2026, 11, 20)
    sweep_on(day)
    assert Reminder.objects.filter(kind="exit_plan_test_due", status=Status.SENT).exists()
    with time_machine.travel(at(day, hour=9, minute=30), tick=False):
        rehearsal_create(
            actor=operations_manager,
            exit_plan=plan,
            held_on=day,
            scenario="Provider insolvent overnight",
            outcome="pass",
            next_test_due=day + timedelta(days=20),
        )
    assert plan_changes_read().scope["exit_plan_test_due"] == {plan.pk}
    changes_only(day)
    assert Reminder.objects.get(
        kind="exit_plan_test_due", due_date=day + timedelta(days=20), offset_days=30
    ).status in {Status.SENT, Status.PENDING}
    assert_a_whole_plan_changes_nothing(day)


@pytest.mark.django_db
def test_a_change_to_any_row_plans_the_window_of_the_kinds_that_read_the_model(project_lead):
    """An import announces its model without ids: the kinds reading it are planned by
    window, the others not at all."""
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    asset = AssetFactory(transfer_due=DUE)
    announce_deadlines_changed(Milestone)
    assert plan_changes_read().scope == {"milestone_due": None}
    changes_only(DUE - timedelta(days=7))
    assert set(Reminder.objects.values_list("kind", "object_id")) == {
        ("milestone_due", milestone.pk)
    }
    assert not Reminder.objects.filter(kind="asset_transfer_due", object_id=asset.pk).exists()


@pytest.mark.django_db
def test_a_deleted_milestone_has_its_rows_dropped_by_the_changes_plan(
    project_lead, operations_manager
):
    from transition.services import plan_item_delete

    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    sweep_on(DUE - timedelta(days=3))
    pk = milestone.pk
    plan_item_delete(item=milestone, actor=operations_manager)
    changes_only(DUE - timedelta(days=2))
    assert Reminder.objects.get(object_id=pk, offset_days=1).status == Status.DROPPED


@pytest.mark.django_db
def test_a_change_recorded_while_a_sweep_plans_waits_for_the_next(project_lead):
    first, second = MilestoneFactory.create_batch(2, due_date=DUE, owner=project_lead)
    announce_deadlines_changed(Milestone, [first.pk])
    read = plan_changes_read()
    announce_deadlines_changed(Milestone, [second.pk])  # committed while the first plans
    plan_changes_forget(read.row_ids)
    assert list(PlanChange.objects.values_list("object_id", flat=True)) == [second.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("changed", [1, 6])
def test_a_changes_plan_takes_the_same_queries_however_many_rows_changed(
    project_lead, django_assert_num_queries, changed
):
    MilestoneFactory.create_batch(30, due_date=DUE + timedelta(days=3), owner=project_lead)
    milestones = MilestoneFactory.create_batch(changed, due_date=DUE, owner=project_lead)
    process = OutsourcedProcessFactory(contract=fixed_term_contract())
    announce_deadlines_changed(Milestone, [m.pk for m in milestones])
    announce_deadlines_changed(Contract, [process.contract_id])
    ContentType.objects.clear_cache()
    # The changes (1) and the processes the contract reaches (1, shared by the decision
    # date and the end of assistance); then per kind reached (five) its deadlines, with the
    # content types of the three models read once; one insert; the pending rows of the
    # scope (1); forgetting the changes (1).
    with django_assert_num_queries(13):
        reminders_replan(today=DUE - timedelta(days=7), only_changes=True)
    planned = Reminder.objects.filter(kind="milestone_due").values_list("object_id", flat=True)
    assert set(planned) == {m.pk for m in milestones}  # not the 30 that did not change


@pytest.mark.django_db
def test_every_trigger_reaches_its_sources():
    """Each lookup of `sources` is a real path from the kind's model."""
    for trigger in TRIGGERS.values():
        for model in trigger.sources:
            assert trigger.objects_changed_by(model, [1]) == set()
        assert trigger.objects_changed_by(trigger.model, [7]) == {7}
    assert OutsourcedProcess in TRIGGERS["notice_deadline"].sources
