"""Sign-in, password and API token forms, with the attributes browsers and password managers
expect."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from . import services
from .oidc import password_sign_in_allowed
from .zones import zone_names


class LoginForm(auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Checked after the password, so the message tells nothing to someone without it.
        if not password_sign_in_allowed(user):
            raise forms.ValidationError(
                _("Use the “%(label)s” button: passwords are kept for administrators."),
                code="sso_required",
                params={"label": settings.OIDC_LOGIN_LABEL},
            )


class TokenRevokingPasswordChangeMixin:
    """Setting a password through this form revokes the user's API tokens. They would be
    refused anyway (accounts/authentication.py); deleting them keeps token lists honest."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            services.token_revoke_all(user=user)
        return user


class StyledPasswordChangeForm(TokenRevokingPasswordChangeMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class AdminPasswordChangeForm(TokenRevokingPasswordChangeMixin, auth_forms.AdminPasswordChangeForm):
    pass


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, for example “nightly export script”."),
    )


def _time_zone_choices() -> list[tuple[str, str]]:
    site = _("The site's zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", site), *((name, name.replace("_", " ")) for name in zone_names())]


class PreferencesForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=_time_zone_choices,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know. Choose one from the list, such as "
                "Europe/London or America/New_York."
            )
        },
        help_text=_(
            "Times are shown in this zone, and your reminder e-mails arrive when their day "
            "begins in it. Deadlines, due dates and notice days stay the calendar days of "
            "the contract, the same in every zone."
        ),
        # Some 400 zones: Tom Select makes the list searchable (static/js/searchable-select.js).
        widget=forms.Select(attrs={"data-searchable": "true"}),
    )
