"""Admin for the register: providers, contracts (with field history) and their documents."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from imports.admin import RegisterImportExportMixin
from imports.resources import ContractResource, ServiceProviderResource
from transition.models import OutsourcedProcess

from . import dates
from .models import Contract, ContractDocument, ServiceProvider, local_today
from .selectors import contracts_with_status


class ReadOnlyInline:
    """An inline that lists related rows with a link to each, and never edits them."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContractStatusFilter(admin.SimpleListFilter):
    """Filter by today's status, which the date engine computes rather than a column holds."""

    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(dates.STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() not in dates.STATUS_LABELS:
            return queryset
        return queryset.filter(contracts_with_status(queryset, self.value(), local_today()))


class ProviderContractInline(ReadOnlyInline, admin.TabularInline):
    model = Contract
    fields = ("reference", "title", "owner", "end_date", "next_notice_deadline", "status")
    readonly_fields = fields
    verbose_name_plural = _("contracts (edit them on their own page)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")

    @admin.display(description=_("next notice deadline"))
    def next_notice_deadline(self, obj):
        return obj.next_notice_deadline()

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status_display()


@admin.register(ServiceProvider)
class ServiceProviderAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [ServiceProviderResource]
    list_display = ("name", "legal_name", "country", "contact_name", "contact_email", "contracts")
    list_filter = ("country",)
    search_fields = ("name", "legal_name", "contact_name", "contact_email")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "legal_name", "country", "website")}),
        (_("Contact"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
        (None, {"fields": ("notes", "created_at", "updated_at")}),
    )
    inlines = (ProviderContractInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contract_count=Count("contracts"))

    @admin.display(description=_("contracts"), ordering="contract_count")
    def contracts(self, obj):
        return obj.contract_count


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0
    fields = ("title", "file", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class ContractProcessInline(ReadOnlyInline, admin.TabularInline):
    model = OutsourcedProcess
    fields = ("name", "programme", "state", "owner", "lead", "exit_date")
    readonly_fields = fields
    verbose_name_plural = _("processes under this contract")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme", "owner", "lead")


@admin.register(Contract)
class ContractAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ContractResource]
    list_display = (
        "reference",
        "title",
        "provider",
        "owner",
        "end_date",
        "renewal",
        "notice",
        "next_notice_deadline",
        "decision_date",
        "status",
        "annual_value",
        "currency",
    )
    list_filter = (
        ContractStatusFilter,
        "renewal",
        "termination_for_convenience",
        "currency",
        "governing_country",
        ("provider", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("provider", "owner")
    search_fields = (
        "reference",
        "title",
        "provider__name",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
    )
    date_hierarchy = "end_date"
    autocomplete_fields = ("provider", "owner")
    readonly_fields = (
        "status",
        "current_term_end",
        "next_notice_deadline",
        "decision_date",
        "exit_date_if_served_today",
        "assistance_end_if_served_today",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("reference", "title", "provider", "owner")}),
        (
            _("Term and notice"),
            {
                "fields": (
                    ("start_date", "end_date"),
                    ("renewal", "renewal_term_months"),
                    ("notice_period", "notice_unit"),
                    "termination_for_convenience",
                    "governing_country",
                    "decision_lead_days",
                    "exit_assistance_months",
                )
            },
        ),
        (
            _("Money"),
            {"fields": (("annual_value", "currency"), "termination_fee")},
        ),
        (
            _("Dates today (computed by the date engine)"),
            {
                "fields": (
                    "status",
                    "current_term_end",
                    "next_notice_deadline",
                    "decision_date",
                    "exit_date_if_served_today",
                    "assistance_end_if_served_today",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (ContractDocumentInline, ContractProcessInline)

    @admin.display(description=_("notice"))
    def notice(self, obj):
        return obj.notice_period_display

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status_display() if obj.pk else "-"

    @admin.display(description=_("current term ends"))
    def current_term_end(self, obj):
        return obj.current_term_end() if obj.pk else None

    @admin.display(description=_("next notice deadline"))
    def next_notice_deadline(self, obj):
        return obj.next_notice_deadline() if obj.pk else None

    @admin.display(description=_("decision date"))
    def decision_date(self, obj):
        return obj.decision_date() if obj.pk else None

    @admin.display(description=_("exit date if served today"))
    def exit_date_if_served_today(self, obj):
        return obj.exit_date_if_served() if obj.pk else None

    @admin.display(description=_("termination assistance ends"))
    def assistance_end_if_served_today(self, obj):
        return obj.assistance_end(obj.exit_date_if_served()) if obj.pk else None

    def save_formset(self, request, form, formset, change):
        if formset.model is ContractDocument:
            for document in formset.save(commit=False):
                if document.uploaded_by_id is None:
                    document.uploaded_by = request.user
                document.save()
            for document in formset.deleted_objects:
                document.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(ContractDocument)
class ContractDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "contract", "file", "uploaded_by", "uploaded_at")
    list_select_related = ("contract", "uploaded_by")
    search_fields = ("title", "contract__reference", "contract__title")
    list_filter = ("uploaded_at",)
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ("contract",)
    readonly_fields = ("uploaded_by", "uploaded_at")

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
