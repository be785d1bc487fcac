"""The provider page shows when each contract's current term ends (issue 16, item 9)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory, ServiceProviderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_an_auto_renewing_contract_shows_its_current_term_end(client, viewer):
    provider = ServiceProviderFactory()
    contract = ContractFactory(
        provider=provider,
        start_date=date(2022, 3, 1),
        end_date=date(2025, 2, 28),
        renewal="automatic",
        renewal_term_months=12,
    )
    client.force_login(viewer)

    page = client.get(reverse("contracts:provider_detail", args=[provider.pk])).content.decode()

    assert contract.current_term_end() == date(2027, 2, 28)
    assert "Current term ends</span> 28 Feb 2027" in page
    assert "28 Feb 2025" not in page


def test_a_fixed_term_contract_shows_its_end_date(client, viewer):
    provider = ServiceProviderFactory()
    ContractFactory(
        provider=provider,
        start_date=date(2024, 1, 1),
        end_date=date(2027, 6, 30),
        renewal="none",
    )
    client.force_login(viewer)

    page = client.get(reverse("contracts:provider_detail", args=[provider.pk])).content.decode()

    assert "30 Jun 2027" in page
    assert "Current term ends" not in page
