"""Sign in, sign out, change password, and the profile page with its API tokens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/preferences/", views.PreferencesUpdateView.as_view(), name="preferences"),
    path("profile/tokens/", views.TokenCreateView.as_view(), name="token_create"),
    path(
        "profile/tokens/<int:pk>/revoke/",
        views.TokenRevokeView.as_view(),
        name="token_revoke",
    ),
]
