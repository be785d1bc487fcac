"""Sign-in and password pages: Django's auth views with labelled, styled forms."""

from django.contrib.auth import views as auth_views

from .forms import LoginForm, StyledPasswordChangeForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StyledPasswordChangeForm
