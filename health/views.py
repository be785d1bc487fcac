"""/healthz, /readyz (docs/operations.md, "Health checks") and /metrics ("Logs, metrics and
errors").

Served by health.middleware.HealthProbeMiddleware before the session, CSRF, axes and
CommonMiddleware (no session, no login, no cookie); the URL patterns are the fallback and
what reverse() names.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import generate_latest

from .access import metrics_refusal
from .checks import readiness
from .metrics import registry


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


@require_safe
def metrics(request):
    """Prometheus: django-prometheus's request and process metrics, then the reminder gauges
    (health/metrics.py). Only for probe hosts, with METRICS_TOKEN when set (health/access.py)."""
    refusal = metrics_refusal(request)
    if refusal is not None:
        return refusal
    response = ExportToDjangoView(request)
    response.content += generate_latest(registry)
    add_never_cache_headers(response)
    return response
