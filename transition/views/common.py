"""Mixins shared by the transition pages: plan permissions and the process an item belongs to."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from core.views import ServiceDeleteView, ServiceFormMixin

from .. import selectors, services
from ..models import OutsourcedProcess

EDIT_PLAN = "transition.edit_plan"


class PlanItemCreateMixin(ServiceFormMixin):
    """Create a milestone, asset or staff record, for a process the user may plan.

    The model's save mixin names its service (`save_service`, a staticmethod) and the
    service's argument for an existing item (`item_argument`).

    With `?process=<id>` the permission is checked on that process (403 when not theirs);
    without it, on having any process to plan at all.
    """

    permission_required = EDIT_PLAN
    fragment = ""

    def save(self, form):
        return self.save_service(actor=self.request.user, **form.cleaned_data)

    def get_process(self) -> OutsourcedProcess | None:
        if not hasattr(self, "_process"):
            pk = self.request.GET.get("process") or self.request.POST.get("process")
            self._process = (
                get_object_or_404(OutsourcedProcess, pk=pk) if pk and str(pk).isdigit() else None
            )
        return self._process

    def has_permission(self):
        process = self.get_process()
        if process is not None:
            return self.request.user.has_perm(EDIT_PLAN, process)
        return selectors.editable_processes(self.request.user).exists()

    def get_initial(self):
        initial = super().get_initial()
        if self.get_process() is not None:
            initial["process"] = self.get_process()
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.get_process()
        return context

    def get_success_url(self):
        return self.object.process.get_absolute_url() + self.fragment


class PlanItemUpdateMixin(ServiceFormMixin):
    """Edit a plan item; the permission object is the item (its process decides)."""

    permission_required = EDIT_PLAN
    fragment = ""

    def get_queryset(self):
        return super().get_queryset().select_related("process", "process__programme")

    def save(self, form):
        # The process field is disabled on edit: the item stays where it is.
        fields = {name: value for name, value in form.cleaned_data.items() if name != "process"}
        item = {self.item_argument: self.object}
        return self.save_service(actor=self.request.user, **item, **fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.object.process
        return context

    def get_success_url(self):
        return self.object.process.get_absolute_url() + self.fragment


class PlanItemDeleteView(ServiceDeleteView):
    """Delete a plan item through `plan_item_delete`; back to its process afterwards."""

    permission_required = EDIT_PLAN
    template_name = "core/confirm_delete.html"
    fragment = ""

    def get_queryset(self):
        return super().get_queryset().select_related("process")

    def delete_object(self):
        services.plan_item_delete(item=self.object, actor=self.request.user)

    def get_success_url(self):
        return reverse("transition:process_detail", args=[self.object.process_id]) + self.fragment


class PlanItemDetailView(LoginRequiredMixin, DetailView):
    """A plan item's page; everyone signed in may read it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.object.process
        context["can_edit_plan"] = self.request.user.has_perm(EDIT_PLAN, self.object.process)
        return context


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (a 403 page) unless `user` holds `perm` on `obj`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
