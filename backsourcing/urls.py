"""Root URLs: admin, accounts, the apps' pages and the API."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

admin.site.site_header = "Backsourcing administration"
admin.site.site_title = "Backsourcing admin"


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name none (the admin's). Resolved per
    # request: the static manifest exists only after collectstatic.
    return HttpResponseRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("web.urls")),
    path("", include("contracts.urls")),
    path("", include("transition.urls")),
    path("", include("reminders.urls")),
    path("", include("imports.urls")),
    path("api/", include("api.urls")),
]
