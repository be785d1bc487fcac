"""The Gantt timeline of a programme: milestone bars grouped by process, contract dates as
markers, change freezes as bands, the critical path and, on request, a baseline."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.clock import local_today

from .. import selectors
from ..models import Programme
from ..selectors.gantt import baseline_entries, critical_paths, gantt_baselines, gantt_freezes
from .common import EDIT_PLAN


class ProgrammeGanttView(LoginRequiredMixin, TemplateView):
    """One page of a programme's processes at a time, or one process (`?process=<id>`).

    A programme may hold a thousand processes; drawing them all made a page of megabytes,
    so the timeline is bounded by the page size, whatever the programme (docs/performance.md).
    """

    template_name = "transition/programme_gantt.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The processes are counted with the programme, so the pager costs no query of its own.
        programme = get_object_or_404(
            Programme.objects.select_related("sponsor").annotate(process_count=Count("processes")),
            pk=kwargs["pk"],
        )
        today = local_today()
        processes = selectors.programme_timeline(programme)
        process = self.chosen_process(processes)
        if process is not None:
            chosen = [process]
            context.update(page_obj=None, paginator=None, is_paginated=False)
        else:
            paginator = Paginator(processes, self.paginate_by)
            paginator.count = programme.process_count  # type: ignore[attr-defined]
            # get_page() turns a page number that is not one into the first or last page.
            page = paginator.get_page(self.request.GET.get("page"))
            chosen = list(page.object_list)
            context.update(page_obj=page, paginator=paginator, is_paginated=page.has_other_pages())
        freezes = gantt_freezes(programme)
        baselines = list(gantt_baselines(programme, chosen))
        baseline = self.chosen_baseline(baselines)
        timeline = selectors.programme_gantt(
            chosen,
            today,
            freezes=freezes,
            analyses=critical_paths(chosen, freezes, today),
            baseline=baseline,
            baseline_dates=baseline_entries(baseline, chosen) if baseline else None,
        )
        user = self.request.user
        context.update(
            programme=programme,
            process=process,
            today=today,
            timeline=timeline,
            baselines=baselines,
            baseline=baseline,
            can_plan={p.pk for p in chosen if not p.milestone_rows and user.has_perm(EDIT_PLAN, p)},
        )
        return context

    def chosen_baseline(self, baselines):
        """The baseline `?baseline=<id>` names among those offered, or None (with a message
        if it names none)."""
        value = self.request.GET.get("baseline", "").strip()
        if not value:
            return None
        baseline = next((b for b in baselines if str(b.pk) == value), None)
        if baseline is None:
            messages.error(
                self.request,
                _("There is no baseline “%(value)s” of this programme: showing the plan alone.")
                % {"value": value[:40]},
            )
        return baseline

    def chosen_process(self, processes):
        """The process `?process=<id>` names, or None (with a message if it names none)."""
        value = self.request.GET.get("process", "").strip()
        if not value:
            return None
        # ASCII digits short enough for the id column: anything else names no process.
        valid = value.isascii() and value.isdigit() and len(value) <= 9
        process = processes.filter(pk=int(value)).first() if valid else None
        if process is None:
            messages.error(
                self.request,
                _("This programme has no process “%(value)s”: showing all its processes.")
                % {"value": value[:40]},
            )
        return process
