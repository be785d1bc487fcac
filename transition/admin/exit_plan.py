"""Admin for exit plans, rehearsals and remediation actions: read here, with their history
(who changed what, and when); written only through the pages and the API, whose services
number versions under a lock, supersede on approval and refuse future rehearsals
(transition.services.exit_plans)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.admin import ReadOnlyInline
from core.admin_read_only import ReadOnlyAdminMixin

from ..models import ExitPlan, Rehearsal, RemediationAction


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(ExitPlan)
class ExitPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "process",
        "version",
        "status",
        "owner",
        "approved_on",
        "last_review_on",
        "next_review_due",
    )
    list_select_related = ("process", "owner")
    list_filter = ("status", "substitutability", "reintegration")
    search_fields = ("process__name", "objectives")
    date_hierarchy = "next_review_due"


class RemediationActionInline(ReadOnlyInline, admin.TabularInline):
    model = RemediationAction
    fields = ("title", "owner", "due_date", "status", "closed_on")
    readonly_fields = fields


@admin.register(Rehearsal)
class RehearsalAdmin(ReadOnlyHistoryAdmin):
    list_display = ("process", "exit_plan", "held_on", "outcome", "next_test_due", "recorded_by")
    list_select_related = ("process", "exit_plan", "exit_plan__process", "recorded_by")
    list_filter = ("outcome",)
    search_fields = ("process__name", "scenario", "findings")
    date_hierarchy = "held_on"
    inlines = [RemediationActionInline]


@admin.register(RemediationAction)
class RemediationActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "rehearsal", "owner", "due_date", "status", "closed_on")
    list_select_related = ("rehearsal", "rehearsal__process", "owner")
    list_filter = ("status",)
    search_fields = ("title", "note", "rehearsal__process__name")
    date_hierarchy = "due_date"
