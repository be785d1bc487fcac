"""Uploaded import files, kept between preview and confirmation and as an audit trail."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file: previewed, then imported whole or not at all."""

    class Kind(models.TextChoices):
        PROVIDERS = "providers", _("Service providers")
        CONTRACTS = "contracts", _("Contracts")
        PROGRAMMES = "programmes", _("Programmes")
        PROCESSES = "processes", _("Processes")
        MILESTONES = "milestones", _("Milestones")
        ASSETS = "assets", _("Assets")
        STAFF = "staff", _("Staff")
        NOTICES = "notices", _("Exit notices")
        RAID = "raid", _("RAID items")
        DELIVERABLES = "deliverables", _("Termination-assistance deliverables")
        KPI_ACTUALS = "kpi_actuals", _("KPI actuals")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    # The file itself: the confirmation imports exactly what was previewed.
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # What the file amounts to when checked (preview, or the confirmation's own check) …
    to_create_count = models.PositiveIntegerField(_("rows to create (checked)"), default=0)
    to_update_count = models.PositiveIntegerField(_("rows to update (checked)"), default=0)
    # … and what was written: only an import that succeeded writes any row.
    created_count = models.PositiveIntegerField(
        _("rows created (written)"),
        default=0,
        help_text=_("0 unless the import succeeded: a failed import writes nothing."),
    )
    updated_count = models.PositiveIntegerField(
        _("rows updated (written)"),
        default=0,
        help_text=_("0 unless the import succeeded: a failed import writes nothing."),
    )
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"


class ExportFile(models.Model):
    """A large list export built in the background, downloadable by its owner until it expires.

    The file lies in default storage under `exports/` and is never linked by its storage URL:
    only `imports:export_download` sends it, to its owner (docs/import-export.md).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_files"
    )
    # The list view (dotted path) and its query string: the worker rebuilds the same rows
    # with the owner's filter, search and sort.
    view = models.CharField(_("list"), max_length=200)
    query = models.TextField(_("query"), blank=True)
    format = models.CharField(_("format"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    name = models.CharField(_("file name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        indexes = [models.Index(fields=["expires_at"], name="export_file_expires_idx")]

    def __str__(self):
        return f"{self.name}.{self.format}"

    def get_absolute_url(self):
        return reverse("imports:export_download", args=[self.pk])
