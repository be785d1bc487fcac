"""The scorecard pages: who sees and edits what, the forms' messages, the chart data kept
as data under the strict CSP, the card on the process page, and the page's query count."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.transition.scorecard_factories import (
    LAST_WEEK,
    KpiActualFactory,
    KpiFactory,
    process_in_transition,
)
from transition.models import Kpi, KpiActual

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # Tue 24 Nov 2026


@pytest.fixture
def process(project_lead):
    return process_in_transition(lead=project_lead, scorecard_gate_periods=2)


@pytest.fixture
def kpi(process):
    return KpiFactory(process=process, name="Orders shipped on time")


def scorecard(process):
    return reverse("transition:process_scorecard", args=[process.pk])


def test_a_viewer_reads_the_scorecard_but_is_offered_no_edits(client, viewer, kpi):
    KpiActualFactory(kpi=kpi, value=D("97.1"))
    client.force_login(viewer)
    response = client.get(scorecard(kpi.process))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Orders shipped on time" in page
    assert f'data-testid="kpi-streak-{kpi.pk}">0 / 2' in page
    assert "Near" in page  # 97.1 misses 98 but beats the baseline 96
    assert reverse("transition:kpi_create", args=[kpi.process.pk]) not in page
    for url in (
        reverse("transition:kpi_create", args=[kpi.process.pk]),
        reverse("transition:kpi_update", args=[kpi.pk]),
        reverse("transition:kpi_actual_record", args=[kpi.pk]),
        reverse("transition:kpi_period_actuals", args=[kpi.process.pk]),
    ):
        assert client.get(url).status_code == 403


def test_another_lead_may_not_record_an_actual(client, other_lead, kpi):
    client.force_login(other_lead)
    url = reverse("transition:kpi_actual_record", args=[kpi.pk])
    response = client.post(url, {"period_start": "2026-11-16", "value": "99"})
    assert response.status_code == 403
    assert not KpiActual.objects.exists()


def test_the_lead_adds_a_kpi_and_records_an_actual(client, project_lead, process):
    client.force_login(project_lead)
    response = client.post(
        reverse("transition:kpi_create", args=[process.pk]),
        {
            "name": "Tickets in SLA",
            "unit": "%",
            "direction": "higher",
            "period": "week",
            "baseline": "90",
            "target": "95",
        },
    )
    assert response.status_code == 302
    kpi = Kpi.objects.get(name="Tickets in SLA")
    url = reverse("transition:kpi_actual_record", args=[kpi.pk])
    assert client.get(url).context["form"].initial["period_start"] == LAST_WEEK
    response = client.post(url, {"period_start": "2026-11-16", "value": "96", "note": "ok"})
    assert response.status_code == 302
    assert KpiActual.objects.get().value == D("96")


def test_a_wrong_weekday_is_shown_on_the_field_and_nothing_is_written(
    client, operations_manager, kpi
):
    client.force_login(operations_manager)
    response = client.post(
        reverse("transition:kpi_actual_record", args=[kpi.pk]),
        {"period_start": "2026-11-18", "value": "99"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_start"] == [
        "A weekly KPI's period starts on a Monday: 18 Nov 2026 is a Wednesday; "
        "did you mean 16 Nov 2026?"
    ]
    assert not KpiActual.objects.exists()


def test_a_period_outside_the_transition_is_refused_on_the_page(client, operations_manager, kpi):
    client.force_login(operations_manager)
    response = client.post(
        reverse("transition:kpi_actual_record", args=[kpi.pk]),
        {"period_start": "2026-08-24", "value": "99"},
    )
    [message] = response.context["form"].errors["period_start"]
    assert "outside the transition" in message
    assert "3 Sep 2026" in message
    assert not KpiActual.objects.exists()


def test_the_bulk_form_records_a_week_for_every_weekly_kpi(client, project_lead, kpi):
    other = KpiFactory(process=kpi.process, name="Returns processed")
    client.force_login(project_lead)
    url = reverse("transition:kpi_period_actuals", args=[kpi.process.pk]) + "?period=week"
    response = client.post(
        url, {"period_start": "2026-11-16", f"kpi-{kpi.pk}": "99", f"kpi-{other.pk}": ""}
    )
    assert response.status_code == 302
    assert list(KpiActual.objects.values_list("kpi__name", flat=True)) == [kpi.name]


def test_the_bulk_form_refuses_a_bad_period_for_all(client, project_lead, kpi):
    client.force_login(project_lead)
    url = reverse("transition:kpi_period_actuals", args=[kpi.process.pk]) + "?period=week"
    response = client.post(url, {"period_start": "2026-11-30", f"kpi-{kpi.pk}": "99"})
    assert response.status_code == 200
    assert "has not started yet" in str(response.context["form"].errors)
    assert not KpiActual.objects.exists()


def test_a_kpi_name_with_a_script_tag_stays_data_in_the_chart(client, viewer, process):
    kpi = KpiFactory(process=process, name="</script><script>alert(1)</script>")
    KpiActualFactory(kpi=kpi, value=D("98.5"))
    client.force_login(viewer)
    page = client.get(scorecard(process)).content.decode()
    assert "<script>alert(1)" not in page
    assert '<script id="scorecard-chart-data" type="application/json">' in page
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in page
    chart = client.get(scorecard(process)).context["chart"]
    [drawn] = chart["kpis"]
    assert drawn["name"] == kpi.name
    assert drawn["labels"] == ["2026-11-16"]
    assert drawn["values"] == [98.5]
    assert (drawn["target"], drawn["baseline"]) == (98.0, 96.0)
    assert drawn["canvas"] == f"kpi-chart-{kpi.pk}"
    assert f'id="kpi-chart-{kpi.pk}"' in page
    assert "js/scorecard-charts.js" in page
    assert "<script>" not in page.replace("<script src=", "")  # no inline script


def test_the_process_page_shows_the_scorecard_card(client, viewer, kpi):
    KpiActualFactory(kpi=kpi, value=D("99"))
    client.force_login(viewer)
    page = client.get(kpi.process.get_absolute_url()).content.decode()
    assert 'data-testid="scorecard-card"' in page
    assert "Orders shipped on time" in page
    assert "Met" in page


def test_the_process_form_sets_the_gate(client, operations_manager, process):
    client.force_login(operations_manager)
    form = client.get(reverse("transition:process_update", args=[process.pk])).context["form"]
    assert "scorecard_gate_periods" in form.fields


def page_queries(client, process) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(scorecard(process)).status_code == 200
    return len(queries)


def test_the_scorecard_page_costs_the_same_for_one_kpi_or_twenty(client, operations_manager):
    client.force_login(operations_manager)
    small, large = process_in_transition(), process_in_transition()
    KpiActualFactory(kpi=KpiFactory(process=small))
    for n in range(20):
        kpi = KpiFactory(process=large)
        for week in range(5):
            start = LAST_WEEK - timedelta(weeks=week)
            KpiActualFactory(kpi=kpi, period_start=start, value=D(90 + n))
    page_queries(client, small)  # the session and the user, read once
    # session, user, the process with its programme and contract, the KPIs, their actuals,
    # the user's groups (may they edit) and the unread notifications of the menu
    assert page_queries(client, small) == page_queries(client, large) == 7


def test_every_scorecard_page_renders_for_an_operations_manager(client, operations_manager, kpi):
    actual = KpiActualFactory(kpi=kpi)
    client.force_login(operations_manager)
    for url in (
        scorecard(kpi.process),
        reverse("transition:kpi_create", args=[kpi.process.pk]),
        reverse("transition:kpi_update", args=[kpi.pk]),
        reverse("transition:kpi_delete", args=[kpi.pk]),
        reverse("transition:kpi_actual_record", args=[kpi.pk]) + "?period_start=2026-11-16",
        reverse("transition:kpi_actual_delete", args=[actual.pk]),
        reverse("transition:kpi_period_actuals", args=[kpi.process.pk]) + "?period=month",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("transition:kpi_actual_delete", args=[actual.pk]))
    assert response.url == scorecard(kpi.process)
    assert not KpiActual.objects.exists()
