"""Factories for providers and contracts."""

from datetime import date
from decimal import Decimal

import factory

from contracts.models import Contract, ServiceProvider
from tests.factories import UserFactory


class ServiceProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider

    name = factory.Sequence(lambda n: f"Provider {n}")
    legal_name = factory.LazyAttribute(lambda p: f"{p.name} Ltd")
    country = "GB"
    contact_email = factory.Sequence(lambda n: f"contact{n}@provider.example")


class ContractFactory(factory.django.DjangoModelFactory):
    """A yearly auto-renewing contract with three months' notice, ending 2027-12-31."""

    class Meta:
        model = Contract

    provider = factory.SubFactory(ServiceProviderFactory)
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    title = factory.Sequence(lambda n: f"Outsourcing agreement {n}")
    owner = factory.SubFactory(UserFactory)
    start_date = date(2023, 1, 1)
    end_date = date(2027, 12, 31)
    renewal = Contract.Renewal.AUTOMATIC
    renewal_term_months = 12
    notice_period = 3
    notice_unit = Contract.NoticeUnit.MONTHS
    annual_value = Decimal("250000.00")
    currency = "EUR"
