"""Factories for RAID items."""

from datetime import date

import factory

from raid.models import RaidItem
from tests.transition.factories import OutsourcedProcessFactory


class RaidItemFactory(factory.django.DjangoModelFactory):
    """An open risk of a process, probability 3 × impact 3."""

    class Meta:
        model = RaidItem

    process = factory.SubFactory(OutsourcedProcessFactory)
    kind = RaidItem.Kind.RISK
    title = factory.Sequence(lambda n: f"Risk {n}")
    probability = 3
    impact = 3
    due_date = date(2027, 1, 31)
