"""The dashboard: the one page that is not a register of its own."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.clock import local_today
from raid.selectors import dashboard_raid
from transition.selectors.exit_plans import dashboard_attention

from . import selectors


class DashboardView(LoginRequiredMixin, TemplateView):
    """Processes by state, the next 90 days of deadlines, what is overdue, and my items."""

    template_name = "web/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = selectors.dashboard(self.request.user, local_today())
        money = dashboard.portfolio
        states = [state.figures for state in money.states]
        context["dashboard"] = dashboard
        context["raid"] = dashboard_raid(dashboard.today)
        context["exit_plans"] = dashboard_attention(dashboard.today)
        # Floats only for drawing: Chart.js takes JSON numbers; every figure shown as text
        # on the page stays a Decimal. The bars are the converted totals in the reporting
        # currency; amounts without a rate are not in them (the page lists them).
        context["chart"] = {
            "labels": [state.label for state in money.states],
            "series": [
                {
                    "label": _("Annual outsourced cost"),
                    "data": [float(s.annual_outsourced_cost.amount.amount) for s in states],
                },
                {
                    "label": _("Projected in-house cost"),
                    "data": [float(s.projected_inhouse_annual_cost.amount.amount) for s in states],
                },
                {
                    "label": _("Annual saving"),
                    "data": [float(s.annual_saving.amount.amount) for s in states],
                },
            ],
            "currency": money.currency,
            "complete": money.total.complete,
        }
        return context
