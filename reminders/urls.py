"""Pages of the reminders app: notifications inbox and calendar feed."""

from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="inbox"),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notifications_read_all",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/<int:pk>/open/",
        views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path(
        "processes/<int:pk>/reminders/",
        views.ProcessRemindersView.as_view(),
        name="process_reminders",
    ),
    path("calendar/", views.CalendarFeedPageView.as_view(), name="calendar"),
    path(
        "calendar/regenerate/",
        views.CalendarRegenerateView.as_view(),
        name="calendar_regenerate",
    ),
    path("calendar/<slug:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
]
