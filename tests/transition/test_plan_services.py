"""Plan, programme and process services: dependency rules, recorded dates, protected deletes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.clock import TODAY
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
)
from transition.models import Asset, Milestone, OutsourcedProcess, Programme, ReadinessAssessment
from transition.services import (
    apply_transition,
    asset_save,
    milestone_complete,
    milestone_save,
    plan_item_delete,
    process_create,
    process_delete,
    process_update,
    programme_create,
    programme_delete,
    readiness_record,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def process():
    return OutsourcedProcessFactory()


def test_a_predecessor_of_another_process_is_rejected(process, operations_manager):
    milestone = MilestoneFactory(process=process)
    elsewhere = MilestoneFactory(title="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        milestone_save(actor=operations_manager, milestone=milestone, depends_on=[elsewhere])
    assert caught.value.message_dict["depends_on"] == [
        "“Elsewhere” belongs to another process; dependencies stay within one."
    ]
    assert not milestone.depends_on.exists()


def test_a_milestone_cannot_depend_on_itself(process, operations_manager):
    milestone = MilestoneFactory(process=process)
    with pytest.raises(ValidationError) as caught:
        milestone_save(actor=operations_manager, milestone=milestone, depends_on=[milestone])
    assert caught.value.message_dict["depends_on"] == ["A milestone cannot depend on itself."]


def test_a_dependency_cycle_is_rejected(process, operations_manager):
    a = MilestoneFactory(process=process, title="A")
    b = milestone_save(
        actor=operations_manager,
        milestone=MilestoneFactory(process=process, title="B"),
        depends_on=[a],
    )
    c = milestone_save(
        actor=operations_manager,
        milestone=MilestoneFactory(process=process, title="C"),
        depends_on=[b],
    )
    with pytest.raises(ValidationError) as caught:
        milestone_save(actor=operations_manager, milestone=a, depends_on=[c])
    assert caught.value.message_dict["depends_on"] == [
        "“C” already depends on this milestone: that would be a cycle."
    ]
    assert not a.depends_on.exists()


def test_a_chain_without_a_cycle_is_accepted(process, operations_manager):
    a, b, c = (MilestoneFactory(process=process, title=t) for t in "ABC")
    milestone_save(actor=operations_manager, milestone=c, depends_on=[a, b])
    milestone_save(actor=operations_manager, milestone=b, depends_on=[a])
    assert set(c.depends_on.all()) == {a, b}


def test_a_new_milestone_can_depend_on_existing_ones(process, operations_manager):
    a = MilestoneFactory(process=process)
    new = milestone_save(
        actor=operations_manager,
        process=process,
        title="Go-live",
        kind=Milestone.Kind.GO_LIVE,
        due_date=date(2027, 6, 1),
        depends_on=[a],
    )
    assert list(new.depends_on.all()) == [a]


def test_a_milestone_cannot_be_done_while_a_predecessor_is_not(process, operations_manager):
    predecessor = MilestoneFactory(process=process, title="Knowledge transfer")
    milestone = milestone_save(
        actor=operations_manager,
        milestone=MilestoneFactory(process=process),
        depends_on=[predecessor],
    )
    with pytest.raises(ValidationError) as caught:
        milestone_complete(milestone=milestone, actor=operations_manager)
    assert caught.value.message_dict["status"] == [
        "Cannot be done while “Knowledge transfer” is not done."
    ]
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED
    assert milestone.completed_on is None


def test_a_new_done_milestone_with_an_open_predecessor_is_not_saved(process, operations_manager):
    predecessor = MilestoneFactory(process=process, title="Planning")
    with pytest.raises(ValidationError) as caught:
        milestone_save(
            actor=operations_manager,
            process=process,
            title="Go-live",
            due_date=date(2026, 11, 1),
            status=Milestone.Status.DONE,
            depends_on=[predecessor],
        )
    assert "Planning" in caught.value.message_dict["status"][0]
    assert list(Milestone.objects.all()) == [predecessor]


def test_done_sets_completed_on_to_today(process, operations_manager):
    predecessor = MilestoneFactory(process=process)
    milestone = milestone_save(
        actor=operations_manager,
        milestone=MilestoneFactory(process=process),
        depends_on=[predecessor],
    )
    milestone_complete(milestone=predecessor, actor=operations_manager)
    milestone_complete(milestone=milestone, actor=operations_manager)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert milestone.completed_on == TODAY


def test_completion_may_be_backdated_but_not_in_the_future(process, operations_manager):
    milestone = MilestoneFactory(process=process)
    with pytest.raises(ValidationError) as caught:
        milestone_complete(
            milestone=milestone, actor=operations_manager, completed_on=date(2026, 11, 25)
        )
    assert "completed_on" in caught.value.message_dict
    milestone_complete(
        milestone=milestone, actor=operations_manager, completed_on=date(2026, 11, 2)
    )
    milestone.refresh_from_db()
    assert milestone.completed_on == date(2026, 11, 2)


def test_reopening_a_milestone_clears_completed_on(process, operations_manager):
    milestone = MilestoneFactory(process=process, status="done", completed_on=date(2026, 11, 2))
    milestone_save(
        actor=operations_manager, milestone=milestone, status=Milestone.Status.IN_PROGRESS
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_a_milestone_due_before_it_starts_is_rejected(process, operations_manager):
    with pytest.raises(ValidationError) as caught:
        milestone_save(
            actor=operations_manager,
            process=process,
            title="Parallel run",
            start_date=date(2027, 2, 1),
            due_date=date(2027, 1, 31),
        )
    assert caught.value.message_dict["due_date"] == [
        "The due date cannot be before the start date."
    ]
    assert not Milestone.objects.exists()


def test_a_transferred_asset_records_when(process, operations_manager):
    asset = AssetFactory(process=process)
    asset_save(actor=operations_manager, asset=asset, status=Asset.Status.TRANSFERRED)
    asset.refresh_from_db()
    assert asset.transferred_on == TODAY
    asset_save(actor=operations_manager, asset=asset, status=Asset.Status.IN_PROGRESS)
    asset.refresh_from_db()
    assert asset.transferred_on is None


def test_readiness_is_recorded_by_the_actor_today(process, project_lead):
    process.lead = project_lead
    process.save()
    readiness = readiness_record(
        actor=project_lead,
        process=process,
        expertise=4,
        workforce=3,
        infrastructure=5,
        systems_data=4,
        processes_controls=4,
    )
    assert (readiness.assessed_by, readiness.assessed_on, readiness.overall) == (
        project_lead,
        TODAY,
        3,
    )


def test_a_readiness_score_outside_1_to_5_is_rejected_by_field(process, operations_manager):
    with pytest.raises(ValidationError) as caught:
        readiness_record(
            actor=operations_manager,
            process=process,
            expertise=6,
            workforce=0,
            infrastructure=3,
            systems_data=3,
            processes_controls=3,
        )
    assert set(caught.value.message_dict) == {"expertise", "workforce"}
    assert not ReadinessAssessment.objects.exists()


def test_plan_items_can_be_deleted(process, operations_manager):
    milestone = MilestoneFactory(process=process)
    plan_item_delete(item=milestone, actor=operations_manager)
    assert not Milestone.objects.exists()


def test_deleting_a_programme_with_processes_is_refused_naming_them(process, operations_manager):
    with pytest.raises(ValidationError) as caught:
        programme_delete(programme=process.programme, actor=operations_manager)
    assert caught.value.messages == [
        f"“{process.programme}” cannot be deleted while outsourced processes refer to it."
    ]
    assert Programme.objects.filter(pk=process.programme_id).exists()
    assert OutsourcedProcess.objects.filter(pk=process.pk).exists()


def test_a_process_and_its_plan_can_be_deleted(process, operations_manager):
    MilestoneFactory(process=process)
    process_delete(process=process, actor=operations_manager)
    assert not OutsourcedProcess.objects.exists()
    assert not Milestone.objects.exists()


def test_a_programme_target_before_its_start_is_rejected(operations_manager):
    with pytest.raises(ValidationError) as caught:
        programme_create(
            actor=operations_manager,
            name="Bring it home",
            start_date=date(2027, 1, 1),
            target_date=date(2026, 12, 31),
        )
    assert "target_date" in caught.value.message_dict


def test_a_new_process_always_starts_outsourced(operations_manager):
    existing = OutsourcedProcessFactory()
    process = process_create(
        actor=operations_manager,
        programme=ProgrammeFactory(),
        contract=existing.contract,
        name="Payroll",
        category=OutsourcedProcess.Category.FINANCE,
        owner=operations_manager,
        state=OutsourcedProcess.State.IN_HOUSE,
    )
    assert process.state == OutsourcedProcess.State.OUTSOURCED


def test_process_update_refuses_to_set_the_state(process, operations_manager):
    with pytest.raises(ValueError, match="apply_transition"):
        process_update(process=process, actor=operations_manager, state="in_house")


def test_process_update_rejects_negative_costs_by_field(process, operations_manager):
    with pytest.raises(ValidationError) as caught:
        process_update(
            process=process, actor=operations_manager, one_off_transition_cost=Decimal("-5")
        )
    assert "one_off_transition_cost" in caught.value.message_dict
    process.refresh_from_db()
    assert process.one_off_transition_cost == Decimal("240000.00")


def test_process_names_are_unique_within_a_programme(process, operations_manager):
    with pytest.raises(ValidationError) as caught:
        process_create(
            actor=operations_manager,
            programme=process.programme,
            contract=process.contract,
            name=process.name,
            category=OutsourcedProcess.Category.IT,
            owner=operations_manager,
        )
    assert caught.value.messages == [
        "Outsourced process with this Programme and Name already exists."
    ]


def test_editing_a_process_that_changed_state_meanwhile_is_refused(operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    stale = OutsourcedProcess.objects.get(pk=process.pk)
    apply_transition(process, "serve_exit_notice", operations_manager)
    with pytest.raises(ValidationError) as caught:
        process_update(process=stale, actor=operations_manager, description="Edited")
    assert caught.value.messages == [
        "The process changed state while you were editing it; reload and try again."
    ]
    process.refresh_from_db()
    assert (process.state, process.description) == (OutsourcedProcess.State.EXIT_NOTICE, "")
    assert stale.state == OutsourcedProcess.State.EXIT_NOTICE
