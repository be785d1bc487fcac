"""Admin: uploaded import batches."""

from django.contrib import admin

from .models import ImportBatch


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
        "to_create_count",
        "to_update_count",
        "created_count",
        "updated_count",
        "error_count",
        "imported_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
