"""Baseline pages: a process's or programme's baselines with the "Save baseline" form, the
comparison of the current plan with one baseline, its XLSX download, and delete
(docs/plan.md, "Baselines")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView

from core.clock import local_today
from core.spreadsheets import rows_response
from core.views import ServiceDeleteView, add_validation_errors

from ..forms_baselines import BaselineForm
from ..models import Baseline, OutsourcedProcess, Programme
from ..selectors import baselines as selectors
from ..services import baselines as services

SORTS = {
    "variance": lambda row: (row.variance_days, row.baseline_due),
    "due": lambda row: (row.current_due, row.milestone_id),
    "title": lambda row: (row.title.casefold(), row.milestone_id),
}


class SubjectBaselinesView(LoginRequiredMixin, View):
    """A process's or a programme's baselines (everyone signed in) and the form that saves
    one (those who may edit its plan)."""

    template_name = "transition/baseline_list.html"
    paginate_by = 25
    subject_model: type[OutsourcedProcess] | type[Programme]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.subject = get_object_or_404(self.get_subjects(), pk=kwargs["pk"])
        self.can_save = services.may_save_baseline(request.user, self.subject)
        return super().dispatch(request, *args, **kwargs)

    def get_subjects(self):
        raise NotImplementedError

    def get_baselines(self):
        raise NotImplementedError

    def save(self, form) -> Baseline:
        raise NotImplementedError

    def get(self, request, pk: int):
        return self.render(BaselineForm() if self.can_save else None)

    def post(self, request, pk: int):
        if not self.can_save:
            raise PermissionDenied
        form = BaselineForm(request.POST)
        if form.is_valid():
            try:
                baseline = self.save(form)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                count = baseline.entries.count()
                messages.success(
                    request,
                    ngettext(
                        "Baseline “%(name)s” saved with %(count)s milestone.",
                        "Baseline “%(name)s” saved with %(count)s milestones.",
                        count,
                    )
                    % {"name": baseline.name, "count": count},
                )
                return HttpResponseRedirect(baseline.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        page = Paginator(self.get_baselines(), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "subject": self.subject,
                "is_process": isinstance(self.subject, OutsourcedProcess),
                "page_obj": page,
                "paginator": page.paginator,
                "is_paginated": page.has_other_pages(),
                "baselines": page.object_list,
                "form": form,
                "can_save": self.can_save,
            },
            status=status,
        )


class ProcessBaselinesView(SubjectBaselinesView):
    def get_subjects(self):
        return OutsourcedProcess.objects.select_related("programme")

    def get_baselines(self):
        return selectors.baselines_of_process(self.subject)

    def save(self, form) -> Baseline:
        return services.baseline_save(
            actor=self.request.user, process=self.subject, **form.cleaned_data
        )


class ProgrammeBaselinesView(SubjectBaselinesView):
    def get_subjects(self):
        return Programme.objects.all()

    def get_baselines(self):
        return selectors.baselines_of_programme(self.subject)

    def save(self, form) -> Baseline:
        return services.baseline_save(
            actor=self.request.user, programme=self.subject, **form.cleaned_data
        )


class BaselineDetailView(LoginRequiredMixin, DetailView):
    """The current plan against one baseline: summary, milestone by milestone, added and
    removed; `?slipped=1` keeps the later ones, `?sort=variance` (or `-variance`, `due`,
    `title`) orders them."""

    template_name = "transition/baseline_detail.html"
    context_object_name = "baseline"

    def get_queryset(self):
        return selectors.baseline_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = local_today()
        variance = selectors.baseline_variance(self.object, on=today)
        slipped_only = self.request.GET.get("slipped") == "1"
        rows = variance.slipped if slipped_only else list(variance.rows)
        sort = self.request.GET.get("sort", "")
        key = SORTS.get(sort.lstrip("-"))
        if key is not None:
            rows.sort(key=key, reverse=sort.startswith("-"))
        context.update(
            today=today,
            variance=variance,
            summary=variance.summary,
            rows=rows,
            slipped_only=slipped_only,
            subject=self.object.subject,
            can_delete=services.may_delete_baseline(self.request.user, self.object),
        )
        return context


# The columns of the variance download, in order.
EXPORT_HEADERS = (
    "process",
    "milestone",
    "kind",
    "change",
    "baseline_start",
    "baseline_due",
    "current_start",
    "current_due",
    "variance_days",
    "note",
)


def export_note(row: selectors.VarianceRow) -> str:
    if row.removed_because == selectors.MOVED:
        return _("moved to %(process)s") % {"process": row.moved_to}
    if row.removed_because == selectors.DELETED:
        return _("deleted")
    return _("done") if row.done else ""


class BaselineVarianceExportView(LoginRequiredMixin, View):
    """The comparison as an XLSX workbook: one row per milestone, text never a formula."""

    def get(self, request, pk: int):
        baseline = get_object_or_404(selectors.baseline_detail(), pk=pk)
        variance = selectors.baseline_variance(baseline, on=local_today())
        rows = (
            (
                row.process_name,
                row.title,
                row.kind_label,
                row.status_label,
                row.baseline_start,
                row.baseline_due,
                row.current_start,
                row.current_due,
                row.variance_days,
                export_note(row),
            )
            for row in variance.all_rows()
        )
        # Only the id and the day reach the file name: never the baseline's name as typed.
        name = f"baseline-{baseline.pk}-variance-{local_today():%Y-%m-%d}"
        return rows_response("xlsx", EXPORT_HEADERS, rows, name)


class BaselineDeleteView(ServiceDeleteView):
    """Delete a baseline (operations managers, or whoever saved it); back to the list."""

    model = Baseline
    template_name = "core/confirm_delete.html"

    def get_queryset(self):
        return selectors.baseline_detail()

    def get_object(self, queryset=None):
        # Asked by the permission check and by the view itself: read once.
        if not hasattr(self, "_baseline"):
            self._baseline = super().get_object(queryset)
        return self._baseline

    def has_permission(self):
        return services.may_delete_baseline(self.request.user, self.get_object())

    def delete_object(self):
        services.baseline_delete(actor=self.request.user, baseline=self.object)

    def get_success_url(self):
        if self.object.process_id is not None:
            return reverse("transition:process_baselines", args=[self.object.process_id])
        return reverse("transition:programme_baselines", args=[self.object.programme_id])
