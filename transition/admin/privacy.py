"""Admin for the log of staff personal-data purges: read-only, as evidence for auditors."""

from django.contrib import admin

from core.admin_read_only import ReadOnlyAdminMixin

from ..models import StaffPurge


@admin.register(StaffPurge)
class StaffPurgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("ran_at", "today", "cutoff", "retention_days", "purged_count", "trigger")
    list_filter = ("trigger",)
    date_hierarchy = "ran_at"
    fields = (
        "ran_at",
        "today",
        "cutoff",
        "retention_days",
        "purged_count",
        "staff_ids",
        "trigger",
        "actor",
    )
    readonly_fields = fields
