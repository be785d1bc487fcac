"""The contract page's dates, each with its one plain-English line (contracts.selectors)."""

from datetime import date

from contracts.models import Contract
from contracts.selectors import contract_dates, exit_explanation
from tests.contracts.factories import ContractFactory


def _rows(contract: Contract, on: date) -> dict:
    return {row.key: row for row in contract_dates(contract, on)}


def _worked_example_5(**overrides) -> Contract:
    """docs/domain.md worked example 5: example 1 with a 9-month window."""
    fields = {
        "start_date": date(2020, 1, 1),
        "end_date": date(2024, 12, 31),
        "notice_window_months": 9,
    }
    return ContractFactory.build(**(fields | overrides))


def test_window_opening_and_dispatch_date_are_explained_before_the_deadline():
    contract = _worked_example_5(
        notice_method=Contract.NoticeMethod.REGISTERED_POST, notice_transit_days=2
    )

    rows = _rows(contract, date(2026, 1, 5))

    keys = list(rows)
    assert keys.index("notice_window_opens") < keys.index("dispatch_by")
    assert keys.index("dispatch_by") < keys.index("next_notice_deadline")
    assert rows["notice_window_opens"].value == date(2026, 3, 31)
    assert rows["notice_window_opens"].explanation == (
        "Notice received before this business day is void: the contract allows notice at "
        "most 9 months before the term end 31 Dec 2026."
    )
    assert rows["dispatch_by"].value == date(2026, 9, 28)
    assert rows["dispatch_by"].explanation == (
        "Send notice by registered post by this business day: it takes 2 business days to "
        "arrive, so it is received by the notice deadline 30 Sep 2026."
    )


def test_an_open_window_says_notice_may_be_served_now():
    rows = _rows(_worked_example_5(), date(2026, 4, 1))

    assert rows["notice_window_opens"].explanation.endswith(
        "The window is open: notice may be served until the deadline."
    )
    assert "dispatch_by" not in rows


def test_window_moved_off_a_sunday_says_why():
    # Worked example 6: 31 May 2026 is a Sunday.
    contract = ContractFactory.build(
        start_date=date(2024, 3, 1),
        end_date=date(2027, 2, 28),
        notice_period=6,
        notice_window_months=9,
    )

    row = _rows(contract, date(2026, 1, 5))["notice_window_opens"]

    assert row.value == date(2026, 6, 1)
    assert "; it moved forward from 31 May because that day is a Sunday." in row.explanation


def test_without_window_or_method_no_extra_lines_appear():
    rows = _rows(_worked_example_5(notice_window_months=None), date(2026, 1, 5))

    assert "notice_window_opens" not in rows
    assert "dispatch_by" not in rows


def test_an_e_mail_notice_arrives_the_day_it_is_sent():
    contract = _worked_example_5(notice_method=Contract.NoticeMethod.EMAIL)

    row = _rows(contract, date(2026, 4, 1))["dispatch_by"]

    assert row.value == date(2026, 9, 30)
    assert row.explanation == (
        "Notice by e-mail arrives the day it is sent, so it may be sent as late as the "
        "notice deadline 30 Sep 2026."
    )


def test_a_scottish_deadline_names_st_andrews_day():
    # Worked example 8.
    contract = ContractFactory.build(
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
        renewal="none",
        renewal_term_months=None,
        notice_period=4,
        governing_country="GB",
        governing_subdivision="GB-SCT",
    )

    row = _rows(contract, date(2026, 11, 1))["next_notice_deadline"]

    assert row.value == date(2026, 11, 27)
    assert "moved back from 30 Nov because that day is a public holiday (Saint Andrew's Day)" in (
        row.explanation
    )


def test_the_calculator_says_notice_before_the_window_is_void():
    contract = _worked_example_5()

    text = exit_explanation(contract, date(2026, 1, 5), date(2026, 12, 31))

    assert text.startswith(
        "Notice received on 5 Jan 2026 is before the notice window opens on 31 Mar 2026"
    )
    assert text.endswith(
        "Notice that early is void; received once the window is open, it ends "
        "the service on this day."
    )
