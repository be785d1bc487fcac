"""`POST /api/v1/milestones/{id}/reschedule/`: the same move as the page, as JSON."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.transition.test_reschedule import BUILD, dates_of, freeze
from tests.transition.test_reschedule import plan as plan  # noqa: F401  # the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def api_as():
    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make


def endpoint(plan, name="design") -> str:
    return f"/api/v1/milestones/{plan[name].pk}/reschedule/"


def test_a_dry_run_lists_the_moves_and_writes_nothing(api_as, plan, project_lead):
    before = dates_of(plan)

    response = api_as(project_lead).post(
        endpoint(plan), {"due_date": "2026-12-15", "dry_run": True}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["applied"] is False
    assert body["moves"] == [
        {
            "id": plan["design"].pk,
            "title": "Design",
            "old_start": "2026-12-01",
            "old_due": "2026-12-10",
            "new_start": "2026-12-06",
            "new_due": "2026-12-15",
            "days": 5,
        },
        {
            "id": plan["build"].pk,
            "title": "Build",
            "old_start": "2026-12-10",
            "old_due": "2027-01-20",
            "new_start": "2026-12-15",
            "new_due": "2027-01-25",
            "days": 5,
        },
        {
            "id": plan["go_live"].pk,
            "title": "Switch over",
            "old_start": None,
            "old_due": "2027-01-20",
            "new_start": None,
            "new_due": "2027-01-25",
            "days": 5,
        },
    ]
    assert {row["title"]: row["slack_days"] for row in body["unmoved"]} == {
        "Training": 5,
        "Review": None,
    }
    assert body["findings"] == []
    assert dates_of(plan) == before


def test_a_dry_run_is_the_default(api_as, plan, operations_manager):
    before = dates_of(plan)

    response = api_as(operations_manager).post(
        endpoint(plan), {"due_date": "2026-12-15"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["applied"] is False
    assert dates_of(plan) == before


def test_applying_moves_them_all(api_as, plan, project_lead):
    response = api_as(project_lead).post(
        endpoint(plan), {"due_date": "2026-12-15", "dry_run": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["applied"] is True
    assert len(response.json()["moves"]) == 3
    assert dates_of(plan)["build"] == (date(2026, 12, 15), date(2027, 1, 25))


def test_without_successors_the_clash_is_a_finding(api_as, plan, project_lead):
    response = api_as(project_lead).post(
        endpoint(plan),
        {"due_date": "2026-12-15", "dry_run": False, "move_successors": False},
        format="json",
    )

    body = response.json()
    assert [move["title"] for move in body["moves"]] == ["Design"]
    assert ("successor_before_predecessor", "milestone", plan["build"].pk) in [
        (f["code"], f["subject"], f["key"]) for f in body["findings"]
    ]
    assert dates_of(plan)["build"] == BUILD


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_move_into_a_freeze_is_refused_with_the_dates(api_as, plan, project_lead, dry_run):
    freeze(plan["process"], date(2027, 1, 22), date(2027, 1, 31))
    before = dates_of(plan)

    response = api_as(project_lead).post(
        endpoint(plan), {"due_date": "2026-12-15", "dry_run": dry_run}, format="json"
    )

    assert response.status_code == 400
    (message,) = response.json()["due_date"]
    assert "25 Jan 2027" in message
    assert "Year-end close" in message
    assert dates_of(plan) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "due_date"),
        ({"due_date": "2027-02-31"}, "due_date"),
        ({"due_date": "9999-01-01"}, "due_date"),
        ({"due_date": "2026-12-15", "dry_run": "perhaps"}, "dry_run"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_as, plan, project_lead, body, field):
    response = api_as(project_lead).post(endpoint(plan), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_done_milestone_is_refused(api_as, plan, project_lead):
    response = api_as(project_lead).post(
        endpoint(plan, "review"), {"due_date": "2026-12-20", "dry_run": False}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["due_date"] == [
        "“Review” is done (completed 20 Nov 2026): a done milestone keeps its dates."
    ]


@pytest.mark.parametrize("role", ["viewer", "other_lead"])
def test_who_may_not_edit_the_plan_gets_403(api_as, request, plan, role):
    before = dates_of(plan)

    response = api_as(request.getfixturevalue(role)).post(
        endpoint(plan), {"due_date": "2026-12-15", "dry_run": False}, format="json"
    )

    assert response.status_code == 403
    assert dates_of(plan) == before


def test_an_unknown_milestone_is_404(api_as, operations_manager, db):
    response = api_as(operations_manager).post(
        "/api/v1/milestones/987654/reschedule/", {"due_date": "2026-12-15"}, format="json"
    )

    assert response.status_code == 404
