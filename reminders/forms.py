"""Forms of the reminders pages: the inbox filter and the feed-revocation confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationFilterForm(forms.Form):
    """Which notifications the inbox lists."""

    show = forms.ChoiceField(
        label=_("Show"),
        choices=[("all", _("All")), ("unread", _("Unread"))],
        required=False,
        initial="all",
    )

    def unread_only(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("show") == "unread"


class CalendarRegenerateForm(forms.Form):
    """Revoking the feed URL breaks every subscription to it, so it is confirmed."""

    confirm = forms.BooleanField(
        label=_("I understand that calendars subscribed to the current address stop updating."),
        required=True,
    )
