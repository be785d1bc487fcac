"""Root URLs: admin, accounts, the apps' pages and the API."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

admin.site.site_header = "Backsourcing administration"
admin.site.site_title = "Backsourcing admin"


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name none (the admin's). Resolved per
    # request: the static manifest exists only after collectstatic.
    return HttpResponseRedirect(static("img/favicon.svg"))


def benchmark_hello(request):
    # The benchmark's yardstick (docs/performance.md): no database, no session, no template.
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("web.urls")),
    path("", include("contracts.urls")),
    path("", include("transition.urls")),
    path("", include("raid.urls")),
    path("", include("reminders.urls")),
    path("", include("imports.urls")),
    path("api/", include("api.urls")),
]
if settings.BENCHMARK_HELLO:
    urlpatterns.append(path("bench/hello/", benchmark_hello))
