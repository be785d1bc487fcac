"""The Gantt's finish-to-start arrows (transition/selectors/gantt.py, draw_links): drawn
lane by lane from the end of the milestone waited for to the start of the one waiting,
within a process only."""

from datetime import date

import pytest
from django.urls import reverse

from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.selectors.gantt import (
    LINK_REACH,
    ROW_HEIGHT,
    Bar,
    TimelineRow,
    draw_links,
)

pytestmark = pytest.mark.usefixtures("frozen_today")


def row(key, x, width, depends_on=()):
    return TimelineRow(
        process=None,
        kind="milestone",
        label=f"M{key}",
        key=key,
        bar=Bar(x=x, width=width),
        depends_on_keys=tuple(depends_on),
    )


def test_an_arrow_runs_from_the_end_of_one_bar_through_the_rows_between_to_the_next():
    rows = [row(1, 100, 50), row(2, 300, 20), row(3, 200, 40, depends_on=[1])]

    draw_links(rows)

    bottom = ROW_HEIGHT + LINK_REACH
    assert rows[0].links == f"M148 22V{bottom}"  # down from just inside the end of bar 1
    assert rows[1].links == f"M148 -{LINK_REACH}V{bottom}"  # straight through the row between
    assert rows[2].links == f"M148 -{LINK_REACH}V14H200m-4 -3l4 3l-4 3"  # into bar 3's start


def test_an_arrow_to_a_bar_starting_before_the_channel_turns_back_above_it():
    rows = [row(1, 100, 50), row(2, 120, 30, depends_on=[1])]

    draw_links(rows)

    assert rows[1].links == f"M148 -{LINK_REACH}V3H116V14H120m-4 -3l4 3l-4 3"


def test_an_arrow_to_a_milestone_drawn_higher_runs_up():
    rows = [row(2, 100, 20, depends_on=[1]), row(1, 40, 40)]

    draw_links(rows)

    assert rows[1].links == f"M78 6V-{LINK_REACH}"
    assert rows[0].links.startswith(f"M78 {ROW_HEIGHT + LINK_REACH}V14H100")


def test_no_arrow_for_a_milestone_not_drawn_in_the_group():
    rows = [row(1, 100, 50, depends_on=[99]), row(2, 200, 50, depends_on=[2])]

    draw_links(rows)

    assert [r.links for r in rows] == ["", ""]


@pytest.mark.django_db
def test_the_page_draws_one_arrow_path_per_lane_it_crosses(client, viewer):
    process = OutsourcedProcessFactory()
    build = MilestoneFactory(
        process=process, title="Build", start_date=date(2026, 12, 1), due_date=date(2027, 1, 10)
    )
    go_live = MilestoneFactory(
        process=process, title="Go live", start_date=date(2027, 2, 1), due_date=date(2027, 3, 1)
    )
    go_live.depends_on.add(build)
    other = OutsourcedProcessFactory(programme=process.programme)
    MilestoneFactory(process=other, due_date=date(2027, 4, 1)).depends_on.add(build)
    client.force_login(viewer)

    response = client.get(reverse("transition:programme_gantt", args=[process.programme_id]))

    page = response.content.decode()
    rows = {r.label: r for g in response.context["timeline"].groups for r in g.rows}
    assert rows["Build"].links
    assert rows["Go live"].links.endswith(f"H{rows['Go live'].bar.x:g}m-4 -3l4 3l-4 3")
    # Build and Go live each draw a segment; the other process's milestone draws none.
    assert page.count('<path class="gantt-link" d="') == 2 + 1  # and the legend's
