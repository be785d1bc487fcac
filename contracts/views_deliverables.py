"""Pages of termination-assistance deliverables: one with its history and evidence, the
form to add or edit one, and recording what the provider sent (docs/exit-management.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from core.clock import local_today
from core.files import stored_file_response
from core.views import ServiceFormMixin, add_validation_errors

from .downloads import EVIDENCE_MESSAGES
from .forms_deliverables import DeliverableForm, DeliverableRecordForm
from .models import Deliverable, ExitNotice
from .rules import EDIT_DELIVERABLE
from .selectors.deliverables import deliverable_detail, deliverable_history, is_overdue
from .services_deliverables import deliverable_save


class DeliverableDetailView(LoginRequiredMixin, DetailView):
    """A deliverable, its evidence, every version of it and, for whoever may, the form
    recording what the provider sent."""

    template_name = "contracts/deliverable_detail.html"
    context_object_name = "deliverable"

    def get_queryset(self):
        return deliverable_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliverable, today = self.object, local_today()
        can_edit = self.request.user.has_perm(EDIT_DELIVERABLE, deliverable)
        context.update(
            today=today,
            overdue=is_overdue(deliverable, today),
            can_edit=can_edit,
            history=deliverable_history(deliverable),
        )
        if can_edit:
            context.setdefault("record_form", DeliverableRecordForm.for_deliverable(deliverable))
        return context


class DeliverableCreateView(ServiceFormMixin, CreateView):
    """A deliverable the checklist did not have, owed under the notice `?notice=<id>`."""

    model = Deliverable
    form_class = DeliverableForm
    template_name = "contracts/deliverable_form.html"
    permission_required = EDIT_DELIVERABLE
    success_message = gettext_lazy("“%(object)s” was added to the deliverables.")

    def get_notice(self) -> ExitNotice:
        if not hasattr(self, "_notice"):
            raw = self.request.GET.get("notice", "")
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
                raise Http404(_("Name the exit notice the deliverable is owed under."))
            self._notice = get_object_or_404(
                ExitNotice.objects.select_related("contract__owner"), pk=int(raw)
            )
        return self._notice

    def get_permission_object(self):
        return self.get_notice()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Deliverable(exit_notice=self.get_notice())
        return kwargs

    def get_initial(self):
        return {"owner": self.get_notice().contract.owner_id}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = self.get_notice()
        return context

    def save(self, form):
        return deliverable_save(
            actor=self.request.user, exit_notice=self.get_notice(), **form.cleaned_data
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class DeliverableUpdateView(ServiceFormMixin, UpdateView):
    model = Deliverable
    form_class = DeliverableForm
    template_name = "contracts/deliverable_form.html"
    context_object_name = "deliverable"
    permission_required = EDIT_DELIVERABLE
    success_message = gettext_lazy("“%(object)s” was saved.")

    def get_queryset(self):
        return deliverable_detail()

    def get_permission_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = self.object.exit_notice
        return context

    def save(self, form):
        return deliverable_save(
            actor=self.request.user, deliverable=self.object, **form.cleaned_data
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class DeliverableRecordView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Record a deliverable received (with evidence), accepted, rejected or waived; a
    refusal shows its message on the deliverable's page (400), nothing written."""

    permission_required = EDIT_DELIVERABLE

    def get_permission_object(self):
        return self.get_deliverable()

    def get_deliverable(self) -> Deliverable:
        if not hasattr(self, "_deliverable"):
            self._deliverable = get_object_or_404(deliverable_detail(), pk=self.kwargs["pk"])
        return self._deliverable

    def post(self, request, pk):
        deliverable = self.get_deliverable()
        form = DeliverableRecordForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = deliverable_save(
                    actor=request.user, deliverable=deliverable, **form.service_fields()
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is recorded %(status)s.")
                    % {"title": saved.title, "status": saved.get_status_display().lower()},
                )
                return HttpResponseRedirect(saved.get_absolute_url())
        view = DeliverableDetailView(request=request, kwargs={"pk": pk}, args=())
        # Fresh from the database: the refused values must not show as if recorded.
        view.object = get_object_or_404(deliverable_detail(), pk=pk)
        context = view.get_context_data(object=view.object, record_form=form)
        return TemplateResponse(request, view.template_name, context, status=400)

    def get(self, request, pk):
        return HttpResponseRedirect(self.get_deliverable().get_absolute_url())


class DeliverableEvidenceView(LoginRequiredMixin, View):
    """Serve a deliverable's evidence to signed-in users only, as contract documents are."""

    def get(self, request, pk):
        deliverable = get_object_or_404(Deliverable, pk=pk)
        return stored_file_response(deliverable.evidence, **EVIDENCE_MESSAGES)
