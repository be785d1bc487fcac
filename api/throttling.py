"""Rate limits of the API (docs/api.md, "Rate limits"): sign-ins for a token by client
address, and writes by user, each at a rate the operator sets (API_THROTTLE_RATES).

The counts live in Django's cache: with REDIS_URL set, one Redis shared by every worker and
host; without it, each process counts on its own (development). The client address is the
one sign-in lockouts use (`accounts.network.client_ip`), so a trusted proxy's
X-Forwarded-For is believed and a client's own is not.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.network import client_ip

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ConfiguredRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from settings on every request (so a test or an
    operator's override applies at once); None: no limit."""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        # SimpleRateThrottle parses the rate when the throttle is made; read it again here.
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenRateThrottle(ConfiguredRateThrottle):
    """Requests for a token, counted per client address whatever the username (axes locks
    one username out after repeated failures; this bounds guessing across usernames)."""

    scope = "token"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or ""}


class WriteRateThrottle(ConfiguredRateThrottle):
    """Writes (POST, PUT, PATCH, DELETE) counted per user, or per address when anonymous;
    reads are never limited here."""

    scope = "writes"

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else client_ip(request)
        return self.cache_format % {"scope": self.scope, "ident": ident or ""}
