"""Bulk data in (browser import) and out (the outsourcing register)."""

from django.urls import path, re_path

from . import views

app_name = "imports"

urlpatterns = [
    path("import/", views.ImportStartView.as_view(), name="start"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="preview"),
    path("import/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
    path("export/file/<int:pk>/", views.ExportDownloadView.as_view(), name="export_download"),
    re_path(
        r"^export/register\.(?P<fmt>csv|xlsx)$",
        views.RegisterExportView.as_view(),
        name="register_export",
    ),
]
