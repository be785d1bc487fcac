"""The board of processes by state and the programme's Gantt timeline."""

import json
from datetime import date

import pytest
from django.urls import reverse

from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
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


def gantt(client, user, programme):
    client.force_login(user)
    response = client.get(reverse("transition:programme_gantt", args=[programme.pk]))
    assert response.status_code == 200
    return response


def embedded_tasks(response) -> list[dict]:
    page = response.content.decode()
    start = page.index('<script id="gantt-tasks" type="application/json">') + len(
        '<script id="gantt-tasks" type="application/json">'
    )
    return json.loads(page[start : page.index("</script>", start)])


def test_the_gantt_json_carries_milestones_with_their_dependencies(client, viewer):
    process = OutsourcedProcessFactory()
    first = MilestoneFactory(
        process=process, start_date=date(2026, 12, 1), due_date=date(2027, 1, 10)
    )
    second = MilestoneFactory(process=process, due_date=date(2027, 2, 1))
    second.depends_on.add(first)

    tasks = {t["id"]: t for t in embedded_tasks(gantt(client, viewer, process.programme))}

    assert tasks[f"m{first.pk}"]["start"] == "2026-12-01"
    assert tasks[f"m{first.pk}"]["end"] == "2027-01-10"
    assert tasks[f"m{second.pk}"]["dependencies"] == [f"m{first.pk}"]
    assert tasks[f"p{process.pk}"]["custom_class"] == "gantt-process"


def test_the_gantt_marks_notice_deadline_decision_and_exit_dates(client, viewer):
    process = OutsourcedProcessFactory()  # contract ends 2027-12-31, 3 months' notice

    tasks = {t["id"]: t for t in embedded_tasks(gantt(client, viewer, process.programme))}

    notice = tasks[f"p{process.pk}-notice"]
    assert notice["start"] == notice["end"] == "2027-09-30"
    assert notice["custom_class"] == "gantt-marker-notice"
    assert tasks[f"p{process.pk}-decision"]["start"] == "2027-07-02"
    assert tasks[f"p{process.pk}-exit_if_served"]["start"] == "2027-12-31"


def test_after_notice_the_gantt_marks_the_served_and_exit_dates(client, viewer):
    process = OutsourcedProcessFactory(
        state="exit_notice", notice_served_on=date(2026, 9, 1), exit_date=date(2027, 12, 31)
    )

    tasks = {t["id"] for t in embedded_tasks(gantt(client, viewer, process.programme))}

    assert {f"p{process.pk}-served", f"p{process.pk}-exit"} <= tasks
    assert f"p{process.pk}-notice" not in tasks


def test_the_gantt_has_a_table_of_the_same_dates_for_screen_readers(client, viewer):
    process = OutsourcedProcessFactory()
    MilestoneFactory(process=process, title="Cut-over", due_date=date(2026, 11, 1))

    response = gantt(client, viewer, process.programme)

    page = response.content.decode()
    assert "Cut-over" in page
    assert "Overdue" in page
    assert "30 Sep 2027" in page  # the notice deadline, as a row of the table
    kinds = [row.kind for row in response.context["timeline"].rows]
    assert kinds.count("milestone") == 1
    assert "notice" in kinds


def test_an_empty_programme_says_there_is_nothing_to_draw(client, viewer):
    response = gantt(client, viewer, ProgrammeFactory())

    assert "Nothing to draw yet" in response.content.decode()
    assert "gantt-tasks" not in response.content.decode()
