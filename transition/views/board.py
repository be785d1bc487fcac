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
        today = local_today()
        programmes = list(Programme.objects.order_by("name"))
        selected = self.request.GET.get("programme", "")
        programme = next((p for p in programmes if str(p.pk) == selected), None)
        columns = selectors.process_board(programme)
        labels = dict(OutsourcedProcess.State.choices)
        # Each column's money converted into the reporting currency (docs/money.md).
        shown = OutsourcedProcess.objects.all()
        if programme is not None:
            shown = shown.filter(programme=programme)
        money = selectors.portfolio_money(shown, on=today)
        totals = {column.state: column.figures for column in money.states}
        context.update(
            today=today,
            programmes=programmes,
            programme=programme,
            board_money=money.total,
            columns=[
                (state, labels[state], cards, totals[state]) for state, cards in columns.items()
            ],
        )
        return context
