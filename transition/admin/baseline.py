"""Admin for baselines: read and deleted here, saved only through the pages and the API
(transition.services.baselines copies the plan's dates; an empty admin form could not)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from contracts.admin import ReadOnlyInline

from ..models import Baseline, BaselineMilestone


class BaselineMilestoneInline(ReadOnlyInline, admin.TabularInline):
    model = BaselineMilestone
    fields = ("process_name", "title", "kind", "start_date", "due_date", "milestone")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = _("milestones as they stood")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("milestone")


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ("name", "process", "programme", "created_by", "created_at", "milestone_count")
    list_select_related = ("process", "programme", "created_by")
    list_filter = (("programme", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "process__name", "programme__name")
    date_hierarchy = "created_at"
    fields = ("name", "process", "programme", "note", "created_by", "created_at")
    readonly_fields = fields
    inlines = [BaselineMilestoneInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(milestone_count=Count("entries"))

    @admin.display(description=_("milestones"), ordering="milestone_count")
    def milestone_count(self, obj):
        return obj.milestone_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
