"""Admin for the register: providers, contracts (with field history) and their documents."""

from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, FileField
from django.http import Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_import import RegisterImportExportMixin
from core.admin_files import DownloadLinkFileInput, stored_file_link
from core.admin_read_only import ReadOnlyAdminMixin
from core.clock import local_today
from core.files import stored_file_response

from . import dates, letters, services
from .models import (
    Contract,
    ContractDocument,
    Deliverable,
    DeliverableTemplate,
    NoticeLetterTemplate,
    ServiceProvider,
)
from .resources import ContractResource, ServiceProviderResource
from .resources_deliverables import DeliverableResource
from .selectors import contracts_with_status
from .services_deliverables import (
    EDIT_FIELDS,
    RECORD_FIELDS,
    deliverable_delete,
    deliverable_errors,
    deliverable_save,
)


class ReadOnlyInline(ReadOnlyAdminMixin):
    """An inline that lists related rows with a link to each, and never edits them."""

    extra = 0
    can_delete = False
    show_change_link = True


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
        (None, {"fields": ("name", "legal_name", "country", "address", "website")}),
        (_("Contact"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
        (None, {"fields": ("notes", "created_at", "updated_at")}),
    )
    inlines = (ProviderContractInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contract_count=Count("contracts"))

    @admin.display(description=_("contracts"), ordering="contract_count")
    def contracts(self, obj):
        return obj.contract_count


def document_url(document: ContractDocument) -> str:
    return reverse("contracts:contract_document_download", args=[document.contract_id, document.pk])


def evidence_url(deliverable: Deliverable) -> str:
    return reverse("contracts:deliverable_evidence", args=[deliverable.pk])


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0
    fields = ("title", "file", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")
    formfield_overrides = {FileField: {"widget": DownloadLinkFileInput(document_url)}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


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

    def get_queryset(self, request):
        # The status column reads the notices in force: loaded for the page in its query.
        return super().get_queryset(request).with_notice_state()

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
                    "termination_clause",
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
    inlines = (ContractDocumentInline,)

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
                services.document_save(document=document, actor=request.user)
            for document in formset.deleted_objects:
                services.document_delete(document=document, actor=request.user)
            return
        super().save_formset(request, form, formset, change)

    # Deletes go through the service, which removes document files once the deletion commits.
    def delete_model(self, request, obj):
        services.contract_delete(contract=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for contract in queryset:
            services.contract_delete(contract=contract, actor=request.user)


@admin.register(ContractDocument)
class ContractDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "contract", "download", "uploaded_by", "uploaded_at")
    list_select_related = ("contract", "uploaded_by")
    search_fields = ("title", "contract__reference", "contract__title")
    list_filter = ("uploaded_at",)
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ("contract",)
    readonly_fields = ("uploaded_by", "uploaded_at")
    formfield_overrides = {FileField: {"widget": DownloadLinkFileInput(document_url)}}

    @admin.display(description=_("file"), ordering="file")
    def download(self, obj):
        return stored_file_link(obj.file, document_url(obj))

    def save_model(self, request, obj, form, change):
        services.document_save(document=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.document_delete(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document, actor=request.user)


@admin.register(NoticeLetterTemplate)
class NoticeLetterTemplateAdmin(admin.ModelAdmin):
    """Upload a notice letter template (checked by a trial fill), activate one, or go back to
    the default, which can be downloaded as a starting point."""

    change_list_template = "admin/contracts/noticelettertemplate/change_list.html"
    list_display = ("__str__", "is_active", "uploaded_by", "uploaded_at")
    list_filter = ("is_active",)
    list_select_related = ("uploaded_by",)
    readonly_fields = ("file_info", "is_active", "uploaded_by", "uploaded_at")
    actions = ("activate", "use_default")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("file", "note")
        return ("file_info", "note", "is_active", "uploaded_by", "uploaded_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "file" in form.base_fields:
            field = form.base_fields["file"]
            field.widget.attrs["accept"] = ".docx"
            field.help_text = format_html(
                "A Word document (.docx) with Jinja placeholders such as "
                "<code>{{{{ contract_reference }}}}</code>; it is filled with sample data "
                "before it is accepted. Start from the "
                '<a href="{}">default template</a>. Placeholders: {}. '
                "See “The notice letter” in docs/user-guide.md.",
                reverse("admin:contracts_noticelettertemplate_default"),
                ", ".join(letters.PLACEHOLDERS),
            )
        return form

    def get_urls(self):
        return [
            path(
                "default-template.docx",
                self.admin_site.admin_view(self.default_template_view),
                name="contracts_noticelettertemplate_default",
            ),
            path(
                "<path:object_id>/file/",
                self.admin_site.admin_view(self.file_view),
                name="contracts_noticelettertemplate_file",
            ),
            *super().get_urls(),
        ]

    def default_template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(letters.default_template(), content_type=letters.DOCX_CONTENT_TYPE)
        response.headers["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename="notice-letter-default-template.docx"
        )
        return response

    def file_view(self, request, object_id):
        template = self.get_object(request, object_id)
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        return stored_file_response(
            template.file,
            absent=_("No file is attached to this template."),
            missing=_("The file of this template is missing."),
        )

    @admin.display(description=_("file"))
    def file_info(self, obj):
        try:
            size = filesizeformat(obj.file.size)
        except FileNotFoundError:
            size = _("missing")
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:contracts_noticelettertemplate_file", args=[obj.pk]),
            PurePath(obj.file.name).name,
            size,
        )

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # Deletes go through the service, which removes the template files once the deletion
    # commits.
    def delete_model(self, request, obj):
        services.letter_template_delete(templates=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        services.letter_template_delete(templates=queryset, actor=request.user)

    @admin.action(description=_("Activate the selected template"), permissions=["change"])
    def activate(self, request, queryset):
        if len(selected := list(queryset[:2])) != 1:
            self.message_user(
                request, _("Select exactly one template to activate."), messages.ERROR
            )
            return
        services.letter_template_activate(template=selected[0], actor=request.user)
        self.message_user(
            request, _("“%(name)s” is now the notice letter template.") % {"name": selected[0]}
        )

    @admin.action(description=_("Use the default template instead"), permissions=["change"])
    def use_default(self, request, queryset):
        services.letter_template_deactivate_all(actor=request.user)
        self.message_user(request, _("Notice letters now use the default template."))


DELIVERABLE_FIELDS = (*EDIT_FIELDS, *RECORD_FIELDS)


class DeliverableAdminForm(forms.ModelForm):
    """Checks the deliverable rules (a due date before notice…) beside its fields."""

    class Meta:
        model = Deliverable
        fields = ("exit_notice", *DELIVERABLE_FIELDS)

    def _post_clean(self):
        super()._post_clean()
        if self.instance.exit_notice_id is None:
            return
        for field, messages_ in deliverable_errors(self.instance, today=local_today()).items():
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)


@admin.register(DeliverableTemplate)
class DeliverableTemplateAdmin(SimpleHistoryAdmin):
    """The default termination-assistance checklist a notice served takes (active rows)."""

    list_display = ("title", "category", "anchor", "offset_days", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("active", "anchor", "category")
    search_fields = ("title", "description")
    ordering = ("position", "pk")


@admin.register(Deliverable)
class DeliverableAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    """Deliverables, saved through the service that the pages and the API use."""

    form = DeliverableAdminForm
    resource_classes = [DeliverableResource]
    list_display = ("title", "contract", "exit_notice", "due_date", "status", "owner")
    list_filter = ("status", "category", "due_date")
    list_select_related = ("contract", "exit_notice__contract", "owner")
    search_fields = ("title", "contract__reference", "contract__title")
    date_hierarchy = "due_date"
    autocomplete_fields = ("exit_notice", "owner")
    readonly_fields = ("contract", "template", "decided_by", "decided_on")
    formfield_overrides = {FileField: {"widget": DownloadLinkFileInput(evidence_url)}}

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in DELIVERABLE_FIELDS}
        if not isinstance(fields["evidence"], UploadedFile):
            fields.pop("evidence")  # kept as it was: the service stores new uploads only
        if change:
            saved = deliverable_save(actor=request.user, deliverable=obj, **fields)
        else:
            notice = form.cleaned_data["exit_notice"]
            saved = deliverable_save(actor=request.user, exit_notice=notice, **fields)
        obj.pk = saved.pk

    # Deletes go through the service, which removes the evidence once the deletion commits.
    def delete_model(self, request, obj):
        deliverable_delete(deliverable=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for deliverable in queryset.select_related("exit_notice"):
            deliverable_delete(deliverable=deliverable, actor=request.user)
