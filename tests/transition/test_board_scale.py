"""The board at portfolio scale: each column shows its most urgent cards, counts them all,
links to the rest, and costs the same queries whatever the number of processes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from contracts.dates import add_months
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
)
from transition.models import OutsourcedProcess
from transition.selectors import BOARD_LIMIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
CARD = re.compile(r'<li class="card board-card ')


def processes(count: int, state: str = State.TRANSITION, programme=None, **fields) -> list:
    programme = programme or ProgrammeFactory()
    made = []
    for n in range(count):
        process = OutsourcedProcessFactory(
            programme=programme, state=state, name=f"P{n:03d}", **fields
        )
        MilestoneFactory(process=process, due_date=TODAY + timedelta(days=20 + n))
        ReadinessAssessmentFactory(process=process)
        made.append(process)
    return made


def get_board(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("transition:process_board"), params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [3, 60])
def test_the_board_costs_the_same_queries_and_cards_at_any_size(
    client, operations_manager, django_assert_num_queries, size
):
    for state in State.values:
        processes(size, state)
    client.force_login(operations_manager)

    # session, user, groups (rules), unread notifications, programmes (the filter), the
    # cards (the first of each column ranked in SQL), their readiness (the RAG), and the
    # columns' counts and money (one grouped query), and the cards' milestones (the RAG's
    # forecast ready date, issue 14); first, the contracts' stale notice dates (none), which
    # rank a process still outsourced after its decision date.
    with django_assert_num_queries(10):
        response = client.get(reverse("transition:process_board"))

    columns = response.context["columns"]
    assert [cards.total for _s, _l, cards, _t in columns] == [size] * 4
    assert [len(cards) for _s, _l, cards, _t in columns] == [min(size, BOARD_LIMIT)] * 4
    assert len(CARD.findall(response.content.decode())) == 4 * min(size, BOARD_LIMIT)


def test_a_column_shows_the_most_urgent_first_and_links_to_the_rest(client, viewer):
    calm = processes(30)  # green: next milestones 20 to 49 days ahead
    late = OutsourcedProcessFactory(state=State.TRANSITION, name="Z late")
    MilestoneFactory(process=late, due_date=TODAY - timedelta(days=3))
    OutsourcedProcessFactory(
        state=State.TRANSITION, name="Y leaving", exit_date=TODAY + timedelta(days=1)
    )

    response = get_board(client, viewer)

    cards = dict((state, cards) for state, _l, cards, _t in response.context["columns"])
    shown = cards[State.TRANSITION]
    # Red (a late milestone) first, then the nearest date: an exit tomorrow before
    # milestones due in 20 days or more; the 12 furthest off are not shown.
    assert [p.name for p in shown[:3]] == ["Z late", "Y leaving", "P000"]
    assert shown[0].rag == "red"
    assert [p.name for p in shown[2:]] == [p.name for p in calm[: BOARD_LIMIT - 2]]
    assert (shown.total, shown.more) == (32, 12)
    page = response.content.decode()
    more = f'href="{reverse("transition:process_list")}?state=transition"'
    assert more in page
    assert "12 more transition in the list" in page
    assert 'data-testid="column-count">32<' in page
    assert "?state=outsourced" not in page  # an empty column has nothing more


def test_the_more_link_keeps_the_programme(client, viewer):
    programme = ProgrammeFactory()
    processes(BOARD_LIMIT + 1, programme=programme)
    processes(2)

    response = get_board(client, viewer, programme=programme.pk)

    cards = {state: cards for state, _l, cards, _t in response.context["columns"]}
    assert cards[State.TRANSITION].total == BOARD_LIMIT + 1
    assert all(p.programme_id == programme.pk for p in cards[State.TRANSITION])
    link = f"{reverse('transition:process_list')}?state=transition&amp;programme={programme.pk}"
    assert f'href="{link}"' in response.content.decode()
    process_list = client.get(
        reverse("transition:process_list"), {"state": "transition", "programme": programme.pk}
    )
    assert process_list.context["paginator"].count == BOARD_LIMIT + 1


def test_a_process_still_outsourced_after_its_decision_date_ranks_with_the_red_ones(client, viewer):
    processes(BOARD_LIMIT + 5, state=State.OUTSOURCED)
    # Its contract's notice deadline is 30 days off: the 90-day decision date has passed.
    undecided = OutsourcedProcessFactory(
        state=State.OUTSOURCED,
        name="Z undecided",
        contract=ContractFactory(
            end_date=add_months(TODAY + timedelta(days=30), 3),
            renewal="automatic",
            renewal_term_months=12,
            notice_period=3,
            governing_country="",
        ),
    )
    MilestoneFactory(process=undecided, due_date=TODAY + timedelta(days=400))
    ReadinessAssessmentFactory(process=undecided)

    response = get_board(client, viewer)

    cards = dict((state, cards) for state, _l, cards, _t in response.context["columns"])
    shown = cards[State.OUTSOURCED]
    assert shown[0] == undecided  # not cut for its milestone 400 days off
    assert shown[0].rag == "red"
