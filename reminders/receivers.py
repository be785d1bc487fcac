"""Receivers of lower layers' hooks (core/signals.py) that are not re-planning."""

from django.contrib.contenttypes.models import ContentType

from .models import Notification


def forget_purged_people(sender, ids, **kwargs) -> None:
    """A notification's title named its deadline's person (the ELI reminder: "Employee
    liability information for <name>…"): when that person's data is purged, their
    notifications go too (docs/operations.md, "Privacy: staff personal data and audit
    history"). E-mails already sent cannot be recalled."""
    Notification.objects.filter(
        reminder__content_type=ContentType.objects.get_for_model(sender),
        reminder__object_id__in=ids,
    ).delete()
