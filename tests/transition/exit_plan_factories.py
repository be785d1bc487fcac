"""Factories for exit plans, rehearsals and remediation actions (rows as the services leave
them; tests of the services themselves go through the services)."""

from datetime import date

import factory

from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory
from transition.models import ExitPlan, Rehearsal, RemediationAction


class ExitPlanFactory(factory.django.DjangoModelFactory):
    """A complete draft; `approved=True` (a trait) makes it the version in force."""

    class Meta:
        model = ExitPlan

    process = factory.SubFactory(OutsourcedProcessFactory)
    version = factory.LazyAttribute(
        lambda plan: ExitPlan.objects.filter(process=plan.process).count() + 1
    )
    objectives = "Bring order fulfilment back in-house without a service gap."
    triggers = factory.LazyFunction(lambda: ["termination", "provider_failure"])
    business_impact = "Orders stop shipping within two days of a failure."
    roles = "Exit manager, warehouse lead, IT lead."
    resources = "Two warehouse teams, a WMS licence."
    success_criteria = "Orders shipped on time at 98% for four weeks."
    substitutability = ExitPlan.Substitutability.DIFFICULT
    reintegration = ExitPlan.Reintegration.EASY
    owner = factory.SubFactory(UserFactory)

    class Params:
        approved = factory.Trait(
            status=ExitPlan.Status.APPROVED,
            approved_on=date(2026, 3, 3),
            last_review_on=date(2026, 3, 3),
            next_review_due=date(2027, 3, 3),
        )


class RehearsalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rehearsal

    exit_plan = factory.SubFactory(ExitPlanFactory, approved=True)
    process = factory.SelfAttribute("exit_plan.process")
    held_on = date(2026, 9, 12)
    scenario = "The provider goes insolvent on a Monday."
    outcome = Rehearsal.Outcome.PARTIAL
    next_test_due = date(2027, 9, 12)


class RemediationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemediationAction

    rehearsal = factory.SubFactory(RehearsalFactory)
    title = factory.Sequence(lambda n: f"Fix finding {n}")
    due_date = date(2026, 12, 31)
