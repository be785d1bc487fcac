"""Sign-in, password and API token forms, with the attributes browsers and password managers
expect."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from . import services


class LoginForm(auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


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
