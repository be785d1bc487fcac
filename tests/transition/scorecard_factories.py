"""Factories and a process under notice for the scorecard tests (tests.clock.TODAY is
Tuesday 24 Nov 2026: the week in progress starts Monday 23 Nov, the latest completed week
started Monday 16 Nov)."""

from datetime import date
from decimal import Decimal

import factory

from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory
from transition.models import Kpi, KpiActual, OutsourcedProcess

SERVED = date(2026, 9, 3)  # a Thursday: the first week of the window starts Mon 31 Aug
EXIT = date(2027, 3, 31)  # plus 3 months' assistance: to 30 Jun 2027 (week of 28 Jun)
LAST_WEEK = date(2026, 11, 16)
THIS_WEEK = date(2026, 11, 23)


def process_in_transition(**fields) -> OutsourcedProcess:
    """A process in transition under notice served on SERVED, exiting on EXIT."""
    fields.setdefault("contract", ContractFactory(exit_assistance_months=3))
    fields.setdefault("state", OutsourcedProcess.State.TRANSITION)
    return OutsourcedProcessFactory(notice_served_on=SERVED, exit_date=EXIT, **fields)


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    process = factory.LazyFunction(process_in_transition)
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = "%"
    direction = Kpi.Direction.HIGHER
    period = Kpi.Period.WEEK
    baseline = Decimal("96")
    target = Decimal("98")


class KpiActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiActual

    kpi = factory.SubFactory(KpiFactory)
    period_start = LAST_WEEK
    value = Decimal("99")
