"""The date engine: worked examples of docs/domain.md, known failures of other tools, properties.

Every "today" is a parameter; nothing here reads the real clock or needs Django.
"""

import calendar
import dataclasses
from datetime import date, timedelta
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import dates
from contracts.dates import (
    NOTICE_DAYS,
    NOTICE_MONTHS,
    RENEWAL_AUTOMATIC,
    RENEWAL_NONE,
    STATUS_ACTIVE,
    STATUS_DECISION_DUE,
    STATUS_ENDING,
    STATUS_EXPIRED,
    STATUS_LABELS,
    STATUS_NOT_STARTED,
    STATUS_PARTLY_UNDER_NOTICE,
    STATUS_UNDER_NOTICE,
    Terms,
    add_months,
    assistance_end,
    current_term_end,
    decision_date,
    dispatch_by,
    exit_date_if_served,
    holidays_subdivision,
    is_business_day,
    next_business_day,
    next_notice_deadline,
    next_notice_term_end,
    notice_date_from,
    notice_deadline,
    notice_window,
    notice_window_reason,
    previous_business_day,
    shortest_window_days,
    status,
    supported_countries,
    term_end,
    term_ends,
    window_closes_before_it_opens,
)
from core.formats import short_date

# Worked example 1 of docs/domain.md: a five-year initial term, then yearly, 3 months' notice.
YEARLY = Terms(
    start_date=date(2020, 1, 1),
    end_date=date(2024, 12, 31),
    renewal=RENEWAL_AUTOMATIC,
    renewal_term_months=12,
    notice_period=3,
    notice_unit=NOTICE_MONTHS,
)

# Worked example 3: no renewal, 3 months' notice, English bank holidays.
ENDING_IN_GB = Terms(
    start_date=date(2024, 3, 29),
    end_date=date(2027, 3, 28),
    renewal=RENEWAL_NONE,
    renewal_term_months=None,
    notice_period=3,
    notice_unit=NOTICE_MONTHS,
    governing_country="GB",
)


def first(iterable, n):
    return list(islice(iterable, n))


# --- Worked examples -------------------------------------------------------------------


def test_yearly_renewal_after_initial_term_runs_to_end_of_current_year():
    assert current_term_end(YEARLY, date(2026, 11, 24)) == date(2026, 12, 31)


def test_passed_deadline_rolls_next_notice_deadline_and_exit_to_following_term():
    today = date(2026, 11, 24)

    assert notice_deadline(YEARLY, date(2026, 12, 31)) == date(2026, 9, 30)
    assert next_notice_deadline(YEARLY, today) == date(2027, 9, 30)
    assert exit_date_if_served(YEARLY, today) == date(2027, 12, 31)


def test_decision_date_is_decision_lead_days_before_next_deadline():
    assert decision_date(YEARLY, date(2026, 11, 24)) == date(2027, 7, 2)


def test_month_end_february_term_renews_to_29_february_and_deadlines_clip():
    terms = Terms(
        start_date=date(2024, 3, 1),
        end_date=date(2027, 2, 28),
        renewal=RENEWAL_AUTOMATIC,
        renewal_term_months=12,
        notice_period=6,
        notice_unit=NOTICE_MONTHS,
    )

    ends = first(term_ends(terms, terms.start_date), 3)

    assert ends == [date(2027, 2, 28), date(2028, 2, 29), date(2029, 2, 28)]
    # 2028-02-29 less 6 months clips to 29 Aug (a Sunday), never snaps to 31 Aug.
    assert [notice_deadline(terms, end) for end in ends] == [
        date(2026, 8, 28),
        date(2027, 8, 27),
        date(2028, 8, 28),
    ]


def test_gb_bank_holidays_move_deadline_back_to_christmas_eve():
    # 28 Dec 2026 is the substitute Boxing Day, 26-27 Dec a weekend, 25 Dec Christmas.
    assert not is_business_day(date(2026, 12, 28), "GB")
    assert not is_business_day(date(2026, 12, 25), "GB")
    assert notice_deadline(ENDING_IN_GB, ENDING_IN_GB.end_date) == date(2026, 12, 24)
    assert next_notice_deadline(ENDING_IN_GB, date(2026, 11, 24)) == date(2026, 12, 24)


def test_termination_for_convenience_ends_at_served_plus_notice_when_that_comes_first():
    terms = Terms(
        start_date=date(2025, 7, 1),
        end_date=date(2027, 6, 30),
        renewal=RENEWAL_AUTOMATIC,
        renewal_term_months=24,
        notice_period=90,
        notice_unit=NOTICE_DAYS,
        termination_for_convenience=True,
    )

    assert exit_date_if_served(terms, date(2026, 11, 24)) == date(2027, 2, 22)


# --- Known failures of other tools ------------------------------------------------------


def test_initial_term_is_not_replaced_by_the_renewal_term():
    on = date(2021, 6, 1)

    assert current_term_end(YEARLY, on) == date(2024, 12, 31)
    assert next_notice_deadline(YEARLY, on) == date(2024, 9, 30)
    assert exit_date_if_served(YEARLY, on) == date(2024, 12, 31)


def test_60_month_initial_term_then_yearly_renewals_end_at_60_72_84_months_not_120():
    ends = first(term_ends(YEARLY, YEARLY.start_date), 3)

    assert ends == [date(2024, 12, 31), date(2025, 12, 31), date(2026, 12, 31)]
    assert current_term_end(YEARLY, date(2025, 1, 1)) == date(2025, 12, 31)
    assert date(2029, 12, 31) not in ends


def test_three_year_initial_term_renews_yearly_from_its_own_end():
    terms = Terms(
        start_date=date(2021, 4, 1),
        end_date=date(2024, 3, 31),
        renewal=RENEWAL_AUTOMATIC,
        renewal_term_months=12,
        notice_period=3,
        notice_unit=NOTICE_MONTHS,
    )

    ends = first(term_ends(terms, terms.start_date), 3)

    assert ends == [date(2024, 3, 31), date(2025, 3, 31), date(2026, 3, 31)]
    # 31 Dec 2023 is a Sunday.
    assert [notice_deadline(terms, end) for end in ends] == [
        date(2023, 12, 29),
        date(2024, 12, 31),
        date(2025, 12, 31),
    ]
    assert current_term_end(terms, date(2022, 6, 1)) == date(2024, 3, 31)
    assert current_term_end(terms, date(2024, 4, 1)) == date(2025, 3, 31)


def test_notice_after_tacit_renewal_counts_from_the_renewed_term_end():
    day_after_first_deadline = date(2024, 10, 1)

    assert next_notice_deadline(YEARLY, day_after_first_deadline) == date(2025, 9, 30)
    assert exit_date_if_served(YEARLY, day_after_first_deadline) == date(2025, 12, 31)


def test_notice_received_on_the_deadline_still_ends_that_term():
    assert exit_date_if_served(YEARLY, date(2024, 9, 30)) == date(2024, 12, 31)
    assert next_notice_deadline(YEARLY, date(2024, 9, 30)) == date(2024, 9, 30)


# --- Calendar months and the last-day-of-month rule -------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2028, 2, 29), -6, date(2027, 8, 29)),
        (date(2024, 3, 31), -13, date(2023, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
        (date(2024, 5, 10), 1200, date(2124, 5, 10)),
    ],
)
def test_add_months_moves_calendar_months_and_clips_to_month_length(start, months, expected):
    assert add_months(start, months) == expected


def test_month_end_initial_term_renews_to_each_month_end():
    terms = dataclasses.replace(YEARLY, end_date=date(2027, 4, 30), renewal_term_months=1)

    assert first(term_ends(terms, terms.end_date), 4) == [
        date(2027, 4, 30),
        date(2027, 5, 31),
        date(2027, 6, 30),
        date(2027, 7, 31),
    ]


def test_term_ends_count_from_initial_end_so_clipped_days_do_not_drift():
    mid_month = dataclasses.replace(YEARLY, end_date=date(2027, 1, 30), renewal_term_months=1)
    leap_28th = dataclasses.replace(YEARLY, end_date=date(2028, 2, 28))

    assert first(term_ends(mid_month, mid_month.end_date), 4) == [
        date(2027, 1, 30),
        date(2027, 2, 28),
        date(2027, 3, 30),
        date(2027, 4, 30),
    ]
    # 28 Feb 2028 is not a month end (2028 is a leap year), so 2032 stays on the 28th.
    assert term_end(leap_28th, 4) == date(2032, 2, 28)


def test_month_notice_from_month_end_clips_rather_than_snapping_to_month_end():
    terms = dataclasses.replace(ENDING_IN_GB, governing_country="", notice_period=1)

    assert notice_deadline(terms, date(2026, 2, 28)) == date(2026, 1, 28)


# --- Business days ----------------------------------------------------------------------


def test_weekends_are_never_business_days():
    assert not is_business_day(date(2026, 11, 28))
    assert not is_business_day(date(2026, 11, 29), "DE")
    assert is_business_day(date(2026, 11, 27))


def test_without_a_known_country_only_weekends_are_closed():
    christmas = date(2026, 12, 25)

    assert is_business_day(christmas)
    assert is_business_day(christmas, "ZZ")
    assert not is_business_day(christmas, "gb")


def test_regional_holidays_count_as_closed_because_earlier_is_safe():
    easter_monday = date(2026, 4, 6)  # England and Wales only, not Scotland

    assert not is_business_day(easter_monday, "GB")


def test_previous_business_day_keeps_a_business_day_and_crosses_years_back():
    assert previous_business_day(date(2026, 11, 24), "GB") == date(2026, 11, 24)
    assert previous_business_day(date(2027, 1, 3), "GB") == date(2026, 12, 31)


def test_supported_countries_are_sorted_alpha_2_codes_for_form_choices():
    codes = supported_countries()

    assert codes == sorted(codes)
    assert {"GB", "DE", "US", "FR"} <= set(codes)
    assert all(len(code) == 2 and code.isupper() for code in codes)
    assert "UK" not in codes


# --- Notice in days or months -----------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "unit", "deadline"),
    [
        (3, NOTICE_MONTHS, date(2027, 3, 30)),
        (90, NOTICE_DAYS, date(2027, 4, 1)),
        (0, NOTICE_DAYS, date(2027, 6, 30)),
    ],
)
def test_notice_period_counts_calendar_months_or_days(period, unit, deadline):
    terms = dataclasses.replace(
        ENDING_IN_GB, end_date=date(2027, 6, 30), notice_period=period, notice_unit=unit
    )

    assert notice_deadline(terms, terms.end_date) == deadline


def test_notice_date_from_adds_days_or_clipped_months():
    in_days = dataclasses.replace(YEARLY, notice_period=30, notice_unit=NOTICE_DAYS)
    in_months = dataclasses.replace(YEARLY, notice_period=1, notice_unit=NOTICE_MONTHS)

    assert notice_date_from(in_days, date(2027, 1, 31)) == date(2027, 3, 2)
    assert notice_date_from(in_months, date(2027, 1, 31)) == date(2027, 2, 28)


# --- Contracts without renewal ----------------------------------------------------------


def test_without_renewal_there_is_no_next_deadline_once_it_has_passed():
    assert next_notice_deadline(ENDING_IN_GB, date(2026, 12, 24)) == date(2026, 12, 24)
    assert next_notice_deadline(ENDING_IN_GB, date(2026, 12, 25)) is None
    assert decision_date(ENDING_IN_GB, date(2026, 12, 25)) is None


def test_without_renewal_the_term_and_exit_are_always_the_initial_end():
    late = date(2027, 2, 1)

    assert current_term_end(ENDING_IN_GB, late) == date(2027, 3, 28)
    assert current_term_end(ENDING_IN_GB, date(2030, 1, 1)) == date(2027, 3, 28)
    assert exit_date_if_served(ENDING_IN_GB, late) == date(2027, 3, 28)
    assert first(term_ends(ENDING_IN_GB, date(2027, 3, 28)), 2) == [date(2027, 3, 28)]
    assert first(term_ends(ENDING_IN_GB, date(2027, 3, 29)), 2) == []


# --- Termination for convenience, assistance, decisions ---------------------------------


def test_termination_for_convenience_keeps_the_term_end_when_that_comes_first():
    terms = dataclasses.replace(ENDING_IN_GB, termination_for_convenience=True)

    assert exit_date_if_served(terms, date(2027, 2, 1)) == date(2027, 3, 28)
    assert exit_date_if_served(terms, date(2026, 11, 24)) == date(2027, 2, 24)


def test_without_termination_for_convenience_notice_waits_for_the_term_end():
    terms = Terms(
        start_date=date(2025, 7, 1),
        end_date=date(2027, 6, 30),
        renewal=RENEWAL_AUTOMATIC,
        renewal_term_months=24,
        notice_period=90,
        notice_unit=NOTICE_DAYS,
    )

    assert exit_date_if_served(terms, date(2026, 11, 24)) == date(2027, 6, 30)


def test_assistance_ends_exit_assistance_months_after_exit():
    terms = dataclasses.replace(YEARLY, exit_assistance_months=6)

    assert assistance_end(terms, date(2027, 12, 31)) == date(2028, 6, 30)
    assert assistance_end(YEARLY, date(2027, 12, 31)) == date(2027, 12, 31)


def test_decision_date_moves_back_over_a_public_holiday():
    # 5 Jul 2027 is the observed Independence Day (4 Jul is a Sunday).
    terms = dataclasses.replace(YEARLY, governing_country="US", decision_lead_days=87)

    assert next_notice_deadline(terms, date(2026, 11, 24)) == date(2027, 9, 30)
    assert decision_date(terms, date(2026, 11, 24)) == date(2027, 7, 2)


# --- Invalid terms ----------------------------------------------------------------------


def test_automatic_renewal_without_a_term_cannot_be_computed():
    terms = dataclasses.replace(YEARLY, renewal_term_months=None)

    with pytest.raises(ValueError, match="renewal_term_months"):
        current_term_end(terms, date(2026, 1, 1))


def test_a_contract_without_renewal_has_no_second_term():
    with pytest.raises(ValueError, match="no renewal terms"):
        term_end(ENDING_IN_GB, 1)


def test_an_unknown_notice_unit_is_refused():
    terms = dataclasses.replace(YEARLY, notice_unit="weeks")

    with pytest.raises(ValueError, match="weeks"):
        notice_deadline(terms, terms.end_date)


# --- Status -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "on", "expected"),
    [
        (YEARLY, date(2019, 12, 31), STATUS_NOT_STARTED),
        (YEARLY, date(2020, 1, 1), STATUS_ACTIVE),
        (YEARLY, date(2026, 11, 24), STATUS_ACTIVE),
        (YEARLY, date(2027, 7, 1), STATUS_ACTIVE),
        (YEARLY, date(2027, 7, 2), STATUS_DECISION_DUE),
        (YEARLY, date(2027, 9, 30), STATUS_DECISION_DUE),
        (YEARLY, date(2027, 10, 1), STATUS_ACTIVE),
        (ENDING_IN_GB, date(2026, 9, 24), STATUS_ACTIVE),
        (ENDING_IN_GB, date(2026, 12, 24), STATUS_DECISION_DUE),
        (ENDING_IN_GB, date(2026, 12, 25), STATUS_ENDING),
        (ENDING_IN_GB, date(2027, 3, 28), STATUS_ENDING),
        (ENDING_IN_GB, date(2027, 3, 29), STATUS_EXPIRED),
    ],
)
def test_status_follows_the_contract_through_its_life(terms, on, expected):
    assert status(terms, on) == expected


def test_every_status_has_a_label():
    statuses = {
        STATUS_NOT_STARTED,
        STATUS_ACTIVE,
        STATUS_DECISION_DUE,
        STATUS_ENDING,
        STATUS_EXPIRED,
        STATUS_UNDER_NOTICE,
        STATUS_PARTLY_UNDER_NOTICE,
    }

    assert set(STATUS_LABELS) == statuses
    assert all(STATUS_LABELS[s] for s in statuses)


# --- Far future -------------------------------------------------------------------------


def test_dates_200_years_out_take_a_handful_of_steps_not_a_loop_over_terms(monkeypatch):
    monthly = Terms(
        start_date=date(2019, 2, 1),
        end_date=date(2022, 1, 31),
        renewal=RENEWAL_AUTOMATIC,
        renewal_term_months=1,
        notice_period=24,
        notice_unit=NOTICE_MONTHS,
        governing_country="GB",
    )
    calls = []
    real_term_end = dates.term_end

    def counting_term_end(terms, k):
        calls.append(k)
        return real_term_end(terms, k)

    monkeypatch.setattr(dates, "term_end", counting_term_end)

    # 31 Mar 2228 is the first term end whose 24-month deadline is not before the date.
    assert dates.next_notice_deadline(monthly, date(2226, 3, 15)) == date(2226, 3, 31)
    assert dates.current_term_end(YEARLY, date(2226, 3, 15)) == date(2226, 12, 31)
    assert len(calls) < 20


# --- Properties -------------------------------------------------------------------------

COUNTRIES = ["", "GB", "DE", "US", "FR"]
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2060, 12, 31)
PROPERTY = settings(max_examples=150, deadline=None, database=None)

any_day = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def _max_notice_months(start: date, end: date) -> int:
    months = 0
    while months < 24 and add_months(start, months + 1) <= end + timedelta(days=1):
        months += 1
    return months


@st.composite
def valid_terms(draw, renewal=None, convenience=None):
    """Terms a contract form would accept: end >= start, notice within the initial term."""
    start = draw(any_day)
    end = min(start + timedelta(days=draw(st.integers(0, 3650))), LAST_DAY)
    if draw(st.booleans()):
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    unit = draw(st.sampled_from([NOTICE_DAYS, NOTICE_MONTHS]))
    if unit == NOTICE_DAYS:
        notice = draw(st.integers(0, min(400, (end - start).days + 1)))
    else:
        notice = draw(st.integers(0, _max_notice_months(start, end)))
    renewal = renewal or draw(st.sampled_from([RENEWAL_AUTOMATIC, RENEWAL_NONE]))
    return Terms(
        start_date=start,
        end_date=end,
        renewal=renewal,
        renewal_term_months=draw(st.integers(1, 60)) if renewal == RENEWAL_AUTOMATIC else None,
        notice_period=notice,
        notice_unit=unit,
        termination_for_convenience=(draw(st.booleans()) if convenience is None else convenience),
        governing_country=draw(st.sampled_from(COUNTRIES)),
        decision_lead_days=draw(st.integers(0, 365)),
        exit_assistance_months=draw(st.integers(0, 24)),
    )


def naive_term_with_deadline_on_or_after(terms: Terms, on: date) -> date | None:
    """Walk every term from E0: slow, obviously right, the oracle for the fast search."""
    if terms.renewal == RENEWAL_NONE:
        return terms.end_date if notice_deadline(terms, terms.end_date) >= on else None
    k = 0
    while True:
        end = term_end(terms, k)
        if end >= on and notice_deadline(terms, end) >= on:
            return end
        k += 1


@PROPERTY
@given(terms=valid_terms(), on=any_day)
def test_every_notice_and_decision_date_is_a_business_day(terms, on):
    deadline = next_notice_deadline(terms, on)
    decide_by = decision_date(terms, on)

    assert (deadline is None) == (decide_by is None)
    if deadline is not None:
        assert is_business_day(deadline, terms.governing_country)
        assert is_business_day(decide_by, terms.governing_country)
        assert decide_by <= deadline


@PROPERTY
@given(terms=valid_terms(), on=any_day)
def test_a_deadline_is_never_after_its_term_end(terms, on):
    for end in first(term_ends(terms, on), 5):
        assert on <= end
        assert notice_deadline(terms, end) <= end


@PROPERTY
@given(terms=valid_terms(convenience=False), on=any_day)
def test_notice_served_on_the_next_deadline_ends_the_term_that_deadline_belongs_to(terms, on):
    deadline = next_notice_deadline(terms, on)
    expected_end = naive_term_with_deadline_on_or_after(terms, on)

    if terms.renewal == RENEWAL_AUTOMATIC:
        assert deadline is not None
    if deadline is None:
        assert expected_end is None
        return
    assert deadline >= on
    assert notice_deadline(terms, expected_end) == deadline
    assert exit_date_if_served(terms, deadline) == expected_end
    assert exit_date_if_served(terms, on) == expected_end
    if terms.renewal == RENEWAL_AUTOMATIC:
        assert exit_date_if_served(terms, deadline + timedelta(days=1)) > expected_end


@PROPERTY
@given(terms=valid_terms(renewal=RENEWAL_AUTOMATIC), on=any_day)
def test_current_term_end_is_the_first_term_end_on_or_after_the_date(terms, on):
    k = 0
    while term_end(terms, k) < on:
        k += 1

    assert current_term_end(terms, on) == term_end(terms, k)
    assert first(term_ends(terms, on), 1) == [term_end(terms, k)]


@PROPERTY
@given(terms=valid_terms(renewal=RENEWAL_AUTOMATIC))
def test_term_ends_strictly_increase_and_keep_the_initial_day_or_month_end(terms):
    ends = first(term_ends(terms, terms.start_date), 30)
    e0 = terms.end_date
    e0_is_month_end = e0.day == calendar.monthrange(e0.year, e0.month)[1]

    assert ends[0] == e0
    assert all(earlier < later for earlier, later in zip(ends, ends[1:], strict=False))
    for end in ends:
        month_length = calendar.monthrange(end.year, end.month)[1]
        assert end.day == (month_length if e0_is_month_end else min(e0.day, month_length))


@PROPERTY
@given(terms=valid_terms(), served_on=any_day)
def test_exit_is_never_before_notice_is_served(terms, served_on):
    exit_date = exit_date_if_served(terms, served_on)
    without_convenience = exit_date_if_served(
        dataclasses.replace(terms, termination_for_convenience=False), served_on
    )

    assert exit_date <= without_convenience
    if terms.renewal == RENEWAL_AUTOMATIC or served_on <= terms.end_date:
        assert exit_date >= served_on
    assert assistance_end(terms, exit_date) >= exit_date


@PROPERTY
@given(day=any_day, months=st.integers(-240, 240))
def test_add_months_lands_in_the_target_month_on_the_same_or_a_clipped_day(day, months):
    moved = add_months(day, months)

    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])


# --- The notice window, the dispatch date and the governing region ----------------------

# Worked example 5: example 1's contract, where notice may come at most 9 months early.
YEARLY_9_MONTH_WINDOW = dataclasses.replace(YEARLY, notice_window_months=9)


def test_nine_month_window_opens_on_31_march_for_a_term_ending_31_december():
    assert notice_window(YEARLY_9_MONTH_WINDOW, date(2026, 12, 31)) == (
        date(2026, 3, 31),
        date(2026, 9, 30),
    )
    assert notice_window_reason(YEARLY_9_MONTH_WINDOW, date(2026, 3, 31)) is None
    assert notice_window_reason(YEARLY_9_MONTH_WINDOW, date(2026, 9, 30)) is None


def test_notice_before_the_window_opens_is_void_and_the_reason_names_both_dates():
    assert notice_window_reason(YEARLY_9_MONTH_WINDOW, date(2026, 1, 5)) == (
        "Notice received on 5 Jan 2026 is before the notice window opens on 31 Mar 2026 "
        "(at most 9 months before the term end 31 Dec 2026)."
    )
    assert "before the notice window opens on 31 Mar 2026" in notice_window_reason(
        YEARLY_9_MONTH_WINDOW, date(2026, 3, 30)
    )


def test_with_a_window_notice_that_misses_a_deadline_is_too_early_for_the_next_term():
    # Without a window it would end the following term; with one it is simply void.
    assert exit_date_if_served(YEARLY_9_MONTH_WINDOW, date(2026, 10, 1)) == date(2027, 12, 31)
    assert notice_window_reason(YEARLY_9_MONTH_WINDOW, date(2026, 10, 1)) == (
        "Notice received on 1 Oct 2026 is before the notice window opens on 31 Mar 2027 "
        "(at most 9 months before the term end 31 Dec 2027)."
    )


def test_window_before_a_month_end_term_opens_on_a_month_end_moved_forward_off_a_sunday():
    # Worked example 6: example 2's contract with a 9-month window. 28 Feb 2027 less 9
    # months is 28 May, read as 31 May (the later reading), a Sunday: opens Monday 1 June.
    terms = Terms(
        start_date=date(2024, 3, 1),
        end_date=date(2027, 2, 28),
        renewal=RENEWAL_AUTOMATIC,
        renewal_term_months=12,
        notice_period=6,
        notice_unit=NOTICE_MONTHS,
        notice_window_months=9,
    )

    assert notice_window(terms, date(2027, 2, 28)) == (date(2026, 6, 1), date(2026, 8, 28))
    assert notice_window(terms, date(2028, 2, 29)) == (date(2027, 5, 31), date(2027, 8, 27))
    assert dates.notice_window_start(date(2027, 2, 28), 9) == date(2026, 5, 31)
    assert dates.notice_window_start(date(2027, 2, 27), 9) == date(2026, 5, 27)


def test_registered_post_two_business_days_in_transit_is_sent_before_the_weekend():
    # Worked example 7: deadline Tuesday 30 Mar 2027; Monday is one day in transit and
    # Saturday and Sunday none, so the letter goes on Friday 26 March.
    terms = Terms(
        start_date=date(2024, 7, 1),
        end_date=date(2027, 6, 30),
        renewal=RENEWAL_NONE,
        renewal_term_months=None,
        notice_period=3,
        notice_unit=NOTICE_MONTHS,
        notice_transit_days=2,
    )

    assert notice_deadline(terms, terms.end_date) == date(2027, 3, 30)
    assert dispatch_by(terms, terms.end_date) == date(2027, 3, 26)


def test_zero_transit_days_dispatch_on_the_deadline_itself():
    assert dispatch_by(YEARLY, date(2026, 12, 31)) == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("subdivision", "deadline", "dispatch"),
    [
        ("", date(2026, 11, 27), date(2026, 11, 26)),
        ("GB-SCT", date(2026, 11, 27), date(2026, 11, 26)),
        ("GB-ENG", date(2026, 11, 30), date(2026, 11, 27)),
    ],
)
def test_st_andrews_day_closes_scottish_offices_but_not_english_ones(
    subdivision, deadline, dispatch
):
    # Worked example 8: 31 Mar 2027 less 4 months is Monday 30 Nov 2026, St Andrew's Day,
    # a bank holiday in Scotland only. Without a region every region's holidays count.
    terms = Terms(
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
        renewal=RENEWAL_NONE,
        renewal_term_months=None,
        notice_period=4,
        notice_unit=NOTICE_MONTHS,
        notice_transit_days=1,
        governing_country="GB",
        governing_subdivision=subdivision,
    )

    assert notice_deadline(terms, terms.end_date) == deadline
    assert dispatch_by(terms, terms.end_date) == dispatch


def test_easter_monday_is_an_english_holiday_so_dispatch_moves_back_further_than_in_scotland():
    # Deadline Tuesday 30 Mar 2027; Good Friday (26th) is a holiday everywhere in GB,
    # Easter Monday (29th) everywhere but Scotland.
    terms = Terms(
        start_date=date(2024, 7, 1),
        end_date=date(2027, 6, 30),
        renewal=RENEWAL_NONE,
        renewal_term_months=None,
        notice_period=3,
        notice_unit=NOTICE_MONTHS,
        notice_transit_days=2,
        governing_country="GB",
    )
    in_scotland = dataclasses.replace(terms, governing_subdivision="GB-SCT")
    in_england = dataclasses.replace(terms, governing_subdivision="GB-ENG")

    assert dispatch_by(terms, terms.end_date) == date(2027, 3, 24)
    assert dispatch_by(in_england, terms.end_date) == date(2027, 3, 24)
    assert dispatch_by(in_scotland, terms.end_date) == date(2027, 3, 25)


def test_a_scottish_region_keeps_the_national_and_its_own_holidays_only():
    assert not is_business_day(date(2026, 1, 2), "GB", "GB-SCT")  # New Year holiday
    assert is_business_day(date(2026, 1, 2), "GB", "GB-ENG")
    assert not is_business_day(date(2026, 12, 25), "GB", "GB-SCT")
    assert not is_business_day(date(2026, 8, 3), "GB", "GB-SCT")  # Scottish summer holiday
    assert is_business_day(date(2026, 8, 31), "GB", "GB-SCT")  # England's, not Scotland's


@pytest.mark.parametrize(
    ("country", "subdivision", "region"),
    [
        ("GB", "GB-SCT", "SCT"),
        ("gb", " gb-sct ", "SCT"),
        ("US", "US-NY", "NY"),
        ("GB", "DE-BY", ""),
        ("GB", "SCT", ""),
        ("GB", "", ""),
        ("", "GB-SCT", ""),
    ],
)
def test_an_iso_3166_2_code_becomes_the_holidays_package_region_of_its_own_country(
    country, subdivision, region
):
    assert holidays_subdivision(country, subdivision) == region


def test_a_region_unknown_to_the_calendar_counts_every_region_as_without_one():
    easter_monday = date(2026, 4, 6)  # England and Wales only

    assert not is_business_day(easter_monday, "GB", "GB-XYZ")
    assert not is_business_day(easter_monday, "GB", "DE-BY")
    assert is_business_day(easter_monday, "GB", "GB-SCT")


def test_next_business_day_moves_forward_over_weekends_and_holidays():
    assert next_business_day(date(2026, 12, 25), "GB") == date(2026, 12, 29)
    assert next_business_day(date(2026, 11, 24), "GB") == date(2026, 11, 24)


def test_without_a_window_it_never_opens_and_no_notice_is_too_early():
    assert notice_window(YEARLY, date(2026, 12, 31)) == (None, date(2026, 9, 30))
    assert notice_window_reason(YEARLY, date(2020, 1, 1)) is None


def test_termination_for_convenience_may_be_served_before_the_window():
    terms = dataclasses.replace(YEARLY_9_MONTH_WINDOW, termination_for_convenience=True)

    assert notice_window_reason(terms, date(2026, 1, 5)) is None


def test_after_the_last_deadline_of_a_contract_without_renewal_no_window_applies():
    terms = dataclasses.replace(ENDING_IN_GB, notice_window_months=6)

    assert next_notice_term_end(terms, date(2026, 12, 25)) is None
    assert notice_window_reason(terms, date(2026, 12, 25)) is None
    assert notice_window_reason(terms, date(2026, 9, 27)) is not None
    assert notice_window_reason(terms, date(2026, 9, 28)) is None


def test_next_notice_term_end_is_the_term_the_next_deadline_belongs_to():
    assert next_notice_term_end(YEARLY, date(2026, 9, 30)) == date(2026, 12, 31)
    assert next_notice_term_end(YEARLY, date(2026, 10, 1)) == date(2027, 12, 31)
    assert next_notice_term_end(ENDING_IN_GB, date(2026, 12, 24)) == date(2027, 3, 28)


@pytest.mark.parametrize(("months", "days"), [(1, 28), (2, 59), (3, 89), (12, 365)])
def test_shortest_window_is_the_fewest_days_those_months_can_hold(months, days):
    assert shortest_window_days(months) == days


@pytest.mark.parametrize(
    ("window", "notice", "unit", "closes_first"),
    [
        (3, 3, NOTICE_MONTHS, True),
        (4, 3, NOTICE_MONTHS, False),
        (3, 89, NOTICE_DAYS, True),
        (3, 88, NOTICE_DAYS, False),
        (None, 3, NOTICE_MONTHS, False),
    ],
)
def test_a_window_must_be_longer_than_the_notice_period_in_every_month(
    window, notice, unit, closes_first
):
    terms = dataclasses.replace(
        YEARLY, notice_window_months=window, notice_period=notice, notice_unit=unit
    )

    assert window_closes_before_it_opens(terms) is closes_first


SUBDIVISIONS = {
    "GB": ["GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR"],
    "DE": ["DE-BY", "DE-BE", "DE-NW"],
    "US": ["US-NY", "US-CA", "US-TX"],
    "FR": ["FR-971", "FR-BL"],
}


@st.composite
def notice_terms(draw, renewal=None, convenience=None):
    """Valid terms with a window at least a month longer than the notice period, transit
    days and, sometimes, a region of the governing country."""
    terms = draw(valid_terms(renewal=renewal, convenience=convenience))
    if terms.notice_unit == NOTICE_MONTHS:
        shortest = terms.notice_period + 1
    else:
        shortest = next(
            m for m in range(1, 121) if shortest_window_days(m) >= terms.notice_period + 28
        )
    country = terms.governing_country
    return dataclasses.replace(
        terms,
        notice_window_months=draw(st.none() | st.integers(shortest, 120)),
        notice_transit_days=draw(st.integers(0, 60)),
        governing_subdivision=draw(st.sampled_from(["", *SUBDIVISIONS.get(country, [])])),
    )


def _business_days_after(start: date, end: date, terms: Terms) -> int:
    """How many business days lie in (start, end]."""
    days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(
        is_business_day(d, terms.governing_country, terms.governing_subdivision) for d in days
    )


@PROPERTY
@given(terms=notice_terms(), on=any_day)
def test_dispatch_by_is_a_business_day_transit_days_before_the_deadline(terms, on):
    end = next_notice_term_end(terms, on)
    if end is None:
        return
    deadline = notice_deadline(terms, end)
    send_by = dispatch_by(terms, end)

    assert send_by <= deadline
    assert is_business_day(send_by, terms.governing_country, terms.governing_subdivision)
    assert _business_days_after(send_by, deadline, terms) == terms.notice_transit_days


@PROPERTY
@given(terms=notice_terms(), on=any_day)
def test_a_window_a_month_longer_than_the_notice_opens_on_a_business_day_before_it_closes(
    terms, on
):
    end = next_notice_term_end(terms, on)
    if end is None or terms.notice_window_months is None:
        return
    opens, closes = notice_window(terms, end)

    assert not window_closes_before_it_opens(terms)
    assert opens < closes
    assert is_business_day(opens, terms.governing_country, terms.governing_subdivision)
    assert opens >= dates.notice_window_start(end, terms.notice_window_months)


@PROPERTY
@given(terms=notice_terms(convenience=False), on=any_day)
def test_notice_inside_the_window_is_never_void_and_the_day_before_it_is(terms, on):
    end = next_notice_term_end(terms, on)
    if end is None or terms.notice_window_months is None:
        return
    opens, closes = notice_window(terms, end)

    assert notice_window_reason(terms, opens) is None
    assert notice_window_reason(terms, closes) is None
    day_before = opens - timedelta(days=1)
    # Windows of short renewal terms overlap: the day before may be inside an earlier one.
    if next_notice_term_end(terms, day_before) == end:
        assert short_date(opens) in notice_window_reason(terms, day_before)


@PROPERTY
@given(
    day=any_day,
    region=st.sampled_from([(c, s) for c, subs in SUBDIVISIONS.items() for s in subs]),
)
def test_a_business_day_of_the_whole_country_is_one_of_each_of_its_regions(day, region):
    country, subdivision = region

    if is_business_day(day, country):
        assert is_business_day(day, country, subdivision)
