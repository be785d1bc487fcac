"""Admin for programmes, processes and the workflow log; state moves only through the workflow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from moneyed import Money
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_import import RegisterImportExportMixin
from contracts.admin import ReadOnlyInline
from core import formats
from core.admin_read_only import ReadOnlyAdminMixin
from core.clock import local_today
from core.formats import short_date

from ..models import BusinessCaseInputs, OutsourcedProcess, ProcessEvent, Programme
from ..resources import OutsourcedProcessResource, ProgrammeResource
from ..selectors import available_transitions, programme_money, with_rag_inputs
from ..services import TransitionBlocked, UnknownTransition, apply_transition
from .plan import AssetInline, MilestoneInline, ReadinessInline, StaffInline, rag_badge


def money_text(amount: Money) -> str:
    """`EUR 1,250,000`, as every page shows an amount: always with its currency."""
    return formats.money(amount.amount, amount.currency.code)


# Fields only the workflow writes (docs/domain.md); the admin shows them read-only.
WORKFLOW_FIELDS = ("state", "notice_served_on", "exit_date", "in_house_on")


class EventInline(ReadOnlyInline, admin.TabularInline):
    model = ProcessEvent
    fields = ("at", "transition", "source", "target", "actor", "note")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = _("workflow events")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ProgrammeProcessInline(ReadOnlyInline, admin.TabularInline):
    model = OutsourcedProcess
    fields = ("name", "contract", "state", "owner", "lead", "exit_date")
    readonly_fields = fields
    verbose_name_plural = _("processes in this programme")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contract", "owner", "lead")


@admin.register(Programme)
class ProgrammeAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [ProgrammeResource]
    list_display = (
        "name",
        "sponsor",
        "start_date",
        "target_date",
        "budget_with_currency",
        "processes",
        "annual_saving",
    )
    list_select_related = ("sponsor",)
    search_fields = ("name", "description")
    date_hierarchy = "target_date"
    autocomplete_fields = ("sponsor",)
    inlines = (ProgrammeProcessInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(process_count=Count("processes"))

    def get_changelist_instance(self, request):
        # The page's programmes' money in one grouped query, each currency converted as the
        # pages do (docs/money.md, "Honest totals"); never a SQL sum across currencies, so
        # the column cannot be sorted on.
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        money = programme_money([row.pk for row in rows], on=local_today())
        for row in rows:
            row.money = money[row.pk]
        return changelist

    @admin.display(description=_("processes"), ordering="process_count")
    def processes(self, obj):
        return obj.process_count

    @admin.display(description=_("budget"), ordering="budget")
    def budget_with_currency(self, obj):
        return money_text(Money(obj.budget, obj.currency))

    @admin.display(description=_("annual saving"))
    def annual_saving(self, obj):
        figures = getattr(obj, "money", None)
        if figures is None or not figures.saving_count:
            return "-"
        saving = figures.annual_saving
        text = money_text(saving.amount)
        if saving.rates_date is not None:
            text += " " + _("(rates of %(day)s)") % {"day": short_date(saving.rates_date)}
        if not saving.complete:
            left_out = ", ".join(money_text(amount) for amount in saving.unconverted.values())
            text += " " + _("incomplete, not added (no rate): %(amounts)s") % {"amounts": left_out}
        return text


class WithdrawNoticeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing the notice"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


class BusinessCaseInputsInline(admin.StackedInline):
    """The process's business-case assumptions (docs/business-case.md); one row at most."""

    model = BusinessCaseInputs
    fields = BusinessCaseInputs.INPUT_FIELDS
    extra = 0  # no row means the defaults; "Add another" creates it
    max_num = 1
    verbose_name_plural = _("business case inputs")


@admin.register(OutsourcedProcess)
class OutsourcedProcessAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [OutsourcedProcessResource]
    list_display = (
        "name",
        "programme",
        "contract",
        "category",
        "criticality",
        "state",
        "rag",
        "annual_saving",
        "payback_months",
        "owner",
        "lead",
        "next_milestone_due",
        "exit_date",
    )
    list_filter = (
        "state",
        "category",
        "criticality",
        "programme",
        ("contract__provider", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("programme", "contract", "owner", "lead")
    search_fields = (
        "name",
        "description",
        "programme__name",
        "contract__reference",
        "contract__provider__name",
    )
    date_hierarchy = "exit_date"
    autocomplete_fields = ("programme", "contract", "owner", "lead")
    # Read-only fields are left out of the ModelForm, so the protected FSM field never
    # reaches full_clean() or construct_instance().
    readonly_fields = (
        *WORKFLOW_FIELDS,
        "rag",
        "annual_saving",
        "payback_months",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "programme", "contract", "description")}),
        (_("Classification"), {"fields": ("category", "criticality", "owner", "lead")}),
        (
            _("Business case"),
            {
                "fields": (
                    "currency",
                    "annual_outsourced_cost",
                    "projected_inhouse_annual_cost",
                    "one_off_transition_cost",
                    "annual_saving",
                    "payback_months",
                    "target_in_house_date",
                )
            },
        ),
        (
            _("Workflow (changed only by the transition actions)"),
            {"fields": (*WORKFLOW_FIELDS, "rag")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (
        BusinessCaseInputsInline,
        MilestoneInline,
        AssetInline,
        StaffInline,
        ReadinessInline,
        EventInline,
    )
    actions = ("serve_exit_notice", "withdraw_notice", "start_transition", "complete")
    change_form_template = "admin/transition/outsourcedprocess/change_form.html"

    def get_queryset(self, request):
        # What `rag` reads, loaded as the processes pages load it, for any length of list.
        return with_rag_inputs(super().get_queryset(request))

    @admin.display(description=_("RAG"))
    def rag(self, obj):
        # A history snapshot has no plan dates loaded: today's RAG would not be its RAG.
        return rag_badge(obj.rag) if obj.pk and obj.rag_inputs_loaded else "-"

    @admin.display(description=_("annual saving"))
    def annual_saving(self, obj):
        saving = obj.annual_saving
        return "-" if saving is None else money_text(Money(saving, obj.currency))

    @admin.display(description=_("payback (months)"))
    def payback_months(self, obj):
        return obj.payback_months

    @admin.display(description=_("next milestone due"), ordering="next_milestone_due")
    def next_milestone_due(self, obj):
        return obj.next_milestone_due

    # History: a revert would write an old state around the workflow, so it is view-only.

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Workflow: every state change goes through apply_transition, one process at a time.

    def _apply(self, request, process, name, **params) -> OutsourcedProcess | None:
        """Fire one transition; say why not with a message and return None when refused."""
        try:
            return apply_transition(process, name, request.user, **params)
        except PermissionDenied:
            self.message_user(
                request,
                _("“%(process)s” was not changed: you do not have permission to do this.")
                % {"process": process},
                messages.ERROR,
            )
        except TransitionBlocked as blocked:
            self.message_user(
                request,
                _("“%(process)s” was not changed: %(reasons)s")
                % {"process": process, "reasons": " ".join(blocked.reasons)},
                messages.WARNING,
            )
        return None

    def _run_on_selection(self, request, queryset, name, label, **params):
        done = [str(p) for p in queryset if self._apply(request, p, name, **params) is not None]
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(action)s: %(count)d process done (%(names)s).",
                    "%(action)s: %(count)d processes done (%(names)s).",
                    len(done),
                )
                % {"action": label, "count": len(done), "names": ", ".join(done)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Serve exit notice (served today)"), permissions=["change"])
    def serve_exit_notice(self, request, queryset):
        self._run_on_selection(request, queryset, "serve_exit_notice", _("Serve exit notice"))

    @admin.action(description=_("Start transition"), permissions=["change"])
    def start_transition(self, request, queryset):
        self._run_on_selection(request, queryset, "start_transition", _("Start transition"))

    @admin.action(description=_("Complete (in-house today)"), permissions=["change"])
    def complete(self, request, queryset):
        self._run_on_selection(request, queryset, "complete", _("Complete"))

    @admin.action(description=_("Withdraw exit notice…"), permissions=["change"])
    def withdraw_notice(self, request, queryset):
        form = WithdrawNoticeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run_on_selection(
                request,
                queryset,
                "withdraw_notice",
                _("Withdraw notice"),
                reason=form.cleaned_data["reason"],
            )
            return None
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw exit notice"),
            "opts": self.model._meta,
            "processes": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "withdraw_notice",
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/transition/outsourcedprocess/withdraw_notice.html", context
        )

    def _info(self):
        return (self.model._meta.app_label, self.model._meta.model_name)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*self._info()),
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, name):
        """Fire one transition from the change page's workflow panel (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        process = self.get_object(request, unquote(object_id))
        if process is None:
            raise Http404
        if not self.has_change_permission(request, process):
            raise PermissionDenied
        # An empty reason is passed on so that apply_transition refuses it with its own words.
        params = {"reason": request.POST.get("reason", "")} if name == "withdraw_notice" else {}
        try:
            moved = self._apply(request, process, name, note=request.POST.get("note", ""), **params)
        except UnknownTransition:
            raise Http404 from None
        if moved is not None:
            self.message_user(
                request,
                _("“%(process)s” is now %(state)s.")
                % {"process": moved, "state": moved.get_state_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse(
                "admin:{}_{}_change".format(*self._info()),
                args=[process.pk],
                current_app=self.admin_site.name,
            )
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["transition_options"] = [
                (
                    option,
                    reverse(
                        "admin:{}_{}_transition".format(*self._info()),
                        args=[obj.pk, option.name],
                        current_app=self.admin_site.name,
                    ),
                )
                for option in available_transitions(obj, request.user)
            ]
            context["may_run_transitions"] = self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(ProcessEvent)
class ProcessEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The workflow's audit log: written only by apply_transition, never edited here."""

    list_display = ("at", "process", "transition", "source", "target", "actor", "note")
    list_filter = ("transition", "target", ("actor", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("process", "actor")
    search_fields = ("process__name", "note", "actor__username")
    date_hierarchy = "at"
