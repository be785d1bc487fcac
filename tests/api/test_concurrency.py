"""Ten simultaneous API calls of one transition: one 200, nine 409 with a reason."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.models import ProcessEvent

ATTEMPTS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_transitions_give_one_success_and_conflicts():
    olivia = UserFactory(username="olivia", role="Operations managers")
    process = OutsourcedProcessFactory(contract=ContractFactory(owner=olivia), owner=olivia)
    ReadinessAssessmentFactory(process=process, assessed_by=olivia)
    barrier = Barrier(ATTEMPTS)

    def attempt(_n):
        client = APIClient()
        client.force_authenticate(olivia)
        barrier.wait()
        try:
            response = client.post(f"/api/v1/processes/{process.pk}/transitions/serve_exit_notice/")
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))

    statuses = sorted(status for status, _body in results)
    assert statuses == [200] + [409] * (ATTEMPTS - 1)
    assert all(body["reasons"] for status, body in results if status == 409)
    assert ProcessEvent.objects.count() == 1
