"""History shows amounts with their currency, dates, choices and people as the pages do,
not "2750000.00 → 2800000.00" (core/changes.py, issue 16 item 9)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract
from contracts.selectors import contract_history
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_contract():
    before = UserFactory(username="ann", first_name="Ann", last_name="Archer")
    after = UserFactory(username="bob", first_name="Bob", last_name="Baker")
    contract = ContractFactory(
        owner=before,
        currency="GBP",
        annual_value=Decimal("2750000.00"),
        end_date=date(2026, 12, 16),
        renewal=Contract.Renewal.NONE,
        renewal_term_months=None,
    )
    contract.annual_value = Decimal("2800000.00")
    contract.end_date = date(2027, 12, 16)
    contract.renewal = Contract.Renewal.AUTOMATIC
    contract.renewal_term_months = 12
    contract.owner = after
    contract.save()
    return contract


def test_the_contract_history_formats_each_change(changed_contract):
    latest = contract_history(changed_contract)[0]

    changes = {change.field: (change.old, change.new) for change in latest.changes}
    assert changes["annual value"] == ("GBP 2,750,000.00", "GBP 2,800,000.00")
    assert changes["end date"] == ("16 Dec 2026", "16 Dec 2027")
    assert changes["renewal"] == ("No renewal", "Automatic renewal")
    assert changes["owner"] == ("Ann Archer", "Bob Baker")


def test_the_admin_history_formats_each_change(admin_client, changed_contract):
    url = reverse("admin:contracts_contract_history", args=[changed_contract.pk])

    html = admin_client.get(url).content.decode()

    assert "GBP 2,750,000.00\n" in html
    assert "&nbsp;&rarr;&nbsp;&nbsp;GBP 2,800,000.00" in html
    assert "&nbsp;&rarr;&nbsp;&nbsp;16 Dec 2027" in html
    assert "&nbsp;&rarr;&nbsp;&nbsp;Automatic renewal" in html
    assert "&nbsp;&rarr;&nbsp;&nbsp;Bob Baker" in html
    assert "2800000.00" not in html
