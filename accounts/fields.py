"""Choosing a person in a form or a list filter, named as the tables name them.

One label for every select and filter of people (accounts.selectors.person_name): a table
shows "Ann Archer", so the owner filter beside it does too, never "ann" or "user12".
"""

from django import forms
from django_filters import ModelChoiceFilter
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

from .selectors import person_name


class PersonLabelMixin:
    def label_from_instance(self, obj):
        return person_name(obj)


class PersonChoiceField(PersonLabelMixin, forms.ModelChoiceField):
    pass


class PersonMultipleChoiceField(PersonLabelMixin, forms.ModelMultipleChoiceField):
    pass


class PersonFilterField(PersonLabelMixin, FilterModelChoiceField):
    pass


class PersonFilter(ModelChoiceFilter):
    """A list filter by person (owner, lead, sponsor)."""

    field_class = PersonFilterField
