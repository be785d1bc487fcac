"""HTTPS for every host name but a trial on this machine (docs/operations.md, "Host names and
HTTPS").

Production redirects plain HTTP to HTTPS and marks the session and CSRF cookies Secure, so a
first trial of `docker compose up` on http://localhost:8000 could not log in: the browser is
sent to an https:// address nobody serves, and a browser may drop Secure cookies on http.
With HTTP_LOOPBACK_TRIAL on, a plain-HTTP request whose Host is a loopback name (localhost,
127.0.0.1, [::1]) is answered without the redirect, and that response's cookies are sent
without the Secure flag. Every other request is Django's SecurityMiddleware unchanged:
redirected to HTTPS, Secure cookies, HSTS over HTTPS.

The Host header is the client's to choose, so the exemption reaches only host names the
operator lists in DJANGO_ALLOWED_HOSTS (get_host() refuses the others): a production site
lists no loopback name there, and then nothing is served over plain HTTP.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host
from django.middleware.security import SecurityMiddleware

LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def is_loopback_http_trial(request) -> bool:
    """A plain-HTTP request for a loopback host name that ALLOWED_HOSTS lets in, while the
    trial is allowed."""
    if not settings.HTTP_LOOPBACK_TRIAL or request.is_secure():
        return False
    try:
        host = request.get_host()
    except DisallowedHost:
        # Not ours to refuse here: Django's redirect (or an exempt health probe) decides.
        return False
    domain, _port = split_domain_port(host)
    return validate_host(domain, LOOPBACK_HOSTS)


class LoopbackTrialSecurityMiddleware(SecurityMiddleware):
    """Django's SecurityMiddleware, minus the HTTPS redirect and the cookies' Secure flag on
    a loopback plain-HTTP trial (module docstring). Django's deploy checks look for their
    class by its dotted path; web/checks.py checks this one instead."""

    def process_request(self, request):
        request.loopback_http_trial = is_loopback_http_trial(request)
        if request.loopback_http_trial:
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "loopback_http_trial", False):
            # Every cookie, not only session and CSRF: the messages cookie follows
            # SESSION_COOKIE_SECURE too, and a Secure cookie on http may be dropped.
            for morsel in response.cookies.values():
                morsel["secure"] = False
        return response
