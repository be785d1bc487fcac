"""Plan pages: milestones, assets and staff of the processes (list, detail, forms, delete)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, UpdateView
from rules import has_perm as rules_has_perm

from core.bulk import BulkAction, BulkActionsMixin, delete_action, owner_action, status_action
from core.clock import local_today
from core.views import RegisterListView
from transition.resources import AssetResource, MilestoneResource, StaffMemberResource

from .. import selectors, services
from ..filters import AssetFilter, MilestoneFilter, StaffFilter
from ..forms import AssetForm, MilestoneForm, StaffForm, UserChoiceField
from ..models import Asset, Milestone, StaffMember
from ..selectors.schedule import process_schedule
from .common import (
    EDIT_PLAN,
    PlanItemCreateMixin,
    PlanItemDeleteView,
    PlanItemDetailView,
    PlanItemUpdateMixin,
    require,
)
from .workspace import refreshed_milestone


class ScheduleWarningsMixin:
    """After a save, the schedule findings the service let through, as one warning
    ("Saved, but: …"), each naming its dates (docs/plan.md, "Schedule checks")."""

    def form_valid(self, form):
        response = super().form_valid(form)
        warnings = getattr(self.object, "schedule_warnings", None)
        if response.status_code == 302 and warnings:
            messages.warning(
                self.request,
                _("Saved, but: %(issues)s")
                % {"issues": " ".join(finding.message for finding in warnings)},
            )
        return response


class TodayMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = local_today()
        return context


class PlanListMixin(TodayMixin):
    """A plan list offers "New" only to those who may plan some process."""

    def can_add(self) -> bool:
        user = self.request.user
        return (
            rules_has_perm("transition.edit_process", user)
            or selectors.editable_processes(user).exists()
        )


# Milestones


def _milestone_mark_done(milestone: Milestone, actor, value) -> bool:
    if milestone.status == Milestone.Status.DONE:
        return False
    services.milestone_complete(milestone=milestone, actor=actor)
    return True


class MilestoneListView(PlanListMixin, BulkActionsMixin, RegisterListView):
    title = gettext_lazy("Milestones")
    model = Milestone
    filterset_class = MilestoneFilter
    template_name = "transition/milestone_list.html"
    search_fields = ("title", "process__name")
    sort_fields = {
        "title": "title",
        "process": "process__name",
        "kind": "kind",
        "owner": "owner__last_name",
        "start": "start_date",
        "due": "due_date",
        "status": "status",
    }
    default_sort = "due"
    resource_class = MilestoneResource
    export_name = "milestones"
    # As the single edits: the done toggle, the edit form, the delete (docs/bulk-actions.md).
    bulk_actions = (
        BulkAction(
            key="done",
            label=gettext_lazy("Mark done"),
            permission=EDIT_PLAN,
            run=_milestone_mark_done,
            done=gettext_lazy("marked done"),
            unchanged=gettext_lazy("already done, unchanged"),
        ),
        status_action(services.milestone_save, "milestone", EDIT_PLAN, Milestone.Status.choices),
        owner_action(
            services.milestone_save,
            "milestone",
            EDIT_PLAN,
            lambda view: UserChoiceField(label=_("New owner"), queryset=selectors.active_users()),
        ),
        delete_action(services.plan_item_delete, "item", EDIT_PLAN),
    )

    def get_base_queryset(self):
        return selectors.milestone_list()


class MilestoneDetailView(TodayMixin, PlanItemDetailView):
    template_name = "transition/milestone_detail.html"
    context_object_name = "milestone"

    def get_queryset(self):
        return selectors.milestone_detail().select_related("freeze_override_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schedule = process_schedule(self.object.process, context["today"])
        context["schedule_findings"] = schedule.by_milestone.get(self.object.pk, [])
        return context


class MilestoneSaveMixin:
    model = Milestone
    form_class = MilestoneForm
    template_name = "transition/milestone_form.html"
    fragment = "#milestones"
    save_service = staticmethod(services.milestone_save)
    item_argument = "milestone"


class MilestoneCreateView(
    ScheduleWarningsMixin, MilestoneSaveMixin, PlanItemCreateMixin, CreateView
):
    success_message = gettext_lazy("Milestone “%(object)s” was added.")


class MilestoneUpdateView(
    ScheduleWarningsMixin, MilestoneSaveMixin, PlanItemUpdateMixin, UpdateView
):
    success_message = gettext_lazy("Milestone “%(object)s” was saved.")


class MilestoneDeleteView(PlanItemDeleteView):
    model = Milestone
    fragment = "#milestones"


class MilestoneCompleteView(LoginRequiredMixin, View):
    """Mark a milestone done: for htmx the updated row and the workspace panels it changes,
    a redirect otherwise."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        milestone = get_object_or_404(Milestone.objects.select_related("process"), pk=pk)
        require(request.user, EDIT_PLAN, milestone)
        error = None
        try:
            services.milestone_complete(milestone=milestone, actor=request.user)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        if request.htmx:
            # The row and, out of band, every panel it changes (docs/workspace.md).
            return refreshed_milestone(request, pk, milestone.process_id, error=error)
        if error:
            messages.error(
                request,
                _("“%(title)s” is not done: %(error)s") % {"title": milestone, "error": error},
            )
        else:
            messages.success(request, _("“%(title)s” is done.") % {"title": milestone})
        return HttpResponseRedirect(self.next_url(milestone))

    def next_url(self, milestone) -> str:
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("transition:process_detail", args=[milestone.process_id]) + "#milestones"


# Assets


class AssetListView(PlanListMixin, BulkActionsMixin, RegisterListView):
    title = gettext_lazy("Assets")
    model = Asset
    filterset_class = AssetFilter
    template_name = "transition/asset_list.html"
    search_fields = ("name", "tag", "process__name")
    sort_fields = {
        "name": "name",
        "process": "process__name",
        "category": "category",
        "method": "transfer_method",
        "value": "book_value",
        "due": "transfer_due",
        "status": "status",
    }
    default_sort = "due"
    resource_class = AssetResource
    export_name = "assets"
    bulk_actions = (
        status_action(services.asset_save, "asset", EDIT_PLAN, Asset.Status.choices),
        delete_action(services.plan_item_delete, "item", EDIT_PLAN),
    )

    def get_base_queryset(self):
        return selectors.asset_list()


class AssetDetailView(TodayMixin, PlanItemDetailView):
    template_name = "transition/asset_detail.html"
    context_object_name = "asset"

    def get_queryset(self):
        return selectors.asset_list()


class AssetSaveMixin:
    model = Asset
    form_class = AssetForm
    template_name = "transition/asset_form.html"
    fragment = "#assets"
    save_service = staticmethod(services.asset_save)
    item_argument = "asset"


class AssetCreateView(ScheduleWarningsMixin, AssetSaveMixin, PlanItemCreateMixin, CreateView):
    success_message = gettext_lazy("Asset “%(object)s” was added.")


class AssetUpdateView(ScheduleWarningsMixin, AssetSaveMixin, PlanItemUpdateMixin, UpdateView):
    success_message = gettext_lazy("Asset “%(object)s” was saved.")


class AssetDeleteView(PlanItemDeleteView):
    model = Asset
    fragment = "#assets"


# Staff


class StaffListView(PlanListMixin, BulkActionsMixin, RegisterListView):
    title = gettext_lazy("Staff")
    model = StaffMember
    filterset_class = StaffFilter
    template_name = "transition/staff_list.html"
    search_fields = ("name", "role", "process__name")
    sort_fields = {
        "name": "name",
        "role": "role",
        "process": "process__name",
        "route": "route",
        "status": "status",
        "start": "planned_start",
        # Due a fixed number of days before the planned start (StaffMember.eli_due_date).
        "eli_due": "planned_start",
        "cost": "annual_cost",
    }
    default_sort = "start"
    resource_class = StaffMemberResource
    export_name = "staff"
    bulk_actions = (
        status_action(services.staff_save, "member", EDIT_PLAN, StaffMember.Status.choices),
        delete_action(services.plan_item_delete, "item", EDIT_PLAN),
    )

    def get_base_queryset(self):
        return selectors.staff_list()


class StaffDetailView(TodayMixin, PlanItemDetailView):
    template_name = "transition/staff_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return selectors.staff_list()


class StaffSaveMixin:
    model = StaffMember
    form_class = StaffForm
    template_name = "transition/staff_form.html"
    fragment = "#staff"
    save_service = staticmethod(services.staff_save)
    item_argument = "member"


class StaffCreateView(ScheduleWarningsMixin, StaffSaveMixin, PlanItemCreateMixin, CreateView):
    success_message = gettext_lazy("“%(object)s” was added to the staff plan.")


class StaffUpdateView(ScheduleWarningsMixin, StaffSaveMixin, PlanItemUpdateMixin, UpdateView):
    success_message = gettext_lazy("“%(object)s” was saved.")


class StaffDeleteView(PlanItemDeleteView):
    model = StaffMember
    fragment = "#staff"
