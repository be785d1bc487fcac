"""The board of processes by state and the programme's Gantt timeline."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.clock import TODAY
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
)
from transition.models import Baseline, BaselineMilestone, ChangeFreeze
from transition.selectors.gantt import (
    CHAR_PX,
    LABEL_GAP,
    Bar,
    choose_scale,
    place_label,
    programme_gantt,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def board(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("transition:process_board"), params)
    assert response.status_code == 200
    return response


def test_the_board_has_a_column_per_state_in_workflow_order(client, viewer):
    outsourced = OutsourcedProcessFactory()
    moving = OutsourcedProcessFactory(state="transition")

    columns = board(client, viewer).context["columns"]

    assert [state for state, *_ in columns] == [
        "outsourced",
        "exit_notice",
        "transition",
        "in_house",
    ]
    cards = {state: list(processes) for state, _label, processes, _totals in columns}
    assert cards == {
        "outsourced": [outsourced],
        "exit_notice": [],
        "transition": [moving],
        "in_house": [],
    }


def test_board_cards_show_rag_contract_people_next_due_and_saving(client, viewer, project_lead):
    process = OutsourcedProcessFactory(state="transition", lead=project_lead)
    MilestoneFactory(process=process, due_date=date(2026, 11, 1))  # overdue → red

    page = board(client, viewer).content.decode()

    assert 'class="card board-card rag-red border-start" data-rag="red"' in page
    assert process.contract.reference in page
    assert project_lead.get_full_name() in page
    assert "1 Nov 2026" in page
    assert "120,000" in page


def test_the_board_filters_by_programme(client, viewer):
    wanted = OutsourcedProcessFactory()
    OutsourcedProcessFactory()

    columns = board(client, viewer, programme=wanted.programme_id).context["columns"]

    assert [p for _s, _l, cards, _t in columns for p in cards] == [wanted]


# Gantt: geometry (pure)


def test_the_window_runs_from_the_month_before_the_first_date_to_the_month_after_the_last():
    scale = choose_scale(date(2026, 12, 10), date(2027, 3, 20))

    # 14 days of padding each side, then out to whole months.
    assert scale.start == date(2026, 11, 1)
    assert scale.end == date(2027, 4, 30)
    assert scale.x(scale.start) == 0
    assert scale.x(date(2026, 11, 11)) == round(10 * scale.day_px, 1)
    assert scale.span(date(2026, 12, 1), date(2026, 12, 10)) == Bar(
        x=round(30 * scale.day_px, 1), width=round(10 * scale.day_px, 1)
    )


def test_a_label_goes_inside_its_bar_when_it_fits_else_right_else_left():
    label = "Cut-over"  # 8 characters
    wide = Bar(x=100, width=8 * CHAR_PX + 20)
    assert place_label(label, wide, 1000).place == "inside"
    assert place_label(label, wide, 1000).anchor == "middle"

    narrow = Bar(x=100, width=10)
    right = place_label(label, narrow, 1000)
    assert (right.place, right.anchor, right.x) == ("right", "start", 110 + LABEL_GAP)

    at_the_end = Bar(x=950, width=10)
    left = place_label(label, at_the_end, 1000)
    assert (left.place, left.anchor, left.x) == ("left", "end", 950 - LABEL_GAP)

    # Room on neither side: right of the bar, and the chart grows to fit it.
    squeezed = Bar(x=20, width=10)
    assert place_label(label, squeezed, 40).place == "right"


# Gantt: what the page draws


def gantt(client, user, programme, **params):
    client.force_login(user)
    response = client.get(reverse("transition:programme_gantt", args=[programme.pk]), params)
    assert response.status_code == 200
    return response


def rows_of(response, process):
    group = next(g for g in response.context["timeline"].groups if g.process == process)
    return {row.label: row for row in group.rows}


def test_bars_are_placed_on_the_scale_from_their_start_to_their_due_date(client, viewer):
    process = OutsourcedProcessFactory()
    MilestoneFactory(
        process=process, title="Build", start_date=date(2026, 12, 1), due_date=date(2027, 1, 10)
    )

    response = gantt(client, viewer, process.programme)

    scale = response.context["timeline"].scale
    bar = rows_of(response, process)["Build"].bar
    assert bar.x == scale.x(date(2026, 12, 1))
    assert bar.width == round(41 * scale.day_px, 1)
    page = response.content.decode()
    assert f'x="{bar.x}" y="6" width="{bar.width}"' in page


def test_every_label_fits_in_the_chart_and_no_bar_starts_off_it(client, viewer):
    process = OutsourcedProcessFactory()
    long_title = "Migrate the customer master data and reconcile every open order " * 2
    MilestoneFactory(process=process, title=long_title, due_date=date(2027, 11, 30))
    MilestoneFactory(process=process, title="Kick-off", due_date=date(2026, 12, 1))

    timeline = gantt(client, viewer, process.programme).context["timeline"]

    for group in timeline.groups:
        for row in group.rows:
            assert row.bar.x >= 0
            assert row.bar.end <= timeline.width
            right_edge = row.text.x + (
                len(row.label) * CHAR_PX if row.text.anchor == "start" else 0
            )
            left_edge = row.text.x - (len(row.label) * CHAR_PX if row.text.anchor == "end" else 0)
            assert left_edge >= 0
            assert right_edge <= timeline.width


def test_a_process_whose_dates_are_all_past_still_shows_its_bars(client, viewer):
    process = OutsourcedProcessFactory(state="in_house")
    MilestoneFactory(
        process=process,
        title="Go-live",
        status="done",
        completed_on=date(2025, 2, 28),
        start_date=date(2025, 1, 6),
        due_date=date(2025, 2, 28),
    )

    response = gantt(client, viewer, process.programme)

    timeline = response.context["timeline"]
    assert timeline.scale.start <= date(2024, 12, 23)
    assert timeline.scale.end >= TODAY
    row = rows_of(response, process)["Go-live"]
    assert row.bar.x > 0
    assert row.bar.width > 100
    assert 'class="gantt-bar-shape gantt-done"' in response.content.decode()


def test_a_process_without_milestones_gets_one_row_saying_so_never_a_blank_one(
    client, viewer, operations_manager
):
    programme = ProgrammeFactory()
    empty = OutsourcedProcessFactory(programme=programme, name="Payroll")
    planned = OutsourcedProcessFactory(programme=programme, name="Logistics")
    MilestoneFactory(process=planned)

    response = gantt(client, viewer, programme)

    groups = {g.process: g for g in response.context["timeline"].groups}
    assert [row.kind for row in groups[empty].rows] == ["empty"]
    assert all(row.bar for row in groups[planned].rows)
    page = response.content.decode()
    assert page.count("No milestones planned") == 2  # the chart's row and the table's
    add = f"{reverse('transition:milestone_create')}?process={empty.pk}"
    assert add not in page  # a viewer cannot plan

    page = gantt(client, operations_manager, programme).content.decode()
    assert f'href="{add}"' in page


def test_the_today_line_is_drawn_at_today(client, viewer):
    process = OutsourcedProcessFactory()
    MilestoneFactory(process=process, due_date=date(2027, 3, 31))

    timeline = gantt(client, viewer, process.programme).context["timeline"]

    assert timeline.today_x == timeline.scale.x(TODAY)
    assert timeline.today_x > 0
    page = gantt(client, viewer, process.programme).content.decode()
    assert f'class="gantt-today" x1="{timeline.today_x}"' in page


def test_svg_numbers_are_not_localised(client, viewer, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    process = OutsourcedProcessFactory()
    MilestoneFactory(process=process, due_date=date(2031, 3, 31))  # a chart over 1,000px

    response = gantt(client, viewer, process.programme)

    assert response.context["timeline"].width > 1000
    assert f'width="{response.context["timeline"].width}"' in response.content.decode()


def test_critical_milestones_are_marked_and_those_with_slack_are_not(client, viewer):
    process = OutsourcedProcessFactory()
    build = MilestoneFactory(
        process=process, title="Build", start_date=date(2026, 12, 1), due_date=date(2027, 1, 10)
    )
    go_live = MilestoneFactory(
        process=process, title="Go live", start_date=date(2027, 1, 10), due_date=date(2027, 3, 1)
    )
    go_live.depends_on.add(build)
    MilestoneFactory(process=process, title="Train", due_date=date(2027, 1, 1))

    response = gantt(client, viewer, process.programme)

    rows = rows_of(response, process)
    assert rows["Build"].critical
    assert rows["Go live"].critical
    assert not rows["Train"].critical
    assert rows["Train"].slack_days == 59
    page = response.content.decode()
    assert page.count('<g class="gantt-bar gantt-is-critical"') == 2
    assert page.count('gantt-bar-shape gantt-planned gantt-critical" x=') == 3  # with the legend
    assert page.count('class="badge gantt-critical-badge"') == 2
    assert rows["Go live"].depends_on == ("Build",)


def test_a_chosen_baseline_draws_its_bars_under_the_plan_and_its_variance(client, viewer):
    process = OutsourcedProcessFactory()
    moved = MilestoneFactory(process=process, title="Build", due_date=date(2027, 3, 31))
    MilestoneFactory(process=process, title="Added since", due_date=date(2027, 4, 30))
    baseline = Baseline.objects.create(programme=process.programme, name="Approved plan")
    BaselineMilestone.objects.create(
        baseline=baseline,
        milestone=moved,
        process=process,
        process_name=process.name,
        title=moved.title,
        kind=moved.kind,
        due_date=date(2027, 3, 26),
    )

    plain = gantt(client, viewer, process.programme).content.decode()
    assert "<title>Baseline: " not in plain
    assert "Approved plan" in plain  # offered in the picker

    response = gantt(client, viewer, process.programme, baseline=baseline.pk)

    rows = rows_of(response, process)
    assert rows["Build"].baseline_end == date(2027, 3, 26)
    assert rows["Build"].variance_days == 5
    assert rows["Build"].baseline_bar.x == response.context["timeline"].scale.x(date(2027, 3, 26))
    assert rows["Added since"].baseline_bar is None
    page = response.content.decode()
    assert page.count("<title>Baseline: ") == 1
    assert "5 days later" in page
    assert "Not in the baseline" in page


def test_a_baseline_of_another_programme_is_refused_with_a_message(client, viewer):
    process = OutsourcedProcessFactory()
    elsewhere = Baseline.objects.create(programme=ProgrammeFactory(), name="Theirs")

    response = gantt(client, viewer, process.programme, baseline=elsewhere.pk)

    assert response.context["baseline"] is None
    assert "There is no baseline" in response.content.decode()


def test_change_freezes_are_drawn_as_bands_and_named(client, viewer):
    process = OutsourcedProcessFactory()
    MilestoneFactory(process=process, due_date=date(2027, 3, 31))
    ChangeFreeze.objects.create(
        programme=process.programme,
        name="Year-end close",
        starts_on=date(2026, 12, 15),
        ends_on=date(2027, 1, 5),
    )

    response = gantt(client, viewer, process.programme)

    timeline = response.context["timeline"]
    [band] = timeline.freezes
    assert band.x == timeline.scale.x(date(2026, 12, 15))
    assert band.width == round(22 * timeline.scale.day_px, 1)
    page = response.content.decode()
    # Drawn once behind every lane, and named in the header's tooltip.
    assert page.count(f'class="gantt-freeze" x="{band.x}"') == 1
    assert "<title>Year-end close: 15 Dec 2026 – 5 Jan 2027</title>" in page
    assert "Year-end close (15 Dec 2026 – 5 Jan 2027)" in page


def test_the_gantt_marks_notice_deadline_decision_and_exit_dates(client, viewer):
    process = OutsourcedProcessFactory()  # contract ends 2027-12-31, 3 months' notice

    timeline = gantt(client, viewer, process.programme).context["timeline"]

    markers = {m.kind: m for m in timeline.groups[0].markers}
    assert markers["notice"].day == date(2027, 9, 30)
    assert markers["decision"].day == date(2027, 7, 2)
    assert markers["exit_if_served"].day == date(2027, 12, 31)
    assert markers["notice"].x == timeline.scale.x(date(2027, 9, 30))


def test_after_notice_the_gantt_marks_served_exit_and_end_of_assistance(client, viewer):
    process = OutsourcedProcessFactory(
        state="exit_notice", notice_served_on=date(2026, 9, 1), exit_date=date(2027, 12, 31)
    )
    MilestoneFactory(process=process)

    response = gantt(client, viewer, process.programme)

    markers = {m.kind: m.day for m in response.context["timeline"].groups[0].markers}
    assert markers == {
        "served": date(2026, 9, 1),
        "exit": date(2027, 12, 31),
        "assistance_end": process.contract.assistance_end(date(2027, 12, 31)),
    }
    page = response.content.decode()
    for kind in ("served", "exit", "assistance_end"):
        assert f'class="gantt-marker gantt-marker-{kind}"' in page
        assert f'class="gantt-flag gantt-marker-{kind}"' in page
    assert "End of assistance" in page


def test_the_table_lists_every_row_of_the_chart(client, viewer):
    programme = ProgrammeFactory()
    first = OutsourcedProcessFactory(programme=programme)
    MilestoneFactory(process=first, title="Cut-over", due_date=date(2026, 11, 1))
    MilestoneFactory(process=first, title="Hypercare", due_date=date(2027, 2, 1))
    OutsourcedProcessFactory(programme=programme)  # no milestones

    response = gantt(client, viewer, programme)

    page = response.content.decode()
    timeline = response.context["timeline"]
    chart_rows = [row for group in timeline.groups for row in group.rows]
    markers = [m for group in timeline.groups for m in group.markers]
    assert page.count('<tr class="gantt-table-milestone">') == 2
    assert page.count('<tr class="gantt-table-empty">') == 1
    assert len(timeline.rows) == len(chart_rows) + len(markers)
    assert page.count('<tr class="gantt-table-') == len(timeline.rows)
    assert "Overdue" in page
    assert "30 Sep 2027" in page  # the notice deadline, as a row of the table
    assert '<th scope="col">Critical</th>' in page
    assert "<caption" in page


def test_user_text_is_escaped_in_the_svg_and_the_table(client, viewer):
    hostile = "<script>alert(1)</script>"
    process = OutsourcedProcessFactory(name=f"P {hostile}")
    MilestoneFactory(process=process, title=f"M {hostile}", due_date=date(2027, 3, 31))
    ChangeFreeze.objects.create(
        programme=process.programme, name=f"F {hostile}", starts_on=TODAY, ends_on=TODAY
    )

    page = gantt(client, viewer, process.programme).content.decode()

    assert hostile not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert re.search(r'<text class="gantt-label[^>]*>M ' + re.escape(escaped) + "</text>", page)
    assert f"<title>M {escaped}: 31 Mar 2027" in page
    assert re.search(r'<a href="/milestones/\d+/">M ' + re.escape(escaped) + "</a>", page)
    assert f"F {escaped}" in page
    assert f"P {escaped}" in page


def test_an_empty_programme_says_there_is_nothing_to_draw(client, viewer):
    response = gantt(client, viewer, ProgrammeFactory())

    page = response.content.decode()
    assert "Nothing to draw yet" in page
    assert 'class="gantt-lane"' not in page
    assert "transition-gantt.js" not in page


def test_the_timeline_with_nothing_dated_is_drawn_around_today():
    timeline = programme_gantt([], TODAY)

    assert timeline.scale.start <= TODAY - timedelta(days=14) <= TODAY <= timeline.scale.end
    assert timeline.groups == []
