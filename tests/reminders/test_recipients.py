"""Who is told: the people the table in docs/reminders.md names, else the operations managers."""

from datetime import date

import pytest

from reminders.triggers import TRIGGERS, Deadline, resolve_recipients
from tests.factories import UserFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess, StaffMember

from .factories import fixed_term_contract, in_exit_notice

DUE = date(2027, 3, 31)


def recipients(kind: str, obj) -> set[str]:
    trigger = TRIGGERS[kind]
    obj = trigger.with_people(trigger.queryset()).get(pk=obj.pk)
    return {user.username for user in resolve_recipients(Deadline(kind, obj, DUE))}


@pytest.mark.django_db
def test_notice_deadline_goes_to_the_contract_owner_and_owners_of_outsourced_processes():
    contract = fixed_term_contract(owner=UserFactory(username="cora"))
    OutsourcedProcessFactory(contract=contract, owner=UserFactory(username="pia"))
    OutsourcedProcessFactory(contract=contract, owner=UserFactory(username="cora"))
    in_exit_notice(contract=contract, owner=UserFactory(username="gone"))
    assert recipients("notice_deadline", contract) == {"cora", "pia"}


@pytest.mark.django_db
def test_decision_date_goes_to_the_process_owner(project_lead):
    process = OutsourcedProcessFactory(owner=UserFactory(username="pia"), lead=project_lead)
    assert recipients("decision_date", process) == {"pia"}


@pytest.mark.django_db
def test_milestone_goes_to_its_owner_else_the_lead_else_operations_managers(
    operations_manager, project_lead
):
    process = OutsourcedProcessFactory(lead=project_lead)
    owned = MilestoneFactory(process=process, owner=UserFactory(username="mo"))
    unowned = MilestoneFactory(process=process, owner=None)
    orphan = MilestoneFactory(owner=None)
    assert recipients("milestone_due", owned) == {"mo"}
    assert recipients("milestone_due", unowned) == {project_lead.username}
    assert recipients("milestone_due", orphan) == {operations_manager.username}


@pytest.mark.django_db
def test_an_inactive_owner_is_skipped_for_the_next_person_in_line(project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    milestone = MilestoneFactory(process=process, owner=UserFactory(is_active=False))
    assert recipients("milestone_due", milestone) == {project_lead.username}


@pytest.mark.django_db
def test_asset_and_tupe_information_go_to_the_lead_or_the_fallback(
    operations_manager, project_lead
):
    led = OutsourcedProcessFactory(lead=project_lead)
    unled = OutsourcedProcessFactory(lead=None)
    asset = AssetFactory(process=led, transfer_due=DUE)
    stray = AssetFactory(process=unled, transfer_due=DUE)
    member = StaffMemberFactory(
        process=led, route=StaffMember.Route.TUPE, planned_start=date(2027, 4, 28)
    )
    assert recipients("asset_transfer_due", asset) == {project_lead.username}
    assert recipients("asset_transfer_due", stray) == {operations_manager.username}
    assert recipients("eli_due", member) == {project_lead.username}


@pytest.mark.django_db
def test_exit_and_assistance_dates_go_to_owner_and_lead(project_lead):
    contract = fixed_term_contract(exit_assistance_months=3)
    process = in_exit_notice(
        contract=contract, owner=UserFactory(username="pia"), lead=project_lead, exit_date=DUE
    )
    assert recipients("exit_date", process) == {"pia", project_lead.username}
    assert recipients("assistance_end", process) == {"pia", project_lead.username}


@pytest.mark.django_db
def test_every_active_operations_manager_shares_the_fallback(operations_manager):
    UserFactory(username="second", role="Operations managers")
    UserFactory(username="retired", role="Operations managers", is_active=False)
    orphan = MilestoneFactory(owner=None)
    assert recipients("milestone_due", orphan) == {operations_manager.username, "second"}


@pytest.mark.django_db
def test_a_process_no_longer_outsourced_has_no_decision_date():
    process = in_exit_notice(exit_date=DUE)
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE
    assert TRIGGERS["decision_date"].deadline_of(process.pk, date(2027, 1, 1)) is None
