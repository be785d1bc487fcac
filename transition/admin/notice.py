"""Admin for exit notices: the legal record, read-only; a withdrawal goes through the service.

ExitNotice lives in the contracts app, but withdrawing one moves processes through the
workflow, which the contracts app cannot import; this app registers its admin, as it
extends the contract admin (contract.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from contracts.admin import ReadOnlyInline
from contracts.models import ExitNotice
from core.admin_read_only import ReadOnlyAdminMixin
from core.spreadsheets import SafeCSV, SafeXLSX

from ..models import OutsourcedProcess, ProcessEvent
from ..resources import ExitNoticeResource
from ..services import TransitionBlocked, notice_withdraw
from ..services.notices import WITHDRAW_NOTICE


class NoticeInForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.active()
        if self.value() == "no":
            return queryset.filter(withdrawn_on__isnull=False)
        return queryset


class NoticeProcessInline(ReadOnlyInline, admin.TabularInline):
    model = OutsourcedProcess
    fields = ("name", "programme", "state", "notice_served_on", "exit_date")
    readonly_fields = fields
    verbose_name_plural = _("processes under this notice now")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme")


class NoticeEventInline(ReadOnlyInline, admin.TabularInline):
    model = ProcessEvent
    fields = ("at", "process", "transition", "actor", "note")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = _("workflow events of this notice")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("process", "actor")


class WithdrawNoticeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing the notice"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
    provider_agreed = forms.NullBooleanField(
        label=_("Did the provider agree to the withdrawal?"),
        required=False,
        widget=forms.NullBooleanSelect,
    )
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        required=False,
        help_text=_("Empty: today. YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def withdraw(self, notice: ExitNotice, actor) -> ExitNotice:
        """Call the service; its refusals become this form's errors (and raise again)."""
        try:
            return notice_withdraw(
                actor=actor,
                notice=notice,
                reason=self.cleaned_data["reason"],
                provider_agreed=self.cleaned_data["provider_agreed"],
                withdrawn_on=self.cleaned_data["withdrawn_on"],
            )
        except ValidationError as refused:
            fields = {"withdrawal_reason": "reason", "withdrawn_on": "withdrawn_on"}
            for key, texts in refused.message_dict.items():
                for text in texts:
                    self.add_error(fields.get(key), f"{notice}: {text}")
            raise
        except TransitionBlocked as blocked:
            for reason in blocked.reasons:
                self.add_error(None, f"{notice}: {reason}")
            raise


@admin.register(ExitNotice)
class ExitNoticeAdmin(ReadOnlyAdminMixin, ExportMixin, SimpleHistoryAdmin):
    """Notices are served on the contract page and by import; here they are read, exported
    and withdrawn, never edited or deleted (a withdrawal is recorded on the notice)."""

    resource_classes = [ExitNoticeResource]
    formats = [SafeCSV, SafeXLSX]
    list_display = (
        "contract",
        "scope",
        "served_on",
        "exit_date",
        "method",
        "in_force",
        "withdrawn_on",
    )
    list_filter = (
        NoticeInForceFilter,
        "scope",
        "method",
        ("contract__provider", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("contract",)
    search_fields = ("contract__reference", "contract__title")
    date_hierarchy = "served_on"
    fieldsets = (
        (None, {"fields": ("contract", "scope", "exit_date", "assistance_end")}),
        (
            _("Service"),
            {
                "fields": (
                    "served_on",
                    "dispatched_on",
                    "method",
                    "recipient",
                    "signed_by",
                    "proof",
                    "note",
                    "served_by",
                    "created_at",
                )
            },
        ),
        (
            _("Withdrawal"),
            {"fields": ("withdrawn_on", "withdrawal_reason", "provider_agreed", "withdrawn_by")},
        ),
    )
    readonly_fields = tuple(
        name for fieldset in fieldsets for name in fieldset[1]["fields"] if name
    )
    inlines = (NoticeProcessInline, NoticeEventInline)
    actions = ("withdraw_notices",)
    change_form_template = "admin/contracts/exitnotice/change_form.html"

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj):
        return obj.is_active

    @admin.display(description=_("termination assistance ends"))
    def assistance_end(self, obj):
        return obj.assistance_end

    def has_withdraw_permission(self, request, obj=None):
        return request.user.has_perm(WITHDRAW_NOTICE)

    # The legal record: read-only here (ReadOnlyAdminMixin), its history never reverted.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Withdrawal: an action over selected notices, and a button on a notice's page.

    def _info(self):
        return (self.model._meta.app_label, self.model._meta.model_name)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="{}_{}_withdraw".format(*self._info()),
            ),
            *super().get_urls(),
        ]

    def _withdraw_page(self, request, form, notices, *, action: bool):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw exit notice"),
            "opts": self.model._meta,
            "notices": notices,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/contracts/exitnotice/withdraw.html", context)

    @admin.action(description=_("Withdraw the selected notices…"), permissions=["withdraw"])
    def withdraw_notices(self, request, queryset):
        notices = list(queryset.select_related("contract"))
        form = WithdrawNoticeForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return self._withdraw_page(request, form, notices, action=True)
        done = []
        for notice in notices:
            try:
                done.append(str(form.withdraw(notice, request.user)))
            except ValidationError as refused:
                self._not_withdrawn(request, notice, refused.messages)
            except TransitionBlocked as blocked:
                self._not_withdrawn(request, notice, blocked.reasons)
            except PermissionDenied:
                self._not_withdrawn(request, notice, [_("You do not have permission to do this.")])
        if done:
            self.message_user(
                request,
                ngettext(
                    "Withdrawn: %(names)s.",
                    "Withdrawn %(count)d notices: %(names)s.",
                    len(done),
                )
                % {"count": len(done), "names": "; ".join(done)},
                messages.SUCCESS,
            )
        return None

    def _not_withdrawn(self, request, notice, reasons):
        self.message_user(
            request,
            _("“%(notice)s” was not withdrawn: %(reasons)s")
            % {"notice": notice, "reasons": " ".join(map(str, reasons))},
            messages.WARNING,
        )

    def withdraw_view(self, request, object_id):
        notice = self.get_object(request, unquote(object_id))
        if notice is None:
            raise Http404
        if not (
            self.has_view_permission(request, notice)
            and self.has_withdraw_permission(request, notice)
        ):
            raise PermissionDenied
        form = WithdrawNoticeForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                form.withdraw(notice, request.user)
            except (ValidationError, TransitionBlocked):
                pass  # the form now carries the service's reasons
            else:
                self.message_user(
                    request,
                    _("“%(notice)s” is withdrawn; its processes are outsourced again.")
                    % {"notice": notice},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:{}_{}_change".format(*self._info()),
                        args=[notice.pk],
                        current_app=self.admin_site.name,
                    )
                )
        return self._withdraw_page(request, form, [notice], action=False)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["may_withdraw"] = obj.is_active and self.has_withdraw_permission(request, obj)
            context["withdraw_url"] = reverse(
                "admin:{}_{}_withdraw".format(*self._info()),
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
