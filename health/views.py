"""/healthz and /readyz (docs/operations.md, "Health checks").

Served by health.middleware.HealthProbeMiddleware before the session, CSRF, axes and
CommonMiddleware (no session, no login, no cookie); the URL patterns are the fallback and
what reverse() names.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from .checks import readiness


@require_safe
def healthz(request):
    """Liveness: the process serves requests. No database, no broker."""
    response = HttpResponse(b"ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


@require_safe
def readyz(request):
    """Readiness of this web node: 200 when ready, 503 otherwise (health/checks.py)."""
    state = readiness()
    response = JsonResponse(state.as_json(), status=200 if state.ready else 503)
    add_never_cache_headers(response)
    return response
