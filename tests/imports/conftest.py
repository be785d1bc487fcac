"""A small but complete portfolio to export and import again."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Contract
from raid.models import RaidItem
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    StaffMemberFactory,
)
from transition.models import Asset, Milestone, StaffMember


@pytest.fixture
def portfolio(operations_manager, project_lead):
    """Two providers, contracts, a programme with processes and a full plan."""
    acme = ServiceProviderFactory(name="Acme, Logistics", country="DE", notes="Line 1\nLine 2")
    beta = ServiceProviderFactory(
        name="Beta Services", country="GB", website="https://beta.example"
    )
    fixed = ContractFactory(
        provider=acme,
        reference="C-ACME-1",
        owner=operations_manager,
        renewal=Contract.Renewal.NONE,
        renewal_term_months=None,
        notice_period=90,
        notice_unit=Contract.NoticeUnit.DAYS,
        termination_for_convenience=True,
        governing_country="GB",
        annual_value=Decimal("123456.78"),
    )
    rolling = ContractFactory(provider=beta, reference="C-BETA-1", owner=operations_manager)
    programme = ProgrammeFactory(name="Bring it home", sponsor=operations_manager)
    fulfilment = OutsourcedProcessFactory(
        programme=programme,
        contract=fixed,
        name="Fulfilment",
        owner=operations_manager,
        lead=project_lead,
        target_in_house_date=date(2027, 6, 30),
    )
    desk = OutsourcedProcessFactory(
        programme=programme,
        contract=rolling,
        name="Service desk",
        owner=operations_manager,
        one_off_transition_cost=None,
    )
    plan = MilestoneFactory(
        process=fulfilment,
        title="Plan",
        status=Milestone.Status.DONE,
        completed_on=date(2026, 10, 1),
    )
    move = MilestoneFactory(process=fulfilment, title="Move stock", owner=project_lead)
    move.depends_on.set([plan])
    go_live = MilestoneFactory(process=fulfilment, title="Go-live", kind=Milestone.Kind.GO_LIVE)
    go_live.depends_on.set([plan, move])
    MilestoneFactory(process=desk, title="Plan")
    AssetFactory(process=fulfilment, name="Forklift", tag="FL-1", book_value=Decimal("1.50"))
    AssetFactory(
        process=fulfilment,
        name="WMS licence",
        category=Asset.Category.SOFTWARE_LICENCE,
        status=Asset.Status.TRANSFERRED,
        transferred_on=date(2026, 9, 1),
    )
    StaffMemberFactory(process=fulfilment, name="Ann Smith", key_person=True, fte=Decimal("0.5"))
    StaffMemberFactory(
        process=desk,
        name="Bob Jones",
        route=StaffMember.Route.NEW_HIRE,
        planned_start=date(2027, 1, 4),
        training_needed="ITIL",
    )
    RaidItemFactory(
        process=fulfilment,
        title="Peak volumes during the parallel run",
        owner=project_lead,
        probability=4,
        impact=5,
        mitigation="Agency staff on call, line 1\nline 2",
    )
    RaidItemFactory(
        process=None,
        programme=programme,
        kind=RaidItem.Kind.ISSUE,
        title="WMS vendor slow to answer",
        probability=None,
        impact=None,
        severity=RaidItem.Severity.HIGH,
    )
    return programme
