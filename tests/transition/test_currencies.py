"""Every amount knows its currency (docs/money.md): defaults, refusals, and the migration."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contracts.forms import ContractForm
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    AssetFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    StaffMemberFactory,
)
from transition.forms import ProcessForm, ProgrammeForm
from transition.models import Asset, OutsourcedProcess, Programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_a_process_without_a_currency_counts_in_its_contracts():
    process = OutsourcedProcessFactory(contract=ContractFactory(currency="GBP"))

    assert process.currency == "GBP"


def test_a_process_keeps_a_currency_of_its_own():
    process = OutsourcedProcessFactory(contract=ContractFactory(currency="GBP"), currency="USD")

    assert OutsourcedProcess.objects.get(pk=process.pk).currency == "USD"


def test_assets_and_staff_take_their_process_currency_unless_they_name_one():
    process = OutsourcedProcessFactory(contract=ContractFactory(currency="GBP"))

    assert AssetFactory(process=process).currency == "GBP"
    assert AssetFactory(process=process, currency="EUR").currency == "EUR"
    assert StaffMemberFactory(process=process).currency == "GBP"


def _process_data(process: OutsourcedProcess, **changes) -> dict:
    data = {
        "programme": process.programme_id,
        "contract": process.contract_id,
        "name": process.name,
        "category": process.category,
        "criticality": process.criticality,
        "owner": process.owner_id,
        "currency": "",
    }
    return {**data, **changes}


def test_the_process_form_defaults_an_empty_currency_to_the_contracts(operations_manager):
    process = OutsourcedProcessFactory(
        owner=operations_manager, contract=ContractFactory(currency="USD")
    )
    form = ProcessForm(_process_data(process), instance=process, user=operations_manager)

    assert form.is_valid(), form.errors
    assert form.save().currency == "USD"


def test_the_process_form_refuses_an_unknown_currency_on_its_field(operations_manager):
    process = OutsourcedProcessFactory(owner=operations_manager)
    form = ProcessForm(_process_data(process, currency="XYZ"), instance=process)

    assert not form.is_valid()
    assert list(form.errors) == ["currency"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("case_horizon_years", 0), ("case_horizon_years", 31), ("discount_rate", "-1")],
)
def test_the_programme_form_names_a_horizon_or_rate_out_of_range(field, value):
    programme = ProgrammeFactory()
    data = {
        "name": programme.name,
        "start_date": programme.start_date,
        "target_date": programme.target_date,
        "budget": "0",
        field: value,
    }

    form = ProgrammeForm(data, instance=programme)

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_a_programme_left_without_currency_or_horizon_takes_the_defaults(settings):
    settings.REPORTING_CURRENCY = "GBP"
    programme = ProgrammeFactory()
    data = {
        "name": programme.name,
        "start_date": programme.start_date,
        "target_date": programme.target_date,
        "budget": "100",
    }

    form = ProgrammeForm(data, instance=programme)

    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.currency, saved.case_horizon_years) == ("GBP", 5)


def test_the_contract_form_refuses_a_negative_indexation_on_its_field(operations_manager):
    contract = ContractFactory(owner=operations_manager)
    form = ContractForm(instance=contract)
    data = {name: form[name].value() for name in form.fields}
    data["annual_indexation"] = "-2"

    bound = ContractForm({k: v for k, v in data.items() if v is not None}, instance=contract)

    assert not bound.is_valid()
    assert "annual_indexation" in bound.errors


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_amounts_their_contracts_currency():
    executor = MigrationExecutor(connection)
    before = [("contracts", "0006_exit_notice"), ("transition", "0003_carry_notices_over")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="owner")
    provider = old.get_model("contracts", "ServiceProvider").objects.create(name="Acme")
    contract = old.get_model("contracts", "Contract").objects.create(
        provider=provider,
        owner=user,
        reference="C-1",
        title="Payroll",
        start_date="2025-01-01",
        end_date="2027-12-31",
        currency="GBP",
    )
    programme = old.get_model("transition", "Programme").objects.create(
        name="Back", start_date="2026-01-01", target_date="2027-01-01"
    )
    process = old.get_model("transition", "OutsourcedProcess").objects.create(
        programme=programme, contract=contract, name="Payroll", category="finance", owner=user
    )
    old.get_model("transition", "Asset").objects.create(
        process=process, name="Server", category="it", transfer_method="purchase"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert OutsourcedProcess.objects.get(pk=process.pk).currency == "GBP"
    assert Asset.objects.get(name="Server").currency == "GBP"
    assert Programme.objects.get(pk=programme.pk).budget == Decimal(0)
