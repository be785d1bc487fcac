"""Building blocks of every serializer: dates in a plausible range, writes through services."""

from __future__ import annotations

from datetime import date

from django.db import models
from rest_framework import serializers

from accounts.selectors import (
    operations_managers,
    plan_owner_refusal,
    plan_owners,
    process_lead_refusal,
    process_owner_refusal,
    project_leads,
)

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.


EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class PlausibleDateField(serializers.DateField):
    """An ISO date between 1900 and 2199."""

    default_error_messages = {
        "out_of_range": "Enter a date between {earliest} and {latest}.",
    }

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not EARLIEST <= result <= LATEST:
            self.fail("out_of_range", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())
        return result


class ServiceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose writes go through a service with the request's user as actor."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: PlausibleDateField,
    }

    @property
    def actor(self):
        return self.context["request"].user


def check_person(serializer, field: str, person, eligible, refusal):
    """`person` may hold `field` by the role rule `eligible` (accounts/selectors.py); the
    current holder stays valid after a change of role, as on the pages."""
    current = getattr(getattr(serializer, "instance", None), f"{field}_id", None)
    changed = person is not None and person.pk != current
    if changed and not eligible().filter(pk=person.pk).exists():
        raise serializers.ValidationError(refusal(person))
    return person


class PlanOwnerMixin:
    """`owner` is someone who may own the item (accounts.selectors.plan_owners)."""

    def validate_owner(self, owner):
        return check_person(self, "owner", owner, plan_owners, plan_owner_refusal)


class ProcessPeopleMixin:
    """A process's owner is an operations manager, its lead a project lead."""

    def validate_owner(self, owner):
        return check_person(self, "owner", owner, operations_managers, process_owner_refusal)

    def validate_lead(self, lead):
        return check_person(self, "lead", lead, project_leads, process_lead_refusal)


# Register
