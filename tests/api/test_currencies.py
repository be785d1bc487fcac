"""A process's currency through the API (docs/money.md)."""

import pytest

from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_the_api_refuses_an_unknown_currency_naming_the_field(ops_client, process):
    response = ops_client.patch(
        f"/api/v1/processes/{process.pk}/", {"currency": "EURO"}, format="json"
    )

    assert response.status_code == 400
    assert "currency" in response.json()
    assert OutsourcedProcess.objects.get(pk=process.pk).currency == process.currency


def test_the_api_gives_a_process_its_currency(ops_client, process):
    data = ops_client.get(f"/api/v1/processes/{process.pk}/").json()

    assert data["currency"] == process.contract.currency
