"""Factories for programmes, processes and their plans."""

from datetime import date
from decimal import Decimal

import factory

from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    Programme,
    ReadinessAssessment,
    StaffMember,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    sponsor = factory.SubFactory(UserFactory)
    start_date = date(2026, 1, 1)
    target_date = date(2027, 12, 31)
    budget = Decimal("1000000.00")


class OutsourcedProcessFactory(factory.django.DjangoModelFactory):
    """An outsourced process with its business case entered."""

    class Meta:
        model = OutsourcedProcess

    programme = factory.SubFactory(ProgrammeFactory)
    contract = factory.SubFactory(ContractFactory)
    name = factory.Sequence(lambda n: f"Process {n}")
    category = OutsourcedProcess.Category.FULFILMENT
    criticality = OutsourcedProcess.Criticality.HIGH
    owner = factory.SubFactory(UserFactory)
    annual_outsourced_cost = Decimal("500000.00")
    projected_inhouse_annual_cost = Decimal("380000.00")
    one_off_transition_cost = Decimal("240000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    process = factory.SubFactory(OutsourcedProcessFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    kind = Milestone.Kind.PLANNING
    due_date = date(2027, 3, 31)


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    process = factory.SubFactory(OutsourcedProcessFactory)
    name = factory.Sequence(lambda n: f"Asset {n}")
    category = Asset.Category.EQUIPMENT
    transfer_method = Asset.TransferMethod.BUY_OUT
    book_value = Decimal("10000.00")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    process = factory.SubFactory(OutsourcedProcessFactory)
    name = factory.Faker("name")
    role = "Analyst"
    route = StaffMember.Route.TUPE
    annual_cost = Decimal("45000.00")


class ReadinessAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadinessAssessment

    process = factory.SubFactory(OutsourcedProcessFactory)
    assessed_on = date(2026, 11, 1)
    assessed_by = factory.SubFactory(UserFactory)
    expertise = 4
    workforce = 4
    infrastructure = 4
    systems_data = 4
    processes_controls = 4
