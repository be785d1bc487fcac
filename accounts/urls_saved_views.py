"""Saved views of the lists, under /views/ (docs/saved-views.md)."""

from django.urls import path

from . import views_saved_views as views

app_name = "saved_views"

urlpatterns = [
    path("", views.SavedViewListView.as_view(), name="list"),
    path("new/", views.SavedViewCreateView.as_view(), name="create"),
    path("menu/", views.SavedViewMenuView.as_view(), name="menu"),
    path("<int:pk>/edit/", views.SavedViewChangeView.as_view(), name="change"),
    path("<int:pk>/default/", views.SavedViewDefaultView.as_view(), name="default"),
    path("<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="delete"),
]
