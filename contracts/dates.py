"""The date engine: term ends, notice deadlines and exit dates of a contract.

Pure functions over dates. No database, no settings and no clock: every "today" is a
parameter, so the same answer comes back in a view, a reminder sweep or a test. (Status
labels are lazy translations: nothing is looked up until a page shows one. Only
`notice_window_reason` writes a sentence, in the language and date format of the request.)
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import holidays
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.formats import short_date

RENEWAL_NONE = "none"
RENEWAL_AUTOMATIC = "automatic"

NOTICE_DAYS = "days"
NOTICE_MONTHS = "months"

STATUS_NOT_STARTED = "not_started"
STATUS_ACTIVE = "active"
STATUS_DECISION_DUE = "decision_due"
STATUS_ENDING = "ending"
STATUS_EXPIRED = "expired"
# Not the engine's: the register adds these from the notices served (contracts/models).
STATUS_UNDER_NOTICE = "under_notice"
STATUS_PARTLY_UNDER_NOTICE = "partly_under_notice"

STATUS_LABELS = {
    STATUS_NOT_STARTED: _("Not started"),
    STATUS_ACTIVE: _("Active"),
    STATUS_DECISION_DUE: _("Decision due"),
    STATUS_ENDING: _("Ending"),
    STATUS_EXPIRED: _("Expired"),
    STATUS_UNDER_NOTICE: _("Under notice"),
    STATUS_PARTLY_UNDER_NOTICE: _("Partly under notice"),
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
    notice_window_months: int | None = None
    notice_transit_days: int = 0
    governing_subdivision: str = ""


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _is_month_end(d: date) -> bool:
    return d.day == _last_day(d.year, d.month)


def add_months(d: date, months: int) -> date:
    """Return d moved by whole calendar months, the day clipped to the target month's length."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month0 + 1
    return date(year, month, min(d.day, _last_day(year, month)))


def holidays_subdivision(country: str, subdivision: str) -> str:
    """Return the `holidays` code of an ISO 3166-2 subdivision of country, else "".

    "GB-SCT" of "GB" is "SCT": the package wants the region without the country. A code
    of another country, or none, gives "" (every region counts, the safe reading).
    """
    prefix, _dash, region = (subdivision or "").strip().upper().partition("-")
    if not region or prefix != (country or "").strip().upper():
        return ""
    return region


@functools.lru_cache(maxsize=4096)
def _holiday_dates(country: str, year: int, region: str = "") -> frozenset[date]:
    """Return the public holidays of country in year: national plus region's, or every region's."""
    try:
        national = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return frozenset()
    days = set(national)
    if region in national.subdivisions:
        # The contract names where notice is received: only that region's offices matter.
        days.update(holidays.country_holidays(country, subdiv=region, years=year))
        return frozenset(days)
    # The national list leaves out regional days (England's Easter Monday is not in "GB"),
    # and we do not know where the notice will be received: a day that is a holiday
    # anywhere in the country may be a closed office, so it is not a business day.
    for subdivision in national.subdivisions:
        days.update(holidays.country_holidays(country, subdiv=subdivision, years=year))
    # An immutable set per (country, year) rather than a shared, lazily expanding
    # holidays object: concurrent threads never see a year half populated.
    return frozenset(days)


def is_business_day(d: date, country: str = "", subdivision: str = "") -> bool:
    """Return whether d is neither a weekend day nor a public holiday of country.

    With an ISO 3166-2 subdivision of country ("GB-SCT") only that region's holidays and
    the national ones count; without one, a holiday in any region does.
    """
    if d.weekday() >= _SATURDAY:
        return False
    country = (country or "").strip().upper()
    if not country:
        return True
    return d not in _holiday_dates(country, d.year, holidays_subdivision(country, subdivision))


def previous_business_day(d: date, country: str = "", subdivision: str = "") -> date:
    """Return d if it is a business day, else the latest business day before it."""
    while not is_business_day(d, country, subdivision):
        d -= timedelta(days=1)
    return d


def next_business_day(d: date, country: str = "", subdivision: str = "") -> date:
    """Return d if it is a business day, else the first business day after it."""
    while not is_business_day(d, country, subdivision):
        d += timedelta(days=1)
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
    return previous_business_day(latest, terms.governing_country, terms.governing_subdivision)


def notice_window(terms: Terms, term_end_date: date) -> tuple[date | None, date]:
    """Return (opens, closes): the first and last business days notice may be received to
    end at term_end_date. opens is None when the contract sets no window; closes is the
    notice deadline.
    """
    closes = notice_deadline(terms, term_end_date)
    if terms.notice_window_months is None:
        return None, closes
    earliest = notice_window_start(term_end_date, terms.notice_window_months)
    # A day the office is closed moves the opening forward, never back. When that and the
    # deadline's move back cross (a window barely longer than the notice period), opens >
    # closes: no day is safe for that term.
    opens = next_business_day(earliest, terms.governing_country, terms.governing_subdivision)
    return opens, closes


def notice_window_start(term_end_date: date, months: int) -> date:
    """Return the day `months` before term_end_date, before moving to a business day."""
    earliest = add_months(term_end_date, -months)
    # Notice received before the window opens is void, so where the deadline takes the
    # earlier reading of "n months before", the opening takes the later one: a term ending
    # on a month's last day opens on a month's last day (9 months before 28 Feb is 31 May,
    # not 28 May), as terms ending on a month's last day renew to one.
    if _is_month_end(term_end_date):
        return earliest.replace(day=_last_day(earliest.year, earliest.month))
    return earliest


@functools.lru_cache(maxsize=128)
def shortest_window_days(months: int) -> int:
    """Return the fewest days from a window's opening day to its term end, over every term end."""
    # Four years hold every month length and both Februaries, so every case of clipping.
    first = date(2025, 1, 1)
    ends = (first + timedelta(days=n) for n in range(4 * 365 + 1))
    return min((end - notice_window_start(end, months)).days for end in ends)


def window_closes_before_it_opens(terms: Terms) -> bool:
    """Return whether a term end exists whose window opens on or after its deadline's day.

    Compared before moving to business days: the notice period must be shorter than the
    window, in every month of every year.
    """
    if terms.notice_window_months is None:
        return False
    if terms.notice_unit == NOTICE_MONTHS:
        return terms.notice_window_months <= terms.notice_period
    if terms.notice_unit == NOTICE_DAYS:
        return terms.notice_period >= shortest_window_days(terms.notice_window_months)
    raise ValueError(f"Unknown notice unit {terms.notice_unit!r}.")


def dispatch_by(terms: Terms, term_end_date: date) -> date:
    """Return the last business day to send notice so it is received by the deadline of
    term_end_date after notice_transit_days business days in transit.
    """
    day = notice_deadline(terms, term_end_date)
    # Post moves on the governing jurisdiction's business days only: sent on a Thursday
    # with two days in transit, it arrives on Monday, not Saturday.
    for _day in range(terms.notice_transit_days):
        day = previous_business_day(
            day - timedelta(days=1), terms.governing_country, terms.governing_subdivision
        )
    return day


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


def next_notice_term_end(terms: Terms, on: date) -> date | None:
    """Return the end of the term the first notice deadline on or after `on` belongs to."""
    if terms.renewal != RENEWAL_AUTOMATIC:
        return terms.end_date if notice_deadline(terms, terms.end_date) >= on else None
    return term_end(terms, _first_deadline_index(terms, on))


def next_notice_deadline(terms: Terms, on: date) -> date | None:
    """Return the first notice deadline on or after `on`, or None when none is left."""
    end = next_notice_term_end(terms, on)
    return None if end is None else notice_deadline(terms, end)


def notice_window_reason(terms: Terms, served_on: date) -> str | None:
    """Return why notice received on served_on falls outside the notice window of the term
    it targets (the first whose deadline it meets), or None when nothing forbids it.
    """
    # Termination for convenience may be given at any time, so no window voids it; late
    # notice is not void either, it ends the following term (see exit_date_if_served).
    if terms.notice_window_months is None or terms.termination_for_convenience:
        return None
    end = next_notice_term_end(terms, served_on)
    if end is None:
        return None
    opens, _closes = notice_window(terms, end)
    if opens is None or served_on >= opens:
        return None
    months = terms.notice_window_months
    return ngettext(
        "Notice received on %(served)s is before the notice window opens on %(opens)s "
        "(at most %(months)d month before the term end %(end)s).",
        "Notice received on %(served)s is before the notice window opens on %(opens)s "
        "(at most %(months)d months before the term end %(end)s).",
        months,
    ) % {
        "served": short_date(served_on),
        "opens": short_date(opens),
        "months": months,
        "end": short_date(end),
    }


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


@dataclass(frozen=True)
class MissedDeadline:
    """What missing a notice deadline costs in time: the last day of service when notice
    arrives by the deadline, and when it arrives the day after."""

    deadline: date
    ends_on_time: date
    ends_if_missed: date

    @property
    def renews(self) -> bool:
        """Whether missing it keeps the service running longer (not without renewal)."""
        return self.ends_if_missed > self.ends_on_time

    @property
    def years_committed(self) -> Decimal:
        """The extra service, in years: whole calendar months as twelfths, days beyond
        them as 365ths (a yearly renewal is exactly 1)."""
        start, end = self.ends_on_time, self.ends_if_missed
        months = (end.year - start.year) * 12 + end.month - start.month
        while months > 0 and _month_after(start, months) > end:
            months -= 1
        days = (end - _month_after(start, months)).days if months else (end - start).days
        return Decimal(months) / 12 + Decimal(days) / 365


def _month_after(d: date, months: int) -> date:
    """`d` plus `months`, a month's last day kept a month's last day (as term ends are)."""
    moved = add_months(d, months)
    return moved.replace(day=_last_day(moved.year, moved.month)) if _is_month_end(d) else moved


def if_deadline_missed(terms: Terms, deadline: date) -> MissedDeadline:
    """The exit if notice arrives by `deadline`, against the day after: with automatic
    renewal, the next term (docs/domain.md); with termination for convenience, a day; with
    no renewal, nothing."""
    return MissedDeadline(
        deadline=deadline,
        ends_on_time=exit_date_if_served(terms, deadline),
        ends_if_missed=exit_date_if_served(terms, deadline + timedelta(days=1)),
    )


def decision_date(terms: Terms, on: date) -> date | None:
    """Return the business day by which to decide before the next deadline, or None."""
    deadline = next_notice_deadline(terms, on)
    if deadline is None:
        return None
    return previous_business_day(
        deadline - timedelta(days=terms.decision_lead_days),
        terms.governing_country,
        terms.governing_subdivision,
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
