"""Admin for a process's plan: milestones, assets, staff and readiness assessments."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin_import import RegisterImportExportMixin

from ..models import Asset, Milestone, OutsourcedProcess, ReadinessAssessment, StaffMember
from ..models.plan import predecessors_pending_message
from ..resources import AssetResource, MilestoneResource, StaffMemberResource


def rag_badge(rag: str):
    label = OutsourcedProcess.Rag(rag).label
    return format_html('<strong class="rag rag-{}">● {}</strong>', rag, label)


class MilestoneAdminForm(forms.ModelForm):
    """Checks the admin cannot otherwise make: done needs a date, dependencies stay acyclic."""

    class Meta:
        model = Milestone
        fields = Milestone.INPUT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "depends_on" in self.fields and self.instance.process_id:
            self.fields["depends_on"].queryset = Milestone.objects.filter(
                process_id=self.instance.process_id
            ).exclude(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Milestone.Status.DONE and not cleaned.get("completed_on"):
            self.add_error("completed_on", _("Give the date the milestone was done."))
        predecessors = cleaned.get("depends_on")
        process = cleaned.get("process") or (
            self.instance.process if self.instance.process_id else None
        )
        if predecessors is not None and process is not None:
            self.instance.process = process
            errors = self.instance.dependency_errors(list(predecessors))
            if errors:
                self.add_error("depends_on", errors)
            pending = [m for m in predecessors if m.status != Milestone.Status.DONE]
            if status == Milestone.Status.DONE and pending:
                self.add_error("status", predecessors_pending_message(pending))
        return cleaned


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = MilestoneAdminForm
    extra = 0
    fields = ("title", "kind", "owner", "start_date", "due_date", "status", "completed_on")
    autocomplete_fields = ("owner",)
    show_change_link = True  # dependencies are edited on the milestone's own page

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


class AssetInline(admin.TabularInline):
    model = Asset
    extra = 0
    fields = (
        "name",
        "tag",
        "category",
        "transfer_method",
        "book_value",
        "currency",
        "transfer_due",
        "status",
        "transferred_on",
    )
    show_change_link = True


class StaffInline(admin.TabularInline):
    model = StaffMember
    extra = 0
    fields = (
        "name",
        "role",
        "route",
        "fte",
        "annual_cost",
        "currency",
        "key_person",
        "status",
        "planned_start",
    )
    show_change_link = True


class ReadinessInline(admin.TabularInline):
    model = ReadinessAssessment
    extra = 0
    fields = (
        "assessed_on",
        "assessed_by",
        "expertise",
        "workforce",
        "infrastructure",
        "systems_data",
        "processes_controls",
        "overall",
    )
    readonly_fields = ("overall",)
    autocomplete_fields = ("assessed_by",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assessed_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assessed_by":
            kwargs.setdefault("initial", request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("overall"))
    def overall(self, obj):
        return obj.overall if obj.pk else "-"


@admin.register(Milestone)
class MilestoneAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [MilestoneResource]
    form = MilestoneAdminForm
    list_display = (
        "title",
        "process",
        "kind",
        "owner",
        "start_date",
        "due_date",
        "status",
        "completed_on",
    )
    list_filter = ("status", "kind", "process__programme")
    list_select_related = ("process", "owner")
    search_fields = ("title", "process__name")
    date_hierarchy = "due_date"
    autocomplete_fields = ("process", "owner")
    filter_horizontal = ("depends_on",)


@admin.register(Asset)
class AssetAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [AssetResource]
    list_display = (
        "name",
        "tag",
        "process",
        "category",
        "transfer_method",
        "book_value",
        "currency",
        "transfer_due",
        "status",
        "transferred_on",
    )
    list_filter = ("status", "category", "transfer_method", "process__programme")
    list_select_related = ("process",)
    search_fields = ("name", "tag", "process__name")
    date_hierarchy = "transfer_due"
    autocomplete_fields = ("process",)


@admin.register(StaffMember)
class StaffMemberAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [StaffMemberResource]
    list_display = (
        "name",
        "role",
        "process",
        "route",
        "fte",
        "annual_cost",
        "currency",
        "key_person",
        "status",
        "planned_start",
        "eli_due_date",
    )
    list_filter = ("status", "route", "key_person", "process__programme")
    list_select_related = ("process",)
    search_fields = ("name", "role", "process__name")
    date_hierarchy = "planned_start"
    autocomplete_fields = ("process",)
    readonly_fields = ("eli_due_date",)

    @admin.display(description=_("employee liability information due"))
    def eli_due_date(self, obj):
        return obj.eli_due_date


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(admin.ModelAdmin):
    list_display = ("process", "assessed_on", "assessed_by", "overall", "rag")
    list_filter = ("process__programme",)
    list_select_related = ("process", "assessed_by")
    search_fields = ("process__name", "notes")
    date_hierarchy = "assessed_on"
    autocomplete_fields = ("process", "assessed_by")
    readonly_fields = ("overall", "rag")

    @admin.display(description=_("overall"))
    def overall(self, obj):
        return obj.overall if obj.pk else "-"

    @admin.display(description=_("RAG"))
    def rag(self, obj):
        return rag_badge(obj.rag) if obj.pk else "-"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assessed_by":
            kwargs.setdefault("initial", request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
