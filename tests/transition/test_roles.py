"""docs/domain.md, Roles, cell by cell, at the service level.

Every row of the roles table is an action below; every column a role. A forbidden action
raises PermissionDenied and writes nothing; an allowed one succeeds.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from contracts.models import Contract, ServiceProvider
from contracts.services import (
    contract_create,
    contract_update,
    provider_create,
    provider_update,
)
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)
from transition.services import (
    apply_transition,
    asset_save,
    milestone_complete,
    milestone_save,
    plan_item_delete,
    process_create,
    process_update,
    programme_create,
    programme_update,
    readiness_record,
    staff_save,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
WATCHED_MODELS = [
    ServiceProvider,
    Contract,
    Contract.history.model,
    Programme,
    OutsourcedProcess,
    OutsourcedProcess.history.model,
    ProcessEvent,
    Milestone,
    Asset,
    StaffMember,
    ReadinessAssessment,
]

VIEWER, LEAD, OTHER_LEAD, OPS = "viewer", "lead of the process", "other lead", "ops manager"
ROLES = [VIEWER, LEAD, OTHER_LEAD, OPS]


def snapshot():
    return {model: list(model.objects.order_by("pk").values()) for model in WATCHED_MODELS}


def led_process(lead, state=State.OUTSOURCED) -> OutsourcedProcess:
    """A process led by `lead` that meets every guard of every transition."""
    process = OutsourcedProcessFactory(lead=lead, state=state)
    ReadinessAssessmentFactory(process=process)
    MilestoneFactory(process=process, status="done", completed_on=date(2026, 11, 1))
    return process


# Each action: setup(lead) -> context, then act(actor, context). The process, where there is
# one, is led by the project lead of the LEAD column.

REGISTER_ACTIONS = {
    "create provider": (
        lambda lead: None,
        lambda actor, _: provider_create(actor=actor, name="Northwind", country="DE"),
    ),
    "edit provider": (
        lambda lead: ServiceProviderFactory(),
        lambda actor, provider: provider_update(provider=provider, actor=actor, notes="Renewed"),
    ),
    "create contract": (
        lambda lead: (ServiceProviderFactory(), UserFactory()),
        lambda actor, ctx: contract_create(
            actor=actor,
            provider=ctx[0],
            owner=ctx[1],
            reference="MSA-9",
            title="Service desk",
            start_date=date(2025, 1, 1),
            end_date=date(2027, 12, 31),
            annual_value=Decimal("100000.00"),
            currency="EUR",
        ),
    ),
    "edit contract": (
        lambda lead: ContractFactory(),
        lambda actor, contract: contract_update(contract=contract, actor=actor, title="Renamed"),
    ),
    "create programme": (
        lambda lead: None,
        lambda actor, _: programme_create(
            actor=actor,
            name="Bring logistics home",
            start_date=date(2027, 1, 1),
            target_date=date(2027, 12, 31),
        ),
    ),
    "edit programme": (
        lambda lead: ProgrammeFactory(),
        lambda actor, programme: programme_update(
            programme=programme, actor=actor, description="Phase 2"
        ),
    ),
    "create process": (
        lambda lead: (ProgrammeFactory(), ContractFactory(), lead),
        lambda actor, ctx: process_create(
            actor=actor,
            programme=ctx[0],
            contract=ctx[1],
            name="Payroll",
            category=OutsourcedProcess.Category.FINANCE,
            owner=ctx[1].owner,
            lead=ctx[2],
        ),
    ),
    "edit process": (
        lambda lead: OutsourcedProcessFactory(lead=lead),
        lambda actor, process: process_update(process=process, actor=actor, description="Scope"),
    ),
}

PLAN_ACTIONS = {
    "create milestone": (
        lambda lead: OutsourcedProcessFactory(lead=lead),
        lambda actor, process: milestone_save(
            actor=actor, process=process, title="Cutover", due_date=date(2027, 3, 1)
        ),
    ),
    "edit milestone": (
        lambda lead: MilestoneFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, milestone: milestone_save(actor=actor, milestone=milestone, title="Later"),
    ),
    "complete milestone": (
        lambda lead: MilestoneFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, milestone: milestone_complete(milestone=milestone, actor=actor),
    ),
    "delete milestone": (
        lambda lead: MilestoneFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, milestone: plan_item_delete(item=milestone, actor=actor),
    ),
    "create asset": (
        lambda lead: OutsourcedProcessFactory(lead=lead),
        lambda actor, process: asset_save(
            actor=actor,
            process=process,
            name="Conveyor",
            category=Asset.Category.EQUIPMENT,
            transfer_method=Asset.TransferMethod.BUY_OUT,
        ),
    ),
    "edit asset": (
        lambda lead: AssetFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, asset: asset_save(actor=actor, asset=asset, status="transferred"),
    ),
    "delete asset": (
        lambda lead: AssetFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, asset: plan_item_delete(item=asset, actor=actor),
    ),
    "create staff": (
        lambda lead: OutsourcedProcessFactory(lead=lead),
        lambda actor, process: staff_save(
            actor=actor, process=process, name="Ann Baker", role="Planner", route="tupe"
        ),
    ),
    "edit staff": (
        lambda lead: StaffMemberFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, member: staff_save(actor=actor, member=member, status="offered"),
    ),
    "delete staff": (
        lambda lead: StaffMemberFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, member: plan_item_delete(item=member, actor=actor),
    ),
    "create readiness": (
        lambda lead: OutsourcedProcessFactory(lead=lead),
        lambda actor, process: readiness_record(
            actor=actor,
            process=process,
            expertise=3,
            workforce=4,
            infrastructure=4,
            systems_data=4,
            processes_controls=4,
        ),
    ),
    "delete readiness": (
        lambda lead: ReadinessAssessmentFactory(process=OutsourcedProcessFactory(lead=lead)),
        lambda actor, readiness: plan_item_delete(item=readiness, actor=actor),
    ),
}

NOTICE_ACTIONS = {
    "serve exit notice": (
        lambda lead: led_process(lead),
        lambda actor, process: apply_transition(process, "serve_exit_notice", actor),
    ),
    "withdraw exit notice": (
        lambda lead: led_process(lead, State.EXIT_NOTICE),
        lambda actor, process: apply_transition(
            process, "withdraw_notice", actor, reason="Price cut"
        ),
    ),
}

RUN_ACTIONS = {
    "start transition": (
        lambda lead: led_process(lead, State.EXIT_NOTICE),
        lambda actor, process: apply_transition(process, "start_transition", actor),
    ),
    "complete transition": (
        lambda lead: led_process(lead, State.TRANSITION),
        lambda actor, process: apply_transition(process, "complete", actor),
    ),
}

ALLOWED = {
    **dict.fromkeys(REGISTER_ACTIONS, {OPS}),
    **dict.fromkeys(PLAN_ACTIONS, {LEAD, OPS}),
    **dict.fromkeys(NOTICE_ACTIONS, {OPS}),
    **dict.fromkeys(RUN_ACTIONS, {LEAD, OPS}),
}
ACTIONS = REGISTER_ACTIONS | PLAN_ACTIONS | NOTICE_ACTIONS | RUN_ACTIONS


@pytest.fixture
def users(viewer, project_lead, other_lead, operations_manager):
    return {VIEWER: viewer, LEAD: project_lead, OTHER_LEAD: other_lead, OPS: operations_manager}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_roles_table(action, role, users):
    setup, act = ACTIONS[action]
    context = setup(users[LEAD])
    before = snapshot()
    if role in ALLOWED[action]:
        act(users[role], context)
        assert snapshot() != before
        return
    with pytest.raises(PermissionDenied):
        act(users[role], context)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [("accounts.import_data", {OPS}), ("accounts.read", set(ROLES))],
)
@pytest.mark.parametrize("role", ROLES)
def test_import_and_read_permissions(perm, allowed, role, users):
    assert users[role].has_perm(perm) is (role in allowed)


def test_anonymous_users_may_not_read():
    from django.contrib.auth.models import AnonymousUser

    assert AnonymousUser().has_perm("accounts.read") is False


def test_a_superuser_acts_as_an_operations_manager():
    admin = UserFactory(is_superuser=True)
    process = led_process(None)
    apply_transition(process, "serve_exit_notice", admin)
    assert process.state == State.EXIT_NOTICE


@pytest.mark.parametrize("perm", ["transition.edit_plan", "transition.run_transition"])
def test_a_project_lead_has_no_object_rights_without_an_object(perm, project_lead):
    led_process(project_lead)
    assert project_lead.has_perm(perm) is False


def test_a_lead_who_is_no_longer_a_project_lead_loses_the_rights(project_lead):
    process = led_process(project_lead, State.EXIT_NOTICE)
    project_lead.groups.clear()
    project_lead = type(project_lead).objects.get(pk=project_lead.pk)  # drop cached perms
    with pytest.raises(PermissionDenied):
        apply_transition(process, "start_transition", project_lead)


@pytest.mark.parametrize(
    ("factory", "save"),
    [
        (
            MilestoneFactory,
            lambda actor, item, to: milestone_save(actor=actor, milestone=item, process=to),
        ),
        (AssetFactory, lambda actor, item, to: asset_save(actor=actor, asset=item, process=to)),
        (
            StaffMemberFactory,
            lambda actor, item, to: staff_save(actor=actor, member=item, process=to),
        ),
    ],
    ids=["milestone", "asset", "staff"],
)
def test_a_lead_cannot_take_a_plan_item_from_a_process_they_do_not_lead(
    factory, save, project_lead, other_lead
):
    item = factory(process=OutsourcedProcessFactory(lead=other_lead))
    mine = OutsourcedProcessFactory(lead=project_lead)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        save(project_lead, item, mine)
    assert snapshot() == before


def test_a_plan_item_moved_by_a_form_is_checked_against_its_stored_process(
    project_lead, other_lead
):
    milestone = MilestoneFactory(process=OutsourcedProcessFactory(lead=other_lead))
    # A bound ModelForm assigns the new process to the instance before the service runs.
    milestone.process = OutsourcedProcessFactory(lead=project_lead)
    with pytest.raises(PermissionDenied):
        milestone_save(actor=project_lead, milestone=milestone)
    assert Milestone.objects.get(pk=milestone.pk).process.lead == other_lead


def test_an_operations_manager_may_move_a_plan_item(operations_manager):
    asset = AssetFactory()
    other = OutsourcedProcessFactory()
    asset_save(actor=operations_manager, asset=asset, process=other)
    assert Asset.objects.get(pk=asset.pk).process == other
