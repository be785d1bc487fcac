"""When reminders of one deadline go out: the pure schedule rules, no database."""

from datetime import date, timedelta

import pytest

from reminders.schedule import Schedule, may_send, schedule_for

DUE = date(2027, 3, 31)
NOTICE = Schedule(offsets=(90, 60, 30, 14, 7, 1, 0))
MILESTONE = Schedule(offsets=(7, 1, -1), repeat_every=7)
ASSET = Schedule(offsets=(7, -1))


def day(offset: int) -> date:
    return DUE - timedelta(days=offset)


@pytest.mark.parametrize("offset", [90, 60, 30, 14, 7, 1, 0])
def test_each_offset_is_current_exactly_on_its_day(offset):
    assert NOTICE.current_offset(DUE, day(offset)) == offset


def test_before_the_first_offset_nothing_is_due():
    assert NOTICE.current_offset(DUE, day(91)) is None


@pytest.mark.parametrize(("today_offset", "current"), [(89, 90), (45, 60), (2, 7), (0, 0)])
def test_between_offsets_the_most_recent_past_one_is_current(today_offset, current):
    assert NOTICE.current_offset(DUE, day(today_offset)) == current


def test_a_warning_before_the_date_is_never_current_once_the_date_has_passed():
    assert NOTICE.current_offset(DUE, day(-1)) is None
    assert not may_send(0, DUE, day(-1))
    assert may_send(0, DUE, DUE)


def test_overdue_reminders_repeat_every_seven_days_from_the_day_after():
    currents = {MILESTONE.current_offset(DUE, day(-n)) for n in range(1, 30)}
    assert currents == {-1, -8, -15, -22, -29}
    assert MILESTONE.current_offset(DUE, day(-7)) == -1
    assert MILESTONE.current_offset(DUE, day(-8)) == -8


def test_without_repetition_the_overdue_reminder_is_sent_once():
    assert ASSET.current_offset(DUE, day(-1)) == -1
    assert ASSET.current_offset(DUE, day(-40)) == -1
    assert not ASSET.contains(-8)


def test_repeated_offsets_belong_to_the_schedule_and_others_do_not():
    assert MILESTONE.contains(-22)
    assert not MILESTONE.contains(-3)
    assert not MILESTONE.contains(3)


def test_upcoming_offsets_lie_after_today_within_the_horizon():
    assert NOTICE.upcoming_offsets(DUE, day(10), ahead_days=7) == [7]
    assert NOTICE.upcoming_offsets(DUE, day(8), ahead_days=7) == [7, 1]
    assert MILESTONE.upcoming_offsets(DUE, day(-2), ahead_days=7) == [-8]


def test_a_repetition_must_continue_an_overdue_offset():
    with pytest.raises(ValueError, match="overdue"):
        Schedule(offsets=(7, 1), repeat_every=7)


def test_configured_schedules_match_the_design_table(settings):
    assert schedule_for("notice_deadline").offsets == (90, 60, 30, 14, 7, 1, 0)
    assert schedule_for("decision_date").offsets == (14, 0)
    assert schedule_for("milestone_due").offsets == (7, 1, -1)
    assert schedule_for("milestone_due").repeat_every == 7
    assert schedule_for("asset_transfer_due").offsets == (7, -1)
    assert schedule_for("asset_transfer_due").repeat_every is None
    assert schedule_for("eli_due").offsets == (14, 7, 0)
    assert schedule_for("exit_date").offsets == (30, 7)
    assert schedule_for("assistance_end").offsets == (30, 7)
    settings.REMINDER_OFFSETS = {**settings.REMINDER_OFFSETS, "exit_date": [60, 30]}
    assert schedule_for("exit_date").offsets == (60, 30)
