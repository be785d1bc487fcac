"""The Gantt timeline of a programme: milestones with dependencies, contract dates as markers."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.clock import local_today

from .. import selectors
from ..models import Programme


class ProgrammeGanttView(LoginRequiredMixin, TemplateView):
    template_name = "transition/programme_gantt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = get_object_or_404(Programme.objects.select_related("sponsor"), pk=kwargs["pk"])
        today = local_today()
        timeline = selectors.programme_gantt(programme, today)
        context.update(programme=programme, today=today, timeline=timeline)
        return context
