"""The scorecard in the API: /api/v1/kpis/ (with read-only rag, streak and latest) and
/api/v1/kpi-actuals/, the same rules and roles as the pages, and the gate on processes."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from tests.transition.scorecard_factories import (
    LAST_WEEK,
    KpiActualFactory,
    KpiFactory,
    process_in_transition,
)
from transition.models import Kpi, KpiActual

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # Tue 24 Nov 2026

KPIS = "/api/v1/kpis/"
ACTUALS = "/api/v1/kpi-actuals/"


@pytest.fixture
def led(project_lead):
    return process_in_transition(lead=project_lead)


@pytest.fixture
def kpi(led):
    return KpiFactory(process=led, name="Orders shipped on time")


def test_a_kpi_reads_with_its_rag_streak_and_latest_actual(client_for, viewer, kpi):
    KpiActualFactory(kpi=kpi, period_start=LAST_WEEK - timedelta(weeks=1), value=D("99"))
    KpiActualFactory(kpi=kpi, period_start=LAST_WEEK, value=D("98"))
    KpiFactory(process=OutsourcedProcessFactory())  # filtered out
    data = client_for(viewer).get(KPIS, {"process": kpi.process.pk}).json()
    assert data["count"] == 1
    [row] = data["results"]
    assert (row["name"], row["rag"], row["streak"]) == ("Orders shipped on time", "green", 2)
    assert row["latest"] == {
        "period_start": "2026-11-16",
        "value": "98.0000",
        "met": True,
        "counted": True,
    }


def test_the_lead_creates_a_kpi_and_posts_actuals(client_for, project_lead, led):
    client = client_for(project_lead)
    response = client.post(
        KPIS,
        {
            "process": led.pk,
            "name": "Tickets in SLA",
            "unit": "%",
            "direction": "higher",
            "period": "week",
            "baseline": "90",
            "target": "95",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rag"] == "grey"
    kpi_id = response.json()["id"]
    body = {"kpi": kpi_id, "period_start": "2026-11-16", "value": "96"}
    assert client.post(ACTUALS, body, format="json").status_code == 201
    # the same period again replaces the value
    again = client.post(ACTUALS, {**body, "value": "97"}, format="json")
    assert again.status_code == 201
    assert KpiActual.objects.get().value == D("97")
    patched = client.patch(f"{ACTUALS}{again.json()['id']}/", {"value": "94"}, format="json")
    assert patched.status_code == 200
    assert client.get(ACTUALS, {"process": led.pk}).json()["results"][0]["value"] == "94.0000"


def test_a_bad_period_is_a_400_naming_the_dates_and_nothing_is_written(
    client_for, operations_manager, kpi
):
    client = client_for(operations_manager)
    monday = client.post(
        ACTUALS, {"kpi": kpi.pk, "period_start": "2026-11-18", "value": "1"}, format="json"
    )
    assert monday.status_code == 400
    assert "did you mean 16 Nov 2026?" in monday.json()["period_start"][0]
    outside = client.post(
        ACTUALS, {"kpi": kpi.pk, "period_start": "2026-08-24", "value": "1"}, format="json"
    )
    assert outside.status_code == 400
    assert "outside the transition" in outside.json()["period_start"][0]
    assert not KpiActual.objects.exists()


def test_another_lead_and_a_viewer_are_refused(client_for, other_lead, viewer, kpi):
    actual = KpiActualFactory(kpi=kpi)
    for user in (other_lead, viewer):
        client = client_for(user)
        body = {"kpi": kpi.pk, "period_start": "2026-11-09", "value": "1"}
        assert client.post(ACTUALS, body, format="json").status_code == 403
        assert (
            client.patch(f"{ACTUALS}{actual.pk}/", {"value": "1"}, format="json").status_code == 403
        )
        assert client.delete(f"{KPIS}{kpi.pk}/").status_code == 403
    assert KpiActual.objects.count() == 1
    assert Kpi.objects.count() == 1


def test_a_kpi_stays_on_its_process(client_for, operations_manager, kpi):
    other = OutsourcedProcessFactory()
    response = client_for(operations_manager).patch(
        f"{KPIS}{kpi.pk}/", {"process": other.pk}, format="json"
    )
    assert response.status_code == 400


def test_the_process_takes_the_gate(client_for, operations_manager, led):
    client = client_for(operations_manager)
    response = client.patch(
        f"/api/v1/processes/{led.pk}/", {"scorecard_gate_periods": 3}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["scorecard_gate_periods"] == 3
    options = {o["name"]: o for o in response.json()["available_transitions"]}
    assert "no KPIs are defined" in options["complete"]["reasons"][-1]


def add_gated(lead, count):
    for _ in range(count):
        process = process_in_transition(lead=lead, scorecard_gate_periods=2)
        MilestoneFactory(process=process, status="done", completed_on=LAST_WEEK)
        kpi = KpiFactory(process=process)
        KpiActualFactory(kpi=kpi, period_start=LAST_WEEK, value=D("99"))


def test_the_process_list_with_gated_processes_costs_the_same_for_one_or_twenty(
    client_for, operations_manager, project_lead, django_assert_num_queries
):
    # test_query_counts.py's 13 for processes in transition, + the KPIs and their actuals
    # of the processes whose gate is on
    client = client_for(operations_manager)
    add_gated(project_lead, 1)
    with django_assert_num_queries(15):
        one = client.get("/api/v1/processes/")
    add_gated(project_lead, 19)
    with django_assert_num_queries(15):
        twenty = client.get("/api/v1/processes/")
    assert (one.json()["count"], twenty.json()["count"]) == (1, 20)
    reasons = twenty.json()["results"][0]["available_transitions"][0]["reasons"]
    assert "met its target 1 of the last 2 weeks" in reasons[0]


def test_the_kpi_list_costs_the_same_for_one_or_twenty(
    client_for, viewer, led, django_assert_num_queries
):
    client = client_for(viewer)
    KpiActualFactory(kpi=KpiFactory(process=led))
    # session, user, the count, the KPIs with their processes, their actuals
    with django_assert_num_queries(5):
        client.get(KPIS)
    for _ in range(19):
        KpiActualFactory(kpi=KpiFactory(process=led))
    with django_assert_num_queries(5):
        assert client.get(KPIS).json()["count"] == 20
