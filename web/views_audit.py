"""The field history download for auditors: a form, and the CSV it asks for
(docs/operations.md, "Privacy: staff personal data and audit history")."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View

from core.clock import local_today
from core.spreadsheets import rows_response

from .audit import HEADERS, audited_models, field_change_rows

EXPORT_FIELD_HISTORY = "web.export_field_history"
DATE_ERRORS = {"invalid": gettext_lazy("Give the day as YYYY-MM-DD, such as 2026-10-30.")}


class FieldHistoryForm(forms.Form):
    """Which changes: one model or all, between two local days (both included)."""

    model = forms.ChoiceField(label=gettext_lazy("Model"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [
            ("", gettext_lazy("All models")),
            *(
                (label, f"{model._meta.verbose_name} ({label})")
                for label, model in audited_models().items()
            ),
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", gettext_lazy("The end day cannot be before the start day."))
        return cleaned


class FieldHistoryAccessMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed in with the right; Django's AccessMixin sends the anonymous to sign in and
    answers a signed-in user without the right with 403."""

    permission_required = EXPORT_FIELD_HISTORY


class FieldHistoryView(FieldHistoryAccessMixin, View):
    """The form choosing what to download."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "web/field_history.html", {"form": FieldHistoryForm()})


class FieldHistoryExportView(FieldHistoryAccessMixin, View):
    """The CSV, streamed row by row; a query it cannot read shows the form with its errors."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = FieldHistoryForm(request.GET)
        if not form.is_valid():
            return render(request, "web/field_history.html", {"form": form}, status=400)
        data = form.cleaned_data
        rows = field_change_rows(
            label=data["model"] or None, since=data["since"], until=data["until"]
        )
        name = f"field-history-{local_today().isoformat()}"
        return rows_response("csv", HEADERS, rows, name, bom=request.GET.get("bom") == "1")
