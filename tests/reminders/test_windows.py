"""Deadlines within a window: what the dashboard loads, one query per kind, whatever the rows."""

from datetime import date, timedelta

import pytest

from reminders.models import Reminder
from reminders.triggers import TRIGGERS, deadlines_until
from tests.transition.factories import MilestoneFactory

from .factories import BUILDERS, in_exit_notice

TODAY = date(2027, 1, 15)
DAY = timedelta(days=1)


def found(kind: str, start: date | None, end: date) -> list[tuple[int, date]]:
    return [(d.obj.pk, d.due) for d in TRIGGERS[kind].deadlines_between(TODAY, start, end)]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_window_holds_a_deadline_exactly_when_its_due_date_falls_inside(kind):
    obj, due = BUILDERS[kind]()
    deadline = [(obj.pk, due)]

    assert [(d.obj.pk, d.due) for d in TRIGGERS[kind].deadlines(TODAY)] == deadline
    assert found(kind, due, due) == deadline
    assert found(kind, None, due) == deadline
    assert found(kind, due - 30 * DAY, due + 30 * DAY) == deadline
    assert found(kind, due + DAY, due + 30 * DAY) == []
    assert found(kind, None, due - DAY) == []
    assert found(kind, TODAY, due - DAY) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("rows", [1, 10])
def test_a_window_takes_one_query_per_kind_whatever_the_rows(kind, rows, django_assert_num_queries):
    for _ in range(rows):
        BUILDERS[kind]()
    # The notice deadline's wording names the processes still outsourced: one prefetch.
    queries = 2 if kind == Reminder.Kind.NOTICE_DEADLINE else 1

    with django_assert_num_queries(queries):
        deadlines = TRIGGERS[kind].deadlines_between(TODAY, None, date(2027, 12, 31))
        wording = [(d.short_label(TODAY), d.short_title, d.summary(), d.path()) for d in deadlines]

    assert len(wording) == rows


@pytest.mark.django_db
def test_until_a_day_keeps_what_is_passed_only_while_it_is_still_owed():
    late = MilestoneFactory(due_date=TODAY - 10 * DAY)
    in_exit_notice(exit_date=TODAY - 10 * DAY)  # a passed exit date is history
    soon = MilestoneFactory(due_date=TODAY + 10 * DAY)
    MilestoneFactory(due_date=TODAY + 40 * DAY)  # beyond the end

    deadlines = deadlines_until(TODAY, TODAY + 30 * DAY)

    assert sorted((d.kind, d.obj.pk, d.due) for d in deadlines) == [
        (Reminder.Kind.MILESTONE_DUE, late.pk, late.due_date),
        (Reminder.Kind.MILESTONE_DUE, soon.pk, soon.due_date),
    ]
    assert [d.is_overdue(TODAY) for d in sorted(deadlines, key=lambda d: d.due)] == [True, False]
    assert sorted(d.short_label(TODAY) for d in deadlines) == ["Milestone due", "Milestone overdue"]
