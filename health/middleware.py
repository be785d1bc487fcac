"""Answer the load balancer's probes on the host names it uses (docs/operations.md).

Load balancers probe by IP address or an internal name that is not, and should not be, in
ALLOWED_HOSTS. For exactly /healthz and /readyz this middleware accepts a Host also listed in
HEALTH_ALLOWED_HOSTS and answers at once, before CommonMiddleware (whose get_host() would
refuse it) and before sessions, CSRF and axes. Every other path, and these paths on any other
host, go on unchanged: ALLOWED_HOSTS is never widened.

Place it after SecurityMiddleware, so the HTTPS redirect still applies unless the operator
exempts the probes (HEALTH_ALLOW_HTTP, settings SECURE_REDIRECT_EXEMPT).
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host

from . import views

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


def _host_allowed(request) -> bool:
    try:
        request.get_host()  # ALLOWED_HOSTS, as for every page
    except DisallowedHost:
        pass
    else:
        return True
    # Only the Host header: a probe is never proxied, so X-Forwarded-Host is not believed.
    domain, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
    return bool(domain) and validate_host(domain, settings.HEALTH_ALLOWED_HOSTS)


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info)
        if view is not None and _host_allowed(request):
            return view(request)
        return self.get_response(request)
