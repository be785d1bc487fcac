"""The browser import (upload → preview → confirm) and the outsourcing register export."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

from core.clock import local_today
from core.spreadsheets import CONTENT_TYPES, rows_response

from . import services
from .forms import UploadForm
from .models import ExportFile, ImportBatch
from .register import KINDS, TITLE, register_table


class ImportPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = services.IMPORT_DATA
    raise_exception = True


class ImportStartView(ImportPermissionMixin, FormView):
    """Upload a file; it is checked and previewed without writing anything."""

    template_name = "imports/import_start.html"
    form_class = UploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = ImportBatch.objects.filter(uploaded_by=self.request.user)[:10]
        context["columns"] = _column_guide()
        return context

    def form_valid(self, form):
        try:
            batch, report = services.batch_upload(
                actor=self.request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except services.ImportRefused as refused:
            for error in refused.errors:
                form.add_error("file", error)
            return self.form_invalid(form)
        return _preview(self.request, batch, report)


class ImportPreviewView(ImportPermissionMixin, View):
    """What confirming an uploaded file would do, row errors included."""

    def get(self, request, pk):
        batch = _own_batch(request, pk)
        return _preview(request, batch, services.batch_preview(batch=batch, actor=request.user))


class ImportConfirmView(ImportPermissionMixin, View):
    """Import the previewed file whole, or nothing if a row fails now."""

    def post(self, request, pk):
        batch = _own_batch(request, pk)
        try:
            report = services.batch_confirm(batch=batch, actor=request.user)
        except services.ImportRefused as refused:
            for error in refused.errors:
                messages.error(request, error)
            return redirect("imports:start")
        if not report.ok:
            return _preview(request, batch, report, status=422)
        messages.success(
            request,
            _(
                "Imported %(file)s: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "file": batch.filename,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        if report.warnings:  # rows saved but flagged by the schedule checks
            messages.warning(
                request,
                _("Saved with schedule warnings: %(warnings)s")
                % {"warnings": " ".join(str(warning) for warning in report.warnings)},
            )
        return redirect("imports:start")


class RegisterExportView(LoginRequiredMixin, View):
    """The outsourcing register (EBA/DORA fields) as CSV or XLSX."""

    def get(self, request, fmt):
        name = f"outsourcing-register-{local_today():%Y-%m-%d}"
        headers, rows = register_table()
        # Typed like every list's export: dates as dates, the cost as a number, the sheet
        # named; `?bom=1` is the CSV for Excel (docs/import-export.md).
        bom = request.GET.get("bom") == "1"
        return rows_response(fmt, headers, rows, name, title=str(TITLE), kinds=KINDS, bom=bom)


class ExportDownloadView(LoginRequiredMixin, View):
    """A background export's file, to its owner only, until it expires."""

    def get(self, request, pk):
        export = get_object_or_404(
            ExportFile,
            pk=pk,
            owner=request.user,
            status=ExportFile.Status.READY,
            expires_at__gt=timezone.now(),
        )
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=str(export),
            content_type=CONTENT_TYPES[export.format],
        )


def _own_batch(request, pk) -> ImportBatch:
    return get_object_or_404(ImportBatch, pk=pk, uploaded_by=request.user)


def _preview(request, batch, report, status=200):
    return render(
        request,
        "imports/import_preview.html",
        {"batch": batch, "report": report},
        status=status,
    )


def _column_guide():
    from .resources import RESOURCES

    guide = []
    for kind, label in ImportBatch.Kind.choices:
        resource = RESOURCES[kind]()
        guide.append(
            {
                "label": label,
                "columns": resource.column_names(),
                "required": resource.required_columns(),
                "ignored": list(resource.computed_columns),
            }
        )
    return guide
