"""Each signed-in person's pages show moments in their own time zone (docs/reminders.md,
"Time zones").

The zone's name rides in the session, put there at sign-in and when the person changes it
on their profile, so a page costs no query for it: the session is read anyway to know who
is signed in. Dates are untouched: `core.clock.local_today()` stays the site's day.
"""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .zones import zone_of

SESSION_KEY = "accounts_time_zone"


def remember_time_zone(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_in`: keep the person's zone in their new session."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = selectors.time_zone_name(user=user)


class TimeZoneMiddleware:
    """Activate the signed-in person's zone for the request (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = self._zone_name(request)
        if name:
            timezone.activate(zone_of(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _zone_name(request) -> str:
        session = getattr(request, "session", None)
        if session is None:
            return ""
        name = session.get(SESSION_KEY)
        if name is None:
            # A session from before sign-in kept the zone: read it once, then keep it.
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return ""
            name = session[SESSION_KEY] = selectors.time_zone_name(user=user)
        return name
