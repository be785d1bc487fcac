"""Root URLs: admin, accounts, the apps' pages and the API."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views import defaults

from api.exceptions import error_response as api_error_response
from api.exceptions import is_api_request

admin.site.site_header = "Backsourcing administration"
admin.site.site_title = "Backsourcing admin"


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name none (the admin's). Resolved per
    # request: the static manifest exists only after collectstatic.
    return HttpResponseRedirect(static("img/favicon.svg"))


def _json_under_api(page, status: int):
    """Django's error page for `status`, or JSON `{"detail": …}` for a path under /api/
    (docs/api.md): clients read JSON from every API address, matched by a view or not."""

    def handler(request, *args, **kwargs):
        if is_api_request(request):
            return api_error_response(request, status)
        return page(request, *args, **kwargs)

    return handler


# The pages render templates/403.html and 404.html (in the layout, with the navigation)
# and 500.html (standalone: no database, no user, no request context).
handler400 = _json_under_api(defaults.bad_request, 400)
handler403 = _json_under_api(defaults.permission_denied, 403)
handler404 = _json_under_api(defaults.page_not_found, 404)
handler500 = _json_under_api(defaults.server_error, 500)


def benchmark_hello(request):
    # The benchmark's yardstick (docs/performance.md): no database, no session, no template.
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("views/", include("accounts.urls_saved_views")),
    path("", include("web.urls")),
    path("", include("contracts.urls")),
    path("", include("transition.urls")),
    path("", include("raid.urls")),
    path("", include("reminders.urls")),
    path("", include("imports.urls")),
    path("api/", include("api.urls")),
    path("", include("health.urls")),
]
if settings.BENCHMARK_HELLO:
    urlpatterns.append(path("bench/hello/", benchmark_hello))
if settings.OIDC_ENABLED:
    # Single sign-on (docs/operations.md): /oidc/authenticate/ and the provider's return,
    # /oidc/callback/, the redirect URI registered at the provider.
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
