"""Tags for history pages: a changed field's old and new value as the pages show them.

django-simple-history's admin history (templates/simple_history/object_history_list.html)
hands its template each change as text ("2750000.00", "2026-12-16", "automatic", a
username); these read the text back through the model field and write it as every page
does (core/changes.py).
"""

from django import template
from django.contrib.auth import get_user_model
from django.utils.text import capfirst

from core.changes import field_display, person_or_name, stored_display

register = template.Library()


@register.simple_tag
def change_value(opts, record, field_label, value) -> str:
    """`value` of the field labelled `field_label` on the model of `opts`, for people.

    Amounts take the currency of the history record shown (`record`).
    """
    field = next(
        (f for f in opts.concrete_fields if str(capfirst(f.verbose_name)) == str(field_label)),
        None,
    )
    if field is None:
        return str(value)
    currency = getattr(record, "currency", "") or ""
    if field.is_relation and field.related_model is get_user_model() and value:
        # The history names a person by username; the pages by full name.
        person = get_user_model().objects.filter(username=str(value)).first()
        return person_or_name(person) if person else str(value)
    if field.is_relation:
        return field_display(field, str(value), currency=currency)
    return stored_display(field, value, currency=currency)
