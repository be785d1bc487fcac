"""The board: the most urgent processes of each workflow state as cards, and every column
counted, so its size never grows with the portfolio (docs/performance.md)."""

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
        columns = selectors.process_board(programme, today=today)
        labels = dict(OutsourcedProcess.State.choices)
        # Each column's count and money, converted into the reporting currency
        # (docs/money.md), in one grouped query over every process of the column.
        shown = OutsourcedProcess.objects.all()
        if programme is not None:
            shown = shown.filter(programme=programme)
        money = selectors.portfolio_money(shown, on=today)
        totals = {column.state: column.figures for column in money.states}
        context.update(
            today=today,
            programmes=programmes,
            programme=programme,
            board_limit=selectors.BOARD_LIMIT,
            board_money=money.total,
            columns=[
                (
                    state,
                    labels[state],
                    selectors.ColumnCards(cards, total=totals[state].process_count),
                    totals[state],
                )
                for state, cards in columns.items()
            ],
        )
        return context
