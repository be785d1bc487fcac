"""Root URLs: admin, accounts, the apps' pages and the API."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Backsourcing administration"
admin.site.site_title = "Backsourcing admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("web.urls")),
    path("", include("contracts.urls")),
    path("", include("transition.urls")),
    path("", include("reminders.urls")),
    path("", include("imports.urls")),
    path("api/", include("api.urls")),
]
