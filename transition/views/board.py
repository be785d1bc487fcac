"""The board: every process as a card in the column of its workflow state."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from core.clock import local_today

from .. import selectors
from ..models import OutsourcedProcess, Programme


class ProcessBoardView(LoginRequiredMixin, TemplateView):
    template_name = "transition/process_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programmes = list(Programme.objects.order_by("name"))
        selected = self.request.GET.get("programme", "")
        programme = next((p for p in programmes if str(p.pk) == selected), None)
        columns = selectors.process_board(programme)
        labels = dict(OutsourcedProcess.State.choices)
        context.update(
            today=local_today(),
            programmes=programmes,
            programme=programme,
            columns=[
                (state, labels[state], cards, selectors.business_case_totals(cards))
                for state, cards in columns.items()
            ],
        )
        return context
