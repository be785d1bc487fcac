"""The portfolio totals as a download (docs/money.md, "Downloading the totals").

The figures are `transition.selectors.money_figures`, the one rule for money over processes
(docs/money.md, "Honest totals"); this module only lays them out, one row a number: for each
figure the converted total in the reporting currency, then each currency's subtotal as
entered. Nothing is added up here, so the file cannot disagree with the pages.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import tablib
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core import formats
from core.clock import local_today
from core.spreadsheets import dataset_response
from currencies.conversion import Total, to_cents
from transition.filters import ProcessFilter
from transition.selectors import MoneyFigures, money_figures
from transition.views.processes import ProcessListView

HEADERS = ("figure", "currency", "amount", "rates_of", "basis")
# Each figure in the order the pages show them, with the count of processes that have it.
FIGURES = (
    ("annual_outsourced_cost", "outsourced_count"),
    ("projected_inhouse_annual_cost", "inhouse_count"),
    ("annual_saving", "saving_count"),
    ("one_off_transition_cost", "one_off_count"),
)
# The process list's query parameters: any of them set means "the processes it lists".
LIST_PARAMETERS = frozenset({*ProcessFilter.base_filters, "q"})


class TotalsQueryForm(forms.Form):
    on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        label=gettext_lazy("Rates of"),
        error_messages={
            "invalid": gettext_lazy("Give the day as YYYY-MM-DD, such as 2026-10-30."),
        },
    )


def figure_label(figure: str, figures: MoneyFigures) -> str:
    if figure == "annual_saving":
        return ngettext(
            "Annual saving (over the %(count)s process with both figures)",
            "Annual saving (over the %(count)s processes with both figures)",
            figures.saving_count,
        ) % {"count": figures.saving_count}
    return {
        "annual_outsourced_cost": _("Annual outsourced cost"),
        "projected_inhouse_annual_cost": _("Projected in-house annual cost"),
        "one_off_transition_cost": _("One-off transition cost"),
    }[figure]


def total_basis(total: Total) -> str:
    if not total.complete:
        left_out = ", ".join(
            formats.money(amount.amount, code) for code, amount in total.unconverted.items()
        )
        return _("converted total — incomplete: %(amounts)s not converted (no rate)") % {
            "amounts": left_out
        }
    if total.rates_date is None:
        return _("total as entered (nothing to convert)")
    return _("converted total")


def totals_rows(figures: MoneyFigures) -> list[tuple[str, str, Decimal, str, str]]:
    """Per figure: the converted total, then the subtotal of each currency that has it."""
    no_rate = _("not converted: no rate on or before %(day)s") % {"day": figures.on.isoformat()}
    rows = []
    for figure, count in FIGURES:
        label = figure_label(figure, figures)
        total: Total = getattr(figures, figure)
        rates_of = total.rates_date.isoformat() if total.rates_date else ""
        rows.append(
            (label, total.currency, to_cents(total.amount.amount), rates_of, total_basis(total))
        )
        for subtotal in figures.subtotals:
            if not getattr(subtotal, count):
                continue  # no process in this currency has the figure: nothing was entered
            if subtotal.currency in figures.unconverted:
                basis = no_rate
            else:
                basis = _("entered in %(currency)s") % {"currency": subtotal.currency}
            amount = to_cents(getattr(subtotal, figure))
            rows.append((label, subtotal.currency, amount, "", basis))
    return rows


def totals_dataset(figures: MoneyFigures) -> tablib.Dataset:
    return tablib.Dataset(*totals_rows(figures), headers=HEADERS, title=_("Portfolio totals"))


class PortfolioTotalsExportView(LoginRequiredMixin, View):
    """The portfolio's totals as CSV or XLSX, every role alike, as the dashboard shows them.

    `?on=YYYY-MM-DD` picks the rates' day (today by default). The process list's query
    parameters (`?programme=<id>`, `?state=…`, `?q=…`) narrow it to the processes that list
    shows with them.
    """

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        query = TotalsQueryForm(request.GET)
        listed = self.listed_processes(request)
        errors = self.errors(query, listed)
        if errors:
            context = {"errors": errors, "fmt": fmt}
            return render(request, "web/portfolio_totals_invalid.html", context, status=400)
        on: date = query.cleaned_data["on"] or local_today()
        figures = money_figures(None if listed is None else listed.qs, on=on)
        return dataset_response(totals_dataset(figures), fmt, self.file_name(listed, on))

    def listed_processes(self, request: HttpRequest) -> ProcessFilter | None:
        """The process list's filterset over its own rows, or None for the whole portfolio.

        Through the list view itself, so its search and filters select exactly the rows
        (and totals) the list shows.
        """
        if not any(request.GET.get(key) for key in LIST_PARAMETERS):
            return None
        view = ProcessListView()
        view.setup(request)
        return view.get_filterset(view.get_filterset_class())

    def errors(self, query: TotalsQueryForm, listed: ProcessFilter | None) -> list[str]:
        """What is wrong with the query, each message after the name of what it is about."""
        errors = []
        for form in [query] if listed is None else [query, listed.form]:
            for name, messages in form.errors.items():
                about = form[name].label if name in form.fields else _("Filters")
                errors += [f"{about}: {message}" for message in messages]
        return errors

    def file_name(self, listed: ProcessFilter | None, on: date) -> str:
        # Ours alone: a programme's id from the database, never text from the request.
        if listed is None:
            return f"portfolio-totals-{on:%Y-%m-%d}"
        chosen = {key for key, value in listed.form.cleaned_data.items() if value}
        programme = listed.form.cleaned_data.get("programme")
        if chosen == {"programme"} and not self.request.GET.get("q"):
            return f"programme-{programme.pk}-totals-{on:%Y-%m-%d}"
        return f"processes-totals-{on:%Y-%m-%d}"
