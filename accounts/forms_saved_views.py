"""Forms of saved views: save the list as it is shown, or change a saved view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SavedView

NAME_LENGTH = SavedView._meta.get_field("name").max_length


class SavedViewChangeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH)
    shared = forms.BooleanField(label=_("Share with everyone (read-only)"), required=False)
    is_default = forms.BooleanField(label=_("Open this view when I open the list"), required=False)


class SavedViewCreateForm(SavedViewChangeForm):
    """The list and its query string come along hidden, as the list page put them."""

    list_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)
