"""The notice dates contracts store for SQL (contracts/models/stored_dates.py) and what
missing a deadline costs (`dates.if_deadline_missed`, `Contract.missed_notice`)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import dates
from contracts.models import Contract
from contracts.models.stored_dates import notice_dates
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.contracts.test_dates import ENDING_IN_GB, PROPERTY, YEARLY, any_day, valid_terms


@PROPERTY
@given(terms=valid_terms(), stored_on=any_day, later=st.integers(0, 4000))
def test_stored_dates_are_the_engines_on_every_day_up_to_the_stored_deadline(
    terms, stored_on, later
):
    """Why a stored row stays right until its deadline passes, and only that long."""
    stored = notice_dates(terms, stored_on)
    on = stored_on + timedelta(days=later)
    deadline = stored["stored_next_notice_deadline"]
    if deadline is not None and on > deadline:
        return  # stale: `with_stale_notice_dates` picks it up
    assert stored == notice_dates(terms, on) | {"notice_dates_as_of": stored_on}
    assert deadline == dates.next_notice_deadline(terms, on)
    assert stored["stored_decision_date"] == dates.decision_date(terms, on)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_saving_stores_the_dates_of_today_and_a_terms_change_stores_them_again():
    contract = ContractFactory(end_date=date(2027, 12, 31), notice_period=3)
    contract.refresh_from_db()
    assert contract.notice_dates_as_of == TODAY
    assert contract.stored_next_notice_deadline == contract.next_notice_deadline()
    assert contract.stored_decision_date == contract.decision_date()
    assert contract.stored_dispatch_by == contract.dispatch_by()

    contract.notice_period = 6
    contract.save(update_fields=["notice_period"])
    contract.refresh_from_db()
    assert contract.stored_next_notice_deadline == contract.next_notice_deadline()


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_refreshing_recomputes_only_stale_rows_in_one_query_when_none_is(django_assert_num_queries):
    current = ContractFactory(end_date=TODAY + timedelta(days=400))
    passed = ContractFactory(
        end_date=TODAY + timedelta(days=400), renewal="automatic", renewal_term_months=12
    )
    never = ContractFactory(end_date=TODAY + timedelta(days=400))
    Contract.objects.filter(pk=passed.pk).update(
        stored_next_notice_deadline=TODAY - timedelta(days=1)
    )
    Contract.objects.filter(pk=never.pk).update(notice_dates_as_of=None)

    assert Contract.objects.refresh_notice_dates(TODAY) == 2
    for contract in Contract.objects.filter(pk__in=[passed.pk, never.pk]):
        assert contract.stored_next_notice_deadline == contract.next_notice_deadline()
        assert contract.notice_dates_as_of == TODAY
    with django_assert_num_queries(1):
        assert Contract.objects.refresh_notice_dates(TODAY) == 0
    # A clock set back makes every row stored for a later day stale.
    assert Contract.objects.refresh_notice_dates(TODAY - timedelta(days=1)) == 3
    assert current.pk  # kept current all along


def test_missing_a_yearly_deadline_commits_the_next_year():
    deadline = dates.next_notice_deadline(YEARLY, date(2026, 1, 10))  # 30 Sep 2026
    missed = dates.if_deadline_missed(YEARLY, deadline)
    assert (missed.ends_on_time, missed.ends_if_missed) == (date(2026, 12, 31), date(2027, 12, 31))
    assert missed.renews
    assert missed.years_committed == 1


def test_missing_the_deadline_of_a_contract_without_renewal_commits_nothing():
    deadline = dates.next_notice_deadline(ENDING_IN_GB, date(2026, 6, 1))
    missed = dates.if_deadline_missed(ENDING_IN_GB, deadline)
    assert not missed.renews
    assert missed.years_committed == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_missed_notice_values_the_extra_service_at_the_annual_value():
    contract = ContractFactory(
        end_date=TODAY + timedelta(days=200),
        renewal="automatic",
        renewal_term_months=24,
        notice_period=3,
        annual_value=Decimal("120000.00"),
        currency="GBP",
    )
    missed = contract.missed_notice()
    assert missed.missed.deadline == contract.next_notice_deadline()
    assert missed.missed.years_committed == 2
    assert (missed.value, missed.currency) == (Decimal("240000.00"), "GBP")


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_the_pending_deadline_is_empty_exactly_when_notice_covers_the_whole_contract():
    from tests.reminders.factories import exit_notice, fixed_term_contract
    from tests.transition.factories import OutsourcedProcessFactory

    bare = fixed_term_contract()  # no process, no notice: pending
    whole = exit_notice().contract  # no process, whole notice: covered
    withdrawn = exit_notice(
        withdrawn_on=TODAY, withdrawal_reason="Kept", provider_agreed=True
    ).contract
    partly = fixed_term_contract()
    notice = exit_notice(partly, scope="processes")
    OutsourcedProcessFactory(contract=partly, exit_notice=notice)
    OutsourcedProcessFactory(contract=partly)  # one still outsourced: pending
    all_noticed = fixed_term_contract()
    notice = exit_notice(all_noticed, scope="processes")
    OutsourcedProcessFactory.create_batch(2, contract=all_noticed, exit_notice=notice)

    rows = Contract.objects.with_notice_state().with_pending_deadline()
    pending = {c.pk: c.pending_deadline for c in rows}
    assert {c.pk for c in rows if c.notice_state.wholly} == {whole.pk, all_noticed.pk}
    for contract in rows:
        expected = None if contract.notice_state.wholly else contract.stored_next_notice_deadline
        assert pending[contract.pk] == expected
    assert pending[bare.pk] == pending[withdrawn.pk] == pending[partly.pk] is not None
