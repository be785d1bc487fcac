"""The admin index's "Reminder delivery" box (templates/admin/index.html)."""

from django import template
from django.utils import timezone

from ..selectors_delivery import DeliveryHealth, reminder_delivery_health

register = template.Library()


@register.simple_tag
def reminder_delivery() -> DeliveryHealth:
    """Failing and stuck reminders right now, as the metrics count them."""
    return reminder_delivery_health(timezone.now())
