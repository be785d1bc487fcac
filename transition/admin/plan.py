"""Admin for a process's plan: milestones, assets, staff and readiness assessments.

Saves here pass the schedule checks of the plan services (docs/plan.md, "Schedule checks"):
the forms' `clean()` calls the same functions, so a refused row is a form error on its field
and nothing is written; the findings let through are shown after the save as one warning.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_import import RegisterImportExportMixin

from ..models import Asset, Milestone, OutsourcedProcess, ReadinessAssessment, StaffMember
from ..models.plan import predecessors_pending_message
from ..resources import AssetResource, MilestoneResource, StaffMemberResource
from ..schedule.model import Finding
from ..services.plan import (
    OVERRIDE_FREEZE,
    asset_schedule_check,
    freeze_override_record,
    milestone_schedule_check,
    staff_schedule_check,
)
from ..views.privacy import EXPORT_PERSONAL_DATA, personal_data_response, purged_message


def rag_badge(rag: str):
    label = OutsourcedProcess.Rag(rag).label
    return format_html('<strong class="rag rag-{}">● {}</strong>', rag, label)


class ScheduleCheckedForm(forms.ModelForm):
    """A plan row's admin form that passes the schedule checks once the row is otherwise valid.

    The row is judged as it would be saved (a copy with the form's values); the blocking
    findings become errors on their fields, the others are kept on `schedule_warnings`.
    """

    schedule_warnings: list[Finding]

    def clean(self):
        cleaned = super().clean()
        self.clean_row(cleaned)
        self.schedule_warnings = []
        if not self.errors:
            candidate = construct_instance(self, copy.copy(self.instance), exclude=self.kept())
            try:
                self.schedule_warnings = self.schedule_check(candidate, cleaned)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def clean_row(self, cleaned) -> None:
        """The form's own checks, made before the schedule's."""

    def kept(self) -> list[str]:
        """Fields the candidate does not take from the form as they are."""
        return []

    def schedule_check(self, candidate, cleaned) -> list[Finding]:
        raise NotImplementedError


class MilestoneAdminForm(ScheduleCheckedForm):
    """Checks the admin cannot otherwise make: done needs a date, dependencies stay acyclic,
    and the schedule checks (an operations manager's freeze override recorded as the
    milestone page records it)."""

    # Who saves, for a freeze override (set by MilestoneAdmin.get_form; None in inlines).
    actor = None

    class Meta:
        model = Milestone
        fields = Milestone.INPUT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "depends_on" in self.fields and self.instance.process_id:
            self.fields["depends_on"].queryset = Milestone.objects.filter(
                process_id=self.instance.process_id
            ).exclude(pk=self.instance.pk)

    def clean_row(self, cleaned) -> None:
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

    def kept(self) -> list[str]:
        return ["freeze_override_reason"]  # recorded by freeze_override_record, with by/at

    def schedule_check(self, candidate, cleaned) -> list[Finding]:
        if "freeze_override_reason" in self.fields:
            freeze_override_record(
                candidate, actor=self.actor, reason=cleaned.get("freeze_override_reason")
            )
        warnings = milestone_schedule_check(candidate, cleaned.get("depends_on"))
        if "freeze_override_reason" in self.fields:
            # A blank reason keeps the one recorded, as the milestone page does.
            cleaned["freeze_override_reason"] = candidate.freeze_override_reason
            self.instance.freeze_override_by = candidate.freeze_override_by
            self.instance.freeze_overridden_at = candidate.freeze_overridden_at
        return warnings


class AssetAdminForm(ScheduleCheckedForm):
    """An asset's admin form (the admin gives the model and the fields it shows)."""

    def schedule_check(self, candidate, cleaned) -> list[Finding]:
        return asset_schedule_check(candidate)


class StaffMemberAdminForm(ScheduleCheckedForm):
    """A staff record's admin form (the admin gives the model and the fields it shows)."""

    def schedule_check(self, candidate, cleaned) -> list[Finding]:
        return staff_schedule_check(candidate)


class ScheduleWarningsAdminMixin:
    """After a save, the schedule findings let through as one warning ("Saved, but: …")."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warnings = getattr(form, "schedule_warnings", None)
        if warnings:
            messages.warning(
                request,
                gettext("Saved, but: %(issues)s")
                % {"issues": " ".join(finding.message for finding in warnings)},
            )


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
    form = AssetAdminForm
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
    form = StaffMemberAdminForm
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
class MilestoneAdmin(ScheduleWarningsAdminMixin, RegisterImportExportMixin, admin.ModelAdmin):
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
    readonly_fields = ("freeze_override_by", "freeze_overridden_at")

    def get_fields(self, request, obj=None):
        # Operations managers may let a go-live, cut-over or parallel run stay inside a
        # change freeze; who and when are recorded by the save, shown read-only to all.
        fields = [f for f in super().get_fields(request, obj) if f != "freeze_override_reason"]
        process = obj.process if obj is not None else None
        if request.user.has_perm(OVERRIDE_FREEZE, process):
            fields.insert(fields.index("freeze_override_by"), "freeze_override_reason")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})


@admin.register(Asset)
class AssetAdmin(ScheduleWarningsAdminMixin, RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [AssetResource]
    form = AssetAdminForm
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
class StaffMemberAdmin(ScheduleWarningsAdminMixin, RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [StaffMemberResource]
    form = StaffMemberAdminForm
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
    readonly_fields = ("eli_due_date", "personal_data_purged_on")
    actions = ("export_personal_data",)

    @admin.display(description=_("employee liability information due"))
    def eli_due_date(self, obj):
        return obj.eli_due_date

    def has_change_permission(self, request, obj=None):
        # A purged record stays as the purge left it (docs/operations.md, "Privacy").
        if obj is not None and obj.personal_data_purged_on is not None:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(
        description=_("Export personal data (JSON) of the selected staff member"),
        permissions=("export_personal_data",),
    )
    def export_personal_data(self, request, queryset):
        members = list(queryset.select_related("process__programme", "process__contract")[:2])
        if len(members) != 1:
            self.message_user(
                request, gettext("Select exactly one staff member to export."), messages.ERROR
            )
            return None
        member = members[0]
        if member.personal_data_purged_on is not None:
            self.message_user(request, purged_message(member), messages.ERROR)
            return None
        return personal_data_response(member)

    def has_export_personal_data_permission(self, request):
        return request.user.has_perm(EXPORT_PERSONAL_DATA)


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
