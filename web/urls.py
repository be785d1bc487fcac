"""The dashboard, the home page of every signed-in user, and the download of its totals."""

from django.urls import path, re_path

from . import exports, views, views_audit, views_search

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("search/", views_search.SearchView.as_view(), name="search"),
    re_path(
        r"^portfolio/totals\.(?P<fmt>csv|xlsx)$",
        exports.PortfolioTotalsExportView.as_view(),
        name="portfolio_totals",
    ),
    path("audit/history/", views_audit.FieldHistoryView.as_view(), name="field_history"),
    path(
        "audit/history.csv",
        views_audit.FieldHistoryExportView.as_view(),
        name="field_history_csv",
    ),
]
