"""Admin: uploaded import batches, and the import/export mixin the register admins use."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from .models import ImportBatch
from .services import IMPORT_DATA


class RegisterImportExportMixin(ImportExportMixin):
    """django-import-export in the admin with our natural-key resources.

    Import is for operations managers (and superusers), as in the browser; the resources
    make it set-based and all or nothing (`rollback_on_validation_errors`).
    """

    skip_import_confirm = False

    def has_import_permission(self, request):
        return request.user.has_perm(IMPORT_DATA)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("filename", "kind", "uploaded_by", "uploaded_at", "status", "total_rows")
    list_filter = ("kind", "status")
    search_fields = ("filename", "uploaded_by__username")
    exclude = ("content",)
    readonly_fields = (
        "kind",
        "filename",
        "uploaded_by",
        "uploaded_at",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "error_count",
        "imported_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
