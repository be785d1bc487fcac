"""Who may ask the health and metrics addresses (docs/operations.md): the one rule for the
probe host names, shared by /healthz, /readyz and /metrics."""

import hmac

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host


def is_probe_host(request: HttpRequest) -> bool:
    """The Host header names one of HEALTH_ALLOWED_HOSTS (loopback always). Only the Host
    header: a probe or a scraper is never proxied, so X-Forwarded-Host is not believed."""
    domain, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
    return bool(domain) and validate_host(domain, settings.HEALTH_ALLOWED_HOSTS)


def is_site_or_probe_host(request: HttpRequest) -> bool:
    """A host of the site (ALLOWED_HOSTS, as for every page) or a probe host."""
    try:
        request.get_host()
    except DisallowedHost:
        return is_probe_host(request)
    return True


def metrics_refusal(request: HttpRequest) -> HttpResponse | None:
    """Why /metrics is not shown to this request, as a response; None when it may be.

    Only on a probe host: the site's own host name never serves it (404, as if absent). With
    METRICS_TOKEN set, the request must also carry it as a bearer token (401)."""
    if not is_probe_host(request):
        return HttpResponse(b"Not Found", status=404, content_type="text/plain")
    token = settings.METRICS_TOKEN
    if token:
        scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            response = HttpResponse(b"Unauthorized", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return None
