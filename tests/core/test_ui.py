"""The shared formatting and permission helpers of every page."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from core.templatetags import ui
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.services import notice_serve


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (Decimal("1250000.40"), "EUR", "EUR 1,250,000"),
        (Decimal("999.50"), "", "1,000"),
        (Decimal("-30000"), "GBP", "GBP -30,000"),
        (None, "EUR", "—"),
    ],
)
def test_money_is_whole_units_with_thousands_separated(value, currency, shown):
    assert ui.money(value, currency) == shown


def test_dates_have_one_format():
    assert ui.day(date(2027, 3, 5)) == "5 Mar 2027"
    assert ui.day(None) == "—"


@time_machine.travel(date(2026, 11, 24), tick=False)
@pytest.mark.parametrize(
    ("value", "label"),
    [
        (date(2026, 11, 24), "today"),
        (date(2026, 11, 25), "tomorrow"),
        (date(2026, 11, 23), "yesterday"),
        (date(2026, 12, 4), "in 10 days"),
        (date(2026, 11, 1), "23 days ago"),
    ],
)
def test_days_left_reads_naturally(value, label):
    assert ui.days_left_label(value) == label


def test_payback_is_shown_in_months():
    assert ui.months(Decimal("28.57")) == "28.6 months"
    assert ui.months(None) == "—"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("viewer", False), ("project_lead", False), ("operations_manager", True)],
)
def test_can_asks_the_rules_for_the_signed_in_user(request, role, allowed):
    user = request.getfixturevalue(role)
    template = Template("{% load ui %}{% can 'contracts.edit_register' as ok %}{{ ok }}")

    assert template.render(Context({"user": user})) == str(allowed)


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 24), tick=False)
def test_contract_status_badge_shows_the_engine_status():
    contract = ContractFactory(start_date=date(2020, 1, 1), end_date=date(2025, 12, 31))
    contract.renewal = "none"

    html = ui.contract_status_badge(contract)

    assert html == '<span class="badge status-badge text-bg-secondary">Expired</span>'


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 24), tick=False)
def test_contract_status_badge_shows_a_notice_and_its_end():
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    ops = UserFactory(role="Operations managers")
    notice_serve(actor=ops, contract=process.contract, served_on=date(2026, 11, 24))

    html = ui.contract_status_badge(process.contract)

    assert html == (
        '<span class="badge status-badge text-bg-dark">Under notice — ends 31 Dec 2027</span>'
    )


def test_query_keeps_filters_and_replaces_the_page():
    request = RequestFactory().get("/contracts/", {"provider": "3", "page": "2"})

    assert ui.query({"request": request}, page=None, sort="-end_date") == (
        "?provider=3&sort=-end_date"
    )


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (1, [1, 2, 3, "…", 4000]),
        (2000, [1, "…", 1998, 1999, 2000, 2001, 2002, "…", 4000]),
        (4000, [1, "…", 3998, 3999, 4000]),
    ],
)
def test_a_pager_names_a_few_pages_however_many_there_are(number, shown):
    from django.core.paginator import Paginator

    page = Paginator(range(100_000), 25).page(number)
    assert ui.page_links(page) == shown


def test_the_pager_renders_gaps_as_ellipses_and_links_the_rest():
    from django.core.paginator import Paginator

    paginator = Paginator(range(100_000), 25)
    page = paginator.page(2000)
    html = Template('{% include "partials/_pagination.html" %}').render(
        Context(
            {
                "is_paginated": True,
                "page_obj": page,
                "paginator": paginator,
                "request": RequestFactory().get("/milestones/", {"page": 2000, "q": "<b>"}),
            }
        )
    )
    assert html.count('class="page-link" href=') == 8  # previous, 1, 1998–2002 but 2000, 4000, next
    assert html.count("…") == 2
    assert 'aria-current="page"><span class="page-link">2,000<' in html
    assert "q=%3Cb%3E" in html  # the other parameters kept, escaped
    assert "<b>" not in html
