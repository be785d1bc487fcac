"""Sign-in and password pages (Django's auth views with labelled, styled forms), and the
profile page where people manage their API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import selectors, services
from .forms import LoginForm, PreferencesForm, StyledPasswordChangeForm, TokenCreateForm
from .middleware import SESSION_KEY as TIME_ZONE_SESSION_KEY
from .models import ApiToken
from .oidc import sso_enabled


class LoginView(auth_views.LoginView):
    """The password form, and the single sign-on button when it is on (accounts/oidc.py)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if sso_enabled():
            context["sso_label"] = settings.OIDC_LOGIN_LABEL
            context["sso_password_for_all"] = settings.OIDC_LOCAL_LOGIN_FOR_ALL
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StyledPasswordChangeForm


class ProfileView(LoginRequiredMixin, TemplateView):
    """The signed-in user's account and API tokens."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TokenCreateForm())
        time_zone = selectors.time_zone_name(user=self.request.user)
        # The session carries the zone to every page (accounts/middleware.py); an
        # administrator's change reaches it here at the latest.
        if self.request.session.get(TIME_ZONE_SESSION_KEY) != time_zone:
            self.request.session[TIME_ZONE_SESSION_KEY] = time_zone
        context.setdefault("preferences_form", PreferencesForm(initial={"time_zone": time_zone}))
        context.update(
            tokens=selectors.tokens_for(user=self.request.user),
            now=timezone.now(),
            token_lifetime_days=settings.API_TOKEN_TTL_DAYS,
        )
        return context


@method_decorator(never_cache, name="dispatch")
class TokenCreateView(ProfileView):
    """Issue a token and show its key in this response, the only time it can be shown."""

    http_method_names = ["post"]

    def post(self, request):
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                token, key = services.token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Rendered, not redirected: only the digest is stored, so no later request
                # could show the key, and it never goes through the session or a cookie.
                context = self.get_context_data(new_token=token, new_key=key)
                return self.render_to_response(context)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PreferencesUpdateView(ProfileView):
    """Change the signed-in user's time zone; their next page shows times in it."""

    http_method_names = ["post"]

    def post(self, request):
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                preferences = services.preferences_update(
                    user=request.user, time_zone=form.cleaned_data["time_zone"]
                )
            except ValidationError as error:
                form.add_error("time_zone", error)
            else:
                request.session[TIME_ZONE_SESSION_KEY] = preferences.time_zone
                messages.success(
                    request,
                    _("Times are now shown in %(zone)s.")
                    % {"zone": preferences.time_zone or _("the site's zone")},
                )
                return redirect("profile")
        return self.render_to_response(self.get_context_data(preferences_form=form), status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the user's own tokens."""

    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.token_revoke(token=token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token})
        return redirect("profile")
