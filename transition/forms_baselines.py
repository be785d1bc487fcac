"""The "Save baseline" form; the view saves through `transition.services.baselines`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import validate_plain_text

from .models import Baseline


class BaselineForm(forms.Form):
    """A name (unique within the process or programme, checked by the service) and a note."""

    name = forms.CharField(
        label=_("Name"),
        max_length=Baseline._meta.get_field("name").max_length,
        validators=[validate_plain_text],
        help_text=_("Such as “Approved plan” or “Re-plan after supplier delay”."),
        error_messages={"required": _("Give the baseline a name.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
