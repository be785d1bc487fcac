"""Admin of the RAID log: with its history, filters, and the same import/export as the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_import import RegisterImportExportMixin

from .models import RaidItem
from .resources import RaidItemResource


@admin.register(RaidItem)
class RaidItemAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RaidItemResource]
    list_display = (
        "title",
        "kind",
        "process",
        "programme",
        "owner",
        "status",
        "probability",
        "impact",
        "severity",
        "due_date",
    )
    list_filter = ("kind", "status", "severity", "probability", "impact", "programme")
    list_select_related = ("process", "programme", "owner")
    search_fields = ("title", "description", "process__name", "programme__name")
    date_hierarchy = "due_date"
    autocomplete_fields = ("process", "programme", "owner", "made_by")
    fields = RaidItem.INPUT_FIELDS
