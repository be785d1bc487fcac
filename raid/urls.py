"""Pages of the RAID log."""

from django.urls import path

from . import views

app_name = "raid"

urlpatterns = [
    path("raid/", views.RaidListView.as_view(), name="item_list"),
    path("raid/new/", views.RaidItemCreateView.as_view(), name="item_create"),
    path("raid/<int:pk>/", views.RaidItemDetailView.as_view(), name="item_detail"),
    path("raid/<int:pk>/edit/", views.RaidItemUpdateView.as_view(), name="item_update"),
    path("raid/<int:pk>/delete/", views.RaidItemDeleteView.as_view(), name="item_delete"),
]
