"""API clients per role and a process (led by `project_lead`) with a full plan."""

import pytest
from rest_framework.test import APIClient

from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)

ROLES = ("viewer", "project_lead", "other_lead", "operations_manager")


@pytest.fixture
def client_for(db):
    """An API client signed in (by session) as the given user."""

    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def ops_client(client_for, operations_manager):
    return client_for(operations_manager)


@pytest.fixture
def process(operations_manager, project_lead):
    """An outsourced process led by `project_lead`, with one of each plan item."""
    provider = ServiceProviderFactory(name="Acme")
    contract = ContractFactory(provider=provider, reference="C-ACME", owner=operations_manager)
    programme = ProgrammeFactory(name="Home", sponsor=operations_manager)
    process = OutsourcedProcessFactory(
        programme=programme,
        contract=contract,
        name="Fulfilment",
        owner=operations_manager,
        lead=project_lead,
    )
    MilestoneFactory(process=process, title="Plan")
    AssetFactory(process=process, name="Forklift")
    StaffMemberFactory(process=process, name="Ann")
    ReadinessAssessmentFactory(process=process, assessed_by=operations_manager)
    return process
