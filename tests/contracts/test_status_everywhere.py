"""Every contract status reads the same on the contract page, the list, the dashboard, the API."""

from datetime import date

import pytest
from django.urls import reverse

from contracts import dates
from contracts.models import Contract, ExitNotice
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory
from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

NO_RENEWAL = {"renewal": Contract.Renewal.NONE, "renewal_term_months": None}


def _under_notice(contract: Contract, processes: list[OutsourcedProcess], scope: str) -> None:
    notice = ExitNotice.objects.create(
        contract=contract,
        scope=scope,
        served_on=date(2026, 11, 20),
        exit_date=date(2027, 12, 31),
        served_by=contract.owner,
    )
    # Data as the workflow leaves it (the services are tested in tests/transition).
    OutsourcedProcess.objects.filter(pk__in=[p.pk for p in processes]).update(
        exit_notice=notice,
        state=OutsourcedProcess.State.EXIT_NOTICE,
        notice_served_on=notice.served_on,
        exit_date=notice.exit_date,
    )


def make(status: str) -> Contract:
    """A contract whose status on tests.clock.TODAY (24 Nov 2026) is `status`."""
    if status == dates.STATUS_NOT_STARTED:
        return ContractFactory(start_date=date(2027, 1, 1), end_date=date(2028, 12, 31))
    if status == dates.STATUS_ACTIVE:
        return ContractFactory()
    if status == dates.STATUS_DECISION_DUE:
        return ContractFactory(end_date=date(2027, 3, 31))  # notice by 31 Dec 2026
    if status == dates.STATUS_ENDING:
        return ContractFactory(end_date=date(2027, 1, 31), **NO_RENEWAL)  # deadline passed
    if status == dates.STATUS_EXPIRED:
        return ContractFactory(end_date=date(2026, 6, 30), **NO_RENEWAL)
    contract = ContractFactory()
    first = OutsourcedProcessFactory(contract=contract)
    second = OutsourcedProcessFactory(contract=contract)
    if status == dates.STATUS_UNDER_NOTICE:
        _under_notice(contract, [first, second], ExitNotice.Scope.WHOLE)
    else:
        _under_notice(contract, [first], ExitNotice.Scope.PROCESSES)
    return contract


@pytest.mark.parametrize("status", list(dates.STATUS_LABELS))
def test_the_status_reads_the_same_everywhere(client, status):
    contract = make(status)
    assert contract.status() == status
    label = contract.get_status_display()
    if status == dates.STATUS_UNDER_NOTICE:
        assert label == "Under notice — ends 31 Dec 2027"
    client.force_login(contract.owner)

    page = client.get(contract.get_absolute_url()).content.decode()
    listed = client.get(reverse("contracts:contract_list")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()
    api = client.get(f"/api/v1/contracts/{contract.pk}/").json()

    assert label in page
    assert label in listed
    assert label in dashboard
    assert api["status"] == status
    # The guidance a contract still to decide on shows, and one wholly under notice never.
    guidance = ("Next notice deadline", "Exit date if notice is served today")
    if status == dates.STATUS_UNDER_NOTICE:
        assert not [text for text in guidance if text in page]
        assert "decide now" not in page
    elif status in (dates.STATUS_ACTIVE, dates.STATUS_DECISION_DUE):
        assert all(text in page for text in guidance)
