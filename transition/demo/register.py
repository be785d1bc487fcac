"""The demo's providers and contracts: a mix of renewal rules, notice units and countries."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from contracts import dates
from contracts.models import Contract, ServiceProvider
from contracts.services import contract_create, provider_create

# The returns contract keeps its notice deadline this many days ahead of the day the demo
# is loaded, so the dashboard and reminders always have a deadline inside 30 days to show.
URGENT_WINDOW_DAYS = (10, 25)
URGENT_AIM_DAYS = 17

PROVIDERS = (
    {
        "name": "Meridian Logistics",
        "legal_name": "Meridian Logistics Group plc",
        "country": "GB",
        "website": "https://www.meridian-logistics.example",
        "contact_name": "Rachel Whitmore",
        "contact_email": "rachel.whitmore@meridian-logistics.example",
        "contact_phone": "+44 1327 555 0142",
        "notes": "Runs our Midlands distribution centre in Daventry and online returns.",
    },
    {
        "name": "Kestrel IT Services",
        "legal_name": "Kestrel IT Services B.V.",
        "country": "NL",
        "website": "https://www.kestrel-it.example",
        "contact_name": "Joris van Dijk",
        "contact_email": "j.vandijk@kestrel-it.example",
        "contact_phone": "+31 30 555 0187",
        "notes": "Service desk from Utrecht; end-user computing until we terminated it.",
    },
    {
        "name": "Lohnwerk Payroll",
        "legal_name": "Lohnwerk Payroll Services GmbH",
        "country": "DE",
        "website": "https://www.lohnwerk.example",
        "contact_name": "Stefanie Brandt",
        "contact_email": "s.brandt@lohnwerk.example",
        "contact_phone": "+49 40 555 0163",
        "notes": "Payroll for 4,300 staff in Germany, the Netherlands and the UK.",
    },
    {
        "name": "Harborline Contact Centers",
        "legal_name": "Harborline Contact Centers, Inc.",
        "country": "US",
        "website": "https://www.harborline.example",
        "contact_name": "Dana Mitchell",
        "contact_email": "dana.mitchell@harborline.example",
        "contact_phone": "+1 617 555 0119",
        "notes": "Phone, e-mail, chat and social customer care from Boston and Cork.",
    },
)


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _day_after(d: date, months: int) -> date:
    """The first day of a term of `months` that ends on d."""
    return dates.add_months(d, -months) + timedelta(days=1)


def end_date_with_deadline_soon(*, today: date, initial_months: int, **terms) -> date:
    """Return an initial-term end whose notice deadline falls URGENT_WINDOW_DAYS from today.

    A month end is preferred when one fits, as most contracts end on one; otherwise the
    end whose deadline is nearest URGENT_AIM_DAYS from today.
    """
    low, high = (today + timedelta(days=n) for n in URGENT_WINDOW_DAYS)
    aim = today + timedelta(days=URGENT_AIM_DAYS)
    base = dates.Terms(
        start_date=today,
        end_date=today,
        renewal=dates.RENEWAL_NONE,
        renewal_term_months=None,
        **terms,
    )
    # Weekends and holidays move deadlines back by days, so search a little either side.
    earliest = dates.notice_date_from(base, low) - timedelta(days=7)
    candidates = []
    for offset in range((high - low).days + 15):
        end = earliest + timedelta(days=offset)
        initial_term = replace(base, start_date=_day_after(end, initial_months), end_date=end)
        deadline = dates.next_notice_deadline(initial_term, today)
        if deadline is not None and low <= deadline <= high:
            candidates.append((end != month_end(end), abs((deadline - aim).days), end))
    if not candidates:
        raise RuntimeError(f"No end date puts the notice deadline {URGENT_WINDOW_DAYS} days out.")
    return min(candidates)[2]


def _contract_specs(today: date) -> dict[str, dict]:
    """The contracts by key, dated so their current terms end where the story needs them."""
    # Automatic renewals count from the initial end date; these are chosen so that the
    # current term of fulfilment ends in ~3 months and that of the service desk in ~2.
    fulfilment_end = month_end(dates.add_months(month_end(dates.add_months(today, 3)), -24))
    desk_end = month_end(dates.add_months(month_end(dates.add_months(today, 2)), -24))
    returns_terms = {"notice_period": 3, "notice_unit": dates.NOTICE_MONTHS}
    returns_end = end_date_with_deadline_soon(
        today=today, initial_months=36, governing_country="GB", **returns_terms
    )
    euc_end = month_end(dates.add_months(today, 18))
    payroll_end = month_end(dates.add_months(today, 4))
    contact_end = month_end(dates.add_months(today, 9))
    return {
        "fulfilment": {
            "provider": "Meridian Logistics",
            "reference": "NWR-FUL-2019-01",
            "title": "Fulfilment and warehousing, Midlands DC",
            "start_date": _day_after(fulfilment_end, 36),
            "end_date": fulfilment_end,
            "renewal": Contract.Renewal.AUTOMATIC,
            "renewal_term_months": 12,
            "notice_period": 6,
            "notice_unit": Contract.NoticeUnit.MONTHS,
            "governing_country": "GB",
            "annual_value": Decimal("4200000.00"),
            "currency": "GBP",
            "termination_fee": Decimal("250000.00"),
            "annual_indexation": Decimal("2.5"),
            "exit_assistance_months": 6,
            "decision_lead_days": 120,
        },
        "returns": {
            "provider": "Meridian Logistics",
            "reference": "NWR-FUL-2021-02",
            "title": "Returns and reverse logistics",
            "start_date": _day_after(returns_end, 36),
            "end_date": returns_end,
            "renewal": Contract.Renewal.AUTOMATIC,
            "renewal_term_months": 12,
            "governing_country": "GB",
            "annual_value": Decimal("860000.00"),
            "currency": "GBP",
            "exit_assistance_months": 3,
            **returns_terms,
        },
        "service_desk": {
            "provider": "Kestrel IT Services",
            "reference": "NWR-IT-2020-01",
            "title": "IT service desk, first and second line",
            "start_date": _day_after(desk_end, 36),
            "end_date": desk_end,
            "renewal": Contract.Renewal.AUTOMATIC,
            "renewal_term_months": 24,
            "notice_period": 90,
            "notice_unit": Contract.NoticeUnit.DAYS,
            "governing_country": "NL",
            "annual_value": Decimal("1150000.00"),
            "currency": "EUR",
            "exit_assistance_months": 3,
        },
        "euc": {
            "provider": "Kestrel IT Services",
            "reference": "NWR-IT-2022-04",
            "title": "End-user computing and software asset management",
            "start_date": _day_after(euc_end, 48),
            "end_date": euc_end,
            "renewal": Contract.Renewal.NONE,
            "notice_period": 60,
            "notice_unit": Contract.NoticeUnit.DAYS,
            "termination_for_convenience": True,
            "governing_country": "NL",
            "annual_value": Decimal("1090000.00"),
            "currency": "EUR",
            "termination_fee": Decimal("85000.00"),
            "annual_indexation": Decimal("3"),
            "exit_assistance_months": 2,
        },
        "payroll": {
            "provider": "Lohnwerk Payroll",
            "reference": "NWR-HR-2021-07",
            "title": "Payroll services for Germany, the Netherlands and the UK",
            "start_date": _day_after(payroll_end, 60),
            "end_date": payroll_end,
            "renewal": Contract.Renewal.NONE,
            "notice_period": 6,
            "notice_unit": Contract.NoticeUnit.MONTHS,
            "governing_country": "DE",
            "annual_value": Decimal("640000.00"),
            "currency": "EUR",
            "exit_assistance_months": 3,
        },
        "contact_centre": {
            "provider": "Harborline Contact Centers",
            "reference": "NWR-CS-2024-03",
            "title": "Customer contact centre services",
            "start_date": _day_after(contact_end, 36),
            "end_date": contact_end,
            "renewal": Contract.Renewal.AUTOMATIC,
            "renewal_term_months": 12,
            "notice_period": 90,
            "notice_unit": Contract.NoticeUnit.DAYS,
            "termination_for_convenience": True,
            "governing_country": "US",
            "annual_value": Decimal("2750000.00"),
            "currency": "USD",
            "exit_assistance_months": 4,
            "decision_lead_days": 60,
        },
    }


def register_build(*, actor, today: date) -> dict[str, Contract]:
    """Create the providers and contracts missing by name or reference; return contracts by key."""
    providers = {}
    for row in PROVIDERS:
        existing = ServiceProvider.objects.filter(name=row["name"]).first()
        providers[row["name"]] = existing or provider_create(actor=actor, **row)
    contracts = {}
    for key, spec in _contract_specs(today).items():
        provider = providers[spec.pop("provider")]
        existing = Contract.objects.filter(reference=spec["reference"]).first()
        contracts[key] = existing or contract_create(
            actor=actor, provider=provider, owner=actor, **spec
        )
    return contracts
