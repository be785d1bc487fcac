"""A page that fails, for tests/health/test_sentry.py."""

from django.urls import include, path


class ObservabilityProbeError(Exception):
    """Raised on purpose: its name is what the error report must carry."""


def explode(request):
    raise ObservabilityProbeError("the page broke on purpose")


# The site's own addresses too: the error page links to them.
urlpatterns = [path("explode/", explode), path("", include("backsourcing.urls"))]
