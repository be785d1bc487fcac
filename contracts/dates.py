"""The date engine: term ends, notice deadlines and exit dates of a contract.

Pure functions over dates. No database, no settings and no clock: every "today" is a
parameter, so the same answer comes back in a view, a reminder sweep or a test.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

RENEWAL_NONE = "none"
RENEWAL_AUTOMATIC = "automatic"

NOTICE_DAYS = "days"
NOTICE_MONTHS = "months"

STATUS_NOT_STARTED = "not_started"
STATUS_ACTIVE = "active"
STATUS_DECISION_DUE = "decision_due"
STATUS_ENDING = "ending"
STATUS_EXPIRED = "expired"

STATUS_LABELS = {
    STATUS_NOT_STARTED: "Not started",
    STATUS_ACTIVE: "Active",
    STATUS_DECISION_DUE: "Decision due",
    STATUS_ENDING: "Ending",
    STATUS_EXPIRED: "Expired",
}

_SATURDAY = 5


@dataclass(frozen=True)
class Terms:
    """The dated terms of a contract, as the engine needs them.

    Not validated here: forms build one from half-checked input to validate it, so the
    functions that cannot answer for bad terms raise ValueError themselves.
    """

    start_date: date
    end_date: date
    renewal: str
    renewal_term_months: int | None
    notice_period: int
    notice_unit: str
    termination_for_convenience: bool = False
    governing_country: str = ""
    decision_lead_days: int = 90
    exit_assistance_months: int = 0


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _is_month_end(d: date) -> bool:
    return d.day == _last_day(d.year, d.month)


def add_months(d: date, months: int) -> date:
    """Return d moved by whole calendar months, the day clipped to the target month's length."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month0 + 1
    return date(year, month, min(d.day, _last_day(year, month)))


@functools.lru_cache(maxsize=4096)
def _holiday_dates(country: str, year: int) -> frozenset[date]:
    """Return the public holidays of country in year, in any of its subdivisions."""
    try:
        national = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return frozenset()
    days = set(national)
    # The national list leaves out regional days (England's Easter Monday is not in "GB"),
    # and we do not know where the notice will be received: a day that is a holiday
    # anywhere in the country may be a closed office, so it is not a business day.
    for subdivision in national.subdivisions:
        days.update(holidays.country_holidays(country, subdiv=subdivision, years=year))
    # An immutable set per (country, year) rather than a shared, lazily expanding
    # holidays object: concurrent threads never see a year half populated.
    return frozenset(days)


def is_business_day(d: date, country: str = "") -> bool:
    """Return whether d is neither a weekend day nor a public holiday of country."""
    if d.weekday() >= _SATURDAY:
        return False
    country = (country or "").strip().upper()
    return not country or d not in _holiday_dates(country, d.year)


def previous_business_day(d: date, country: str = "") -> date:
    """Return d if it is a business day, else the latest business day before it."""
    while not is_business_day(d, country):
        d -= timedelta(days=1)
    return d


def supported_countries() -> list[str]:
    """Return the sorted ISO 3166 alpha-2 codes that have a public-holiday calendar."""
    return sorted(
        code for code in holidays.list_supported_countries(include_aliases=False) if len(code) == 2
    )


def _term_months(terms: Terms) -> int:
    """Return the renewal term in months; ValueError unless automatic with a positive term."""
    if terms.renewal != RENEWAL_AUTOMATIC:
        raise ValueError(f"Renewal {terms.renewal!r} has no renewal terms.")
    if not terms.renewal_term_months or terms.renewal_term_months <= 0:
        raise ValueError("renewal_term_months must be positive for automatic renewal.")
    return terms.renewal_term_months


def term_end(terms: Terms, k: int) -> date:
    """Return E_k, the last day of term k (0 is the initial term), counted from E0."""
    if k == 0:
        return terms.end_date
    if k < 0:
        raise ValueError(f"Term {k} does not exist: terms are numbered from 0.")
    months = _term_months(terms)
    # Counted from E0, never chained from E_k-1: a day clipped in a short month (31 Jan
    # to 28 Feb) must not carry into every later term, or the dates drift.
    e_k = add_months(terms.end_date, k * months)
    # A term that ends on the last day of a month renews to the last day of a month
    # (the end of February is the 29th in a leap year).
    if _is_month_end(terms.end_date):
        return e_k.replace(day=_last_day(e_k.year, e_k.month))
    return e_k


def _first_term_index(terms: Terms, on: date) -> int:
    """Return the smallest k with E_k >= on (0 without renewal), in a bounded number of steps."""
    if terms.renewal != RENEWAL_AUTOMATIC or on <= terms.end_date:
        return 0
    elapsed = (on.year - terms.end_date.year) * 12 + on.month - terms.end_date.month
    k = max(0, elapsed // _term_months(terms))
    while term_end(terms, k) < on:
        k += 1
    while k > 0 and term_end(terms, k - 1) >= on:
        k -= 1
    return k


def term_ends(terms: Terms, start_from: date) -> Iterator[date]:
    """Yield every term end E_k >= start_from in order (endless with automatic renewal)."""
    if terms.renewal != RENEWAL_AUTOMATIC:
        if terms.end_date >= start_from:
            yield terms.end_date
        return
    k = _first_term_index(terms, start_from)
    while True:
        yield term_end(terms, k)
        k += 1


def notice_date_from(terms: Terms, served_on: date) -> date:
    """Return served_on plus the notice period (days, or calendar months clipped)."""
    if terms.notice_unit == NOTICE_DAYS:
        return served_on + timedelta(days=terms.notice_period)
    if terms.notice_unit == NOTICE_MONTHS:
        return add_months(served_on, terms.notice_period)
    raise ValueError(f"Unknown notice unit {terms.notice_unit!r}.")


def notice_deadline(terms: Terms, term_end_date: date) -> date:
    """Return the last business day by which notice must be received to end at term_end_date."""
    if terms.notice_unit == NOTICE_DAYS:
        latest = term_end_date - timedelta(days=terms.notice_period)
    elif terms.notice_unit == NOTICE_MONTHS:
        # Clipped, not snapped to month end: 29 Feb less 6 months is 29 Aug, not 31 Aug,
        # because the earlier date is the one that cannot be argued to be late.
        latest = add_months(term_end_date, -terms.notice_period)
    else:
        raise ValueError(f"Unknown notice unit {terms.notice_unit!r}.")
    # Notice must be received by the deadline; an office closed on it cannot receive it,
    # so the deadline moves back, never forward.
    return previous_business_day(latest, terms.governing_country)


def _first_deadline_index(terms: Terms, on: date) -> int:
    """Return the smallest k whose notice deadline is >= on (automatic renewal only)."""
    # Deadlines rise with k; start from the term that ends a notice period after `on`
    # and correct by the odd step that clipping and business days cost.
    k = _first_term_index(terms, notice_date_from(terms, on))
    while k > 0 and notice_deadline(terms, term_end(terms, k - 1)) >= on:
        k -= 1
    while notice_deadline(terms, term_end(terms, k)) < on:
        k += 1
    return k


def current_term_end(terms: Terms, on: date) -> date:
    """Return the end of the term running on `on`: the first E_k >= on, or E0 without renewal."""
    if terms.renewal != RENEWAL_AUTOMATIC:
        return terms.end_date
    return term_end(terms, _first_term_index(terms, on))


def next_notice_deadline(terms: Terms, on: date) -> date | None:
    """Return the first notice deadline on or after `on`, or None when none is left."""
    if terms.renewal != RENEWAL_AUTOMATIC:
        deadline = notice_deadline(terms, terms.end_date)
        return deadline if deadline >= on else None
    return notice_deadline(terms, term_end(terms, _first_deadline_index(terms, on)))


def exit_date_if_served(terms: Terms, served_on: date) -> date:
    """Return the last day of service if notice is received on served_on."""
    if terms.renewal != RENEWAL_AUTOMATIC:
        exit_date = terms.end_date
    else:
        # Notice that misses a term's deadline only ends the following term: the contract
        # has tacitly renewed by the time it would take effect.
        exit_date = term_end(terms, _first_deadline_index(terms, served_on))
    if terms.termination_for_convenience:
        return min(exit_date, notice_date_from(terms, served_on))
    return exit_date


def decision_date(terms: Terms, on: date) -> date | None:
    """Return the business day by which to decide before the next deadline, or None."""
    deadline = next_notice_deadline(terms, on)
    if deadline is None:
        return None
    return previous_business_day(
        deadline - timedelta(days=terms.decision_lead_days), terms.governing_country
    )


def assistance_end(terms: Terms, exit_date: date) -> date:
    """Return the end of the termination assistance owed after exit_date."""
    return add_months(exit_date, terms.exit_assistance_months)


def status(terms: Terms, on: date) -> str:
    """Return the STATUS_* value describing the contract on `on`."""
    if on < terms.start_date:
        return STATUS_NOT_STARTED
    if terms.renewal != RENEWAL_AUTOMATIC:
        if on > terms.end_date:
            return STATUS_EXPIRED
        if notice_deadline(terms, terms.end_date) < on:
            return STATUS_ENDING
    deadline = next_notice_deadline(terms, on)
    decide_by = decision_date(terms, on)
    if deadline is not None and decide_by is not None and decide_by <= on <= deadline:
        return STATUS_DECISION_DUE
    return STATUS_ACTIVE
