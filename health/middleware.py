"""Answer the load balancer's probes on the host names it uses (docs/operations.md).

Load balancers probe by IP address or an internal name that is not, and should not be, in
ALLOWED_HOSTS. For exactly /healthz and /readyz this middleware accepts a Host also listed in
HEALTH_ALLOWED_HOSTS and answers at once, before CommonMiddleware (whose get_host() would
refuse it) and before sessions, CSRF and axes. Every other path, and these paths on any other
host, go on unchanged: ALLOWED_HOSTS is never widened.

/metrics is answered here too, on every host: its view decides, and refuses any host but the
probe hosts (health/access.py), so the site's host name never shows it.

Place it after SecurityMiddleware, so the HTTPS redirect still applies unless the operator
exempts the probes (HEALTH_ALLOW_HTTP, settings SECURE_REDIRECT_EXEMPT).
"""

from . import views
from .access import is_site_or_probe_host

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}
METRICS = "/metrics"


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS:
            return views.metrics(request)
        view = PROBES.get(request.path_info)
        if view is not None and is_site_or_probe_host(request):
            return view(request)
        return self.get_response(request)
