"""Recording KPIs and actuals through the services: period rules, the transition's window,
re-entering a period, all-or-nothing bulk entry, and who may write (docs/domain.md, Roles)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.transition.factories import OutsourcedProcessFactory
from tests.transition.scorecard_factories import (
    LAST_WEEK,
    KpiActualFactory,
    KpiFactory,
    process_in_transition,
)
from transition import services
from transition.models import Kpi, KpiActual

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # Tue 24 Nov 2026


@pytest.fixture
def kpi(project_lead):
    return KpiFactory(process=process_in_transition(lead=project_lead), name="Orders on time")


def record(actor, kpi, start, value="99", note=""):
    return services.kpi_actual_record(
        actor=actor, kpi=kpi, period_start=start, value=D(value), note=note
    )


def test_an_actual_is_recorded_for_a_completed_week(operations_manager, kpi):
    actual = record(operations_manager, kpi, LAST_WEEK, "98.5", "first week")
    assert (actual.value, actual.note) == (D("98.5"), "first week")


def test_recording_a_week_again_updates_it_and_keeps_the_history(operations_manager, kpi):
    first = record(operations_manager, kpi, LAST_WEEK, "97")
    second = record(operations_manager, kpi, LAST_WEEK, "99")
    assert second.pk == first.pk
    assert KpiActual.objects.get().value == D("99")
    assert [h.value for h in first.history.order_by("history_date")] == [D("97"), D("99")]


def test_a_week_not_starting_on_monday_is_refused_and_nothing_is_written(operations_manager, kpi):
    with pytest.raises(ValidationError) as caught:
        record(operations_manager, kpi, date(2026, 11, 18))
    assert caught.value.message_dict["period_start"] == [
        "A weekly KPI's period starts on a Monday: 18 Nov 2026 is a Wednesday; "
        "did you mean 16 Nov 2026?"
    ]
    assert not KpiActual.objects.exists()


def test_a_period_outside_the_transition_is_refused_naming_the_dates(operations_manager, kpi):
    with pytest.raises(ValidationError) as caught:
        record(operations_manager, kpi, date(2026, 8, 24))
    [message] = caught.value.message_dict["period_start"]
    assert "outside the transition of" in message
    for day in ("31 Aug 2026", "3 Sep 2026", "30 Jun 2027"):
        assert day in message
    assert not KpiActual.objects.exists()


def test_a_period_that_has_not_started_is_refused(operations_manager, kpi):
    with pytest.raises(ValidationError, match="has not started yet"):
        record(operations_manager, kpi, date(2026, 11, 30))


def test_a_process_not_under_notice_takes_no_actuals(operations_manager):
    kpi = KpiFactory(process=OutsourcedProcessFactory())
    with pytest.raises(ValidationError, match="is not under exit notice"):
        record(operations_manager, kpi, LAST_WEEK)


def test_editing_an_actual_onto_a_recorded_period_is_refused(operations_manager, kpi):
    KpiActualFactory(kpi=kpi, period_start=LAST_WEEK)
    other = KpiActualFactory(kpi=kpi, period_start=date(2026, 11, 9))
    with pytest.raises(ValidationError, match="already has an actual for the week of 16 Nov"):
        services.kpi_actual_save(actor=operations_manager, actual=other, period_start=LAST_WEEK)


def test_the_bulk_entry_writes_every_kpi_or_none(operations_manager, kpi):
    monthly = KpiFactory(process=kpi.process, name="Accuracy", period=Kpi.Period.MONTH)
    with pytest.raises(ValidationError) as caught:
        services.kpi_actuals_record_period(
            actor=operations_manager,
            process=kpi.process,
            period_start=LAST_WEEK,
            values={kpi: (D("99"), ""), monthly: (D("99"), "")},
        )
    assert list(caught.value.message_dict) == [f"kpi-{monthly.pk}"]
    assert "Accuracy: A monthly KPI's period starts on the 1st" in str(caught.value)
    assert not KpiActual.objects.exists()  # not even the weekly one


def test_changing_how_often_a_kpi_is_measured_is_refused_once_it_has_actuals(
    operations_manager, kpi
):
    KpiActualFactory(kpi=kpi)
    with pytest.raises(ValidationError, match="delete them before changing"):
        services.kpi_update(kpi=kpi, actor=operations_manager, period=Kpi.Period.MONTH)


def test_a_kpi_name_is_unique_in_its_process(operations_manager, kpi):
    with pytest.raises(ValidationError):
        services.kpi_create(
            actor=operations_manager, process=kpi.process, name=kpi.name, target=D("1")
        )


# Roles


def test_the_lead_of_the_process_writes_its_scorecard(project_lead, kpi):
    services.kpi_create(actor=project_lead, process=kpi.process, name="Tickets", target=D("95"))
    record(project_lead, kpi, LAST_WEEK)
    assert KpiActual.objects.count() == 1


def test_another_lead_and_a_viewer_may_not(other_lead, viewer, kpi):
    for actor in (other_lead, viewer):
        with pytest.raises(PermissionDenied):
            record(actor, kpi, LAST_WEEK)
        with pytest.raises(PermissionDenied):
            services.kpi_create(actor=actor, process=kpi.process, name="X", target=D("1"))
        with pytest.raises(PermissionDenied):
            services.kpi_delete(kpi=kpi, actor=actor)
    assert not KpiActual.objects.exists()
    assert Kpi.objects.count() == 1
