"""Register services: validated writes, protected deletes, history with the actor."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models.deletion import RestrictedError

from contracts.models import Contract, ServiceProvider
from contracts.services import (
    contract_create,
    contract_delete,
    contract_update,
    provider_create,
    provider_delete,
    provider_update,
)
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import OutsourcedProcessFactory

pytestmark = pytest.mark.django_db


def contract_fields(**overrides) -> dict:
    fields = {
        "provider": ServiceProviderFactory(),
        "reference": "MSA-2024-01",
        "title": "Warehouse fulfilment",
        "owner": overrides.pop("owner", None),
        "start_date": date(2024, 1, 1),
        "end_date": date(2026, 12, 31),
        "renewal": "automatic",
        "renewal_term_months": 12,
        "notice_period": 6,
        "notice_unit": "months",
        "annual_value": Decimal("480000.00"),
        "currency": "GBP",
    }
    return fields | overrides


def test_contract_create_saves_valid_terms(operations_manager):
    contract = contract_create(
        actor=operations_manager, **contract_fields(owner=operations_manager)
    )
    assert Contract.objects.get(pk=contract.pk).notice_period_display == "6 months"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": date(2023, 12, 31)}, "end_date"),
        ({"renewal_term_months": None}, "renewal_term_months"),
        ({"renewal_term_months": 0}, "renewal_term_months"),
        ({"notice_period": 37}, "notice_period"),
        ({"notice_unit": "days", "notice_period": 1097}, "notice_period"),
        ({"annual_value": Decimal("-1")}, "annual_value"),
        ({"termination_fee": Decimal("-0.01")}, "termination_fee"),
        ({"currency": "XYZ"}, "currency"),
        ({"governing_country": "ZZ"}, "governing_country"),
    ],
)
def test_contract_create_rejects_invalid_terms_by_field_and_writes_nothing(
    operations_manager, overrides, field
):
    fields = contract_fields(owner=operations_manager, **overrides)
    with pytest.raises(ValidationError) as caught:
        contract_create(actor=operations_manager, **fields)
    assert field in caught.value.message_dict
    assert not Contract.objects.exists()


def test_contract_reference_is_unique(operations_manager):
    ContractFactory(reference="MSA-2024-01")
    with pytest.raises(ValidationError) as caught:
        contract_create(actor=operations_manager, **contract_fields(owner=operations_manager))
    assert "reference" in caught.value.message_dict


def test_contract_update_records_the_actor_in_history(operations_manager):
    contract = ContractFactory(title="Old title")
    contract_update(contract=contract, actor=operations_manager, title="New title")
    latest = contract.history.latest()
    assert latest.title == "New title"
    assert latest.history_user == operations_manager


def test_contract_update_with_invalid_terms_leaves_the_row_unchanged(operations_manager):
    contract = ContractFactory()
    with pytest.raises(ValidationError):
        contract_update(contract=contract, actor=operations_manager, end_date=date(2020, 1, 1))
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 12, 31)


def test_provider_name_is_unique_and_country_checked(operations_manager):
    ServiceProviderFactory(name="Acme Logistics")
    with pytest.raises(ValidationError) as caught:
        provider_create(actor=operations_manager, name="Acme Logistics", country="XX")
    assert set(caught.value.message_dict) == {"name", "country"}


def test_provider_update_saves_changes(operations_manager):
    provider = ServiceProviderFactory()
    provider_update(provider=provider, actor=operations_manager, website="https://acme.example")
    provider.refresh_from_db()
    assert provider.website == "https://acme.example"


def test_deleting_a_provider_with_contracts_is_refused_naming_them(operations_manager):
    contract = ContractFactory()
    with pytest.raises(ValidationError) as caught:
        provider_delete(provider=contract.provider, actor=operations_manager)
    assert caught.value.messages == [
        f"“{contract.provider}” cannot be deleted while contracts refer to it."
    ]
    assert ServiceProvider.objects.filter(pk=contract.provider_id).exists()
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_deleting_a_contract_with_processes_is_refused_naming_them(operations_manager):
    process = OutsourcedProcessFactory()
    with pytest.raises(ValidationError) as caught:
        contract_delete(contract=process.contract, actor=operations_manager)
    assert "outsourced processes refer to it" in caught.value.messages[0]
    assert Contract.objects.filter(pk=process.contract_id).exists()


def test_an_unreferenced_provider_and_contract_can_be_deleted(operations_manager):
    contract = ContractFactory()
    provider = contract.provider
    contract_delete(contract=contract, actor=operations_manager)
    provider_delete(provider=provider, actor=operations_manager)
    assert not Contract.objects.exists()
    assert not ServiceProvider.objects.exists()


def test_a_restricted_delete_is_refused_with_the_same_message(operations_manager, monkeypatch):
    contract = ContractFactory()

    def restricted(self, *args, **kwargs):
        raise RestrictedError("restricted", {contract})

    monkeypatch.setattr(ServiceProvider, "delete", restricted)
    with pytest.raises(ValidationError) as caught:
        provider_delete(provider=contract.provider, actor=operations_manager)
    assert caught.value.messages == [
        f"“{contract.provider}” cannot be deleted while contracts refer to it."
    ]
