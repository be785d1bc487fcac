"""Admin for change freezes, with their history (who changed the dates, and when)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import ChangeFreeze


@admin.register(ChangeFreeze)
class ChangeFreezeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "programme", "starts_on", "ends_on", "created_by")
    list_select_related = ("programme", "created_by")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "reason", "programme__name")
    date_hierarchy = "starts_on"
    fields = ("programme", "name", "starts_on", "ends_on", "reason", "created_by")
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
