"""Template context for every page: the signed-in user's unread notification count."""

from django.utils.functional import SimpleLazyObject

from .selectors import unread_notification_count


def notifications(request):
    """`unread_notification_count`, counted only if a template actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_notification_count(user))}
