"""Moving a milestone: open successors follow a slip by as much as they must, no more."""

from datetime import date

from transition.schedule.model import Plan, PlanMilestone
from transition.schedule.shift import cascade


def ms(key, due, start=None, depends_on=(), **fields) -> PlanMilestone:
    return PlanMilestone(
        key=key,
        title=f"M{key}",
        kind="other",
        due=due,
        start=start,
        depends_on=tuple(depends_on),
        **fields,
    )


# Design (1) feeds Build (2, begins the day Design is due), Training (3, ten days later) and
# a done Review (5); Build and Training feed Go-live (4, no start date).
PLAN = Plan(
    milestones=(
        ms(1, date(2026, 12, 10), start=date(2026, 12, 1)),
        ms(2, date(2027, 1, 20), start=date(2026, 12, 10), depends_on=[1]),
        ms(3, date(2027, 1, 10), start=date(2026, 12, 20), depends_on=[1]),
        ms(4, date(2027, 1, 20), depends_on=[2, 3]),
        ms(5, date(2026, 12, 10), depends_on=[1], done=True, completed_on=date(2026, 11, 20)),
    )
)


def test_a_slip_moves_the_milestone_and_each_tight_successor_by_the_same_days():
    changes = cascade(PLAN, 1, date(2026, 12, 15))

    assert changes == {
        1: (date(2026, 12, 6), date(2026, 12, 15)),
        2: (date(2026, 12, 15), date(2027, 1, 25)),
        4: (None, date(2027, 1, 25)),
    }


def test_a_successor_with_enough_slack_stays_and_a_done_one_never_moves():
    changes = cascade(PLAN, 1, date(2026, 12, 20))

    assert 3 not in changes  # begins 20 Dec: exactly the new due date
    assert 5 not in changes


def test_a_longer_slip_moves_a_successor_only_past_its_slack():
    changes = cascade(PLAN, 1, date(2026, 12, 25))

    assert changes[3] == (date(2026, 12, 25), date(2027, 1, 15))  # five of its ten days
    assert changes[2] == (date(2026, 12, 25), date(2027, 2, 4))
    # Go-live follows the later of its two moved predecessors.
    assert changes[4] == (None, date(2027, 2, 4))
    assert 5 not in changes


def test_moving_a_milestone_earlier_moves_only_that_milestone():
    assert cascade(PLAN, 1, date(2026, 12, 5)) == {1: (date(2026, 11, 26), date(2026, 12, 5))}


def test_nothing_changes_when_the_due_date_stays_or_the_milestone_is_unknown():
    assert cascade(PLAN, 1, date(2026, 12, 10)) == {}
    assert cascade(PLAN, 99, date(2026, 12, 10)) == {}


def test_a_done_milestone_in_the_chain_stops_the_cascade():
    plan = Plan(
        milestones=(
            ms(1, date(2026, 11, 10)),
            ms(2, date(2026, 11, 12), depends_on=[1], done=True, completed_on=date(2026, 11, 12)),
            ms(3, date(2026, 11, 20), start=date(2026, 11, 12), depends_on=[2]),
        )
    )

    assert cascade(plan, 1, date(2026, 11, 30)) == {1: (None, date(2026, 11, 30))}


def test_successors_move_transitively_down_a_chain():
    plan = Plan(
        milestones=(
            ms(3, date(2027, 1, 30), start=date(2027, 1, 20), depends_on=[2]),
            ms(2, date(2027, 1, 20), start=date(2027, 1, 10), depends_on=[1]),
            ms(1, date(2027, 1, 10), start=date(2027, 1, 1)),
        )
    )

    changes = cascade(plan, 1, date(2027, 1, 13))

    assert changes == {
        1: (date(2027, 1, 4), date(2027, 1, 13)),
        2: (date(2027, 1, 13), date(2027, 1, 23)),
        3: (date(2027, 1, 23), date(2027, 2, 2)),
    }


def test_a_successor_already_too_early_moves_until_it_follows_the_slipped_predecessor():
    plan = Plan(
        milestones=(
            ms(1, date(2027, 1, 10)),
            ms(2, date(2027, 1, 20), start=date(2027, 1, 8), depends_on=[1]),
        )
    )

    assert cascade(plan, 1, date(2027, 1, 12))[2] == (date(2027, 1, 12), date(2027, 1, 24))


def test_a_cyclic_plan_still_cascades_and_ends():
    plan = Plan(
        milestones=(
            ms(1, date(2027, 1, 10), start=date(2027, 1, 1), depends_on=[2]),
            ms(2, date(2027, 1, 20), start=date(2027, 1, 10), depends_on=[1]),
        )
    )

    assert cascade(plan, 1, date(2027, 1, 12)) == {
        1: (date(2027, 1, 3), date(2027, 1, 12)),
        2: (date(2027, 1, 12), date(2027, 1, 22)),
    }
    assert cascade(plan, 2, date(2027, 1, 25)) == {2: (date(2027, 1, 15), date(2027, 1, 25))}
