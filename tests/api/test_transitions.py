"""The transition endpoints: 200 with the process, 409 with reasons, 403, 404."""

from datetime import date

import pytest
import time_machine

from transition.models import Milestone, OutsourcedProcess, ProcessEvent

TODAY = date(2026, 11, 24)


def url(process, name):
    return f"/api/v1/processes/{process.pk}/transitions/{name}/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_serving_notice_returns_the_process_in_its_new_state(ops_client, process):
    response = ops_client.post(
        url(process, "serve_exit_notice"), {"served_on": "2026-11-20", "note": "Signed"}
    )

    assert response.status_code == 200, response.data
    assert response.data["state"] == "exit_notice"
    assert response.data["notice_served_on"] == "2026-11-20"
    assert (
        response.data["exit_date"]
        == process.contract.exit_date_if_served(date(2026, 11, 20)).isoformat()
    )
    event = ProcessEvent.objects.get(process=process)
    assert (event.transition, event.note) == ("serve_exit_notice", "Signed")


def test_a_blocked_transition_answers_409_with_every_reason(ops_client, process):
    process.readiness_assessments.all().delete()
    OutsourcedProcess.objects.filter(pk=process.pk).update(annual_outsourced_cost=None)

    response = ops_client.post(url(process, "serve_exit_notice"), {"served_on": "2027-01-01"})

    assert response.status_code == 409
    assert response.data["detail"]
    assert len(response.data["reasons"]) == 3  # readiness, costs, future date
    assert not ProcessEvent.objects.exists()


def test_a_transition_from_the_wrong_state_answers_409(ops_client, process):
    response = ops_client.post(url(process, "complete"))

    assert response.status_code == 409
    assert "possible only from" in response.data["reasons"][0]


def test_the_second_of_two_identical_transitions_is_blocked(ops_client, process):
    assert ops_client.post(url(process, "serve_exit_notice")).status_code == 200

    response = ops_client.post(url(process, "serve_exit_notice"))

    assert response.status_code == 409
    assert ProcessEvent.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "project_lead", "other_lead"])
def test_only_operations_managers_serve_notice(client_for, request, process, role):
    response = client_for(request.getfixturevalue(role)).post(url(process, "serve_exit_notice"))

    assert response.status_code == 403
    process.refresh_from_db()
    assert process.state == "outsourced"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("viewer", 403), ("other_lead", 403), ("project_lead", 200), ("operations_manager", 200)],
)
def test_the_lead_of_a_process_may_start_its_transition(
    client_for, request, process, role, expected
):
    OutsourcedProcess.objects.filter(pk=process.pk).update(state="exit_notice")

    response = client_for(request.getfixturevalue(role)).post(url(process, "start_transition"))

    assert response.status_code == expected


def test_an_unknown_transition_is_404(ops_client, process):
    assert ops_client.post(url(process, "teleport")).status_code == 404


def test_a_transition_of_an_unknown_process_is_404(ops_client, db):
    assert ops_client.post("/api/v1/processes/999999/transitions/complete/").status_code == 404


def test_withdrawing_needs_a_reason(ops_client, process):
    OutsourcedProcess.objects.filter(pk=process.pk).update(state="exit_notice")

    blocked = ops_client.post(url(process, "withdraw_notice"), {"reason": " "})
    done = ops_client.post(url(process, "withdraw_notice"), {"reason": "Price cut agreed"})

    assert blocked.status_code == 409
    assert done.status_code == 200
    assert done.data["state"] == "outsourced"


def test_a_bad_date_is_a_400(ops_client, process):
    response = ops_client.post(url(process, "serve_exit_notice"), {"served_on": "24/11/2026"})

    assert response.status_code == 400
    assert "served_on" in response.data


def test_the_state_cannot_be_written_directly(ops_client, process):
    response = ops_client.patch(
        f"/api/v1/processes/{process.pk}/", {"state": "in_house"}, format="json"
    )

    assert response.status_code == 200
    process.refresh_from_db()
    assert process.state == "outsourced"


def test_available_transitions_say_why_not(client_for, viewer, process):
    Milestone.objects.all().delete()

    data = client_for(viewer).get(f"/api/v1/processes/{process.pk}/").data

    [option] = data["available_transitions"]
    assert (option["name"], option["allowed"]) == ("serve_exit_notice", False)
    assert option["reasons"] == ["You do not have permission to do this."]


def test_events_list_the_process_history_newest_first(ops_client, process):
    ops_client.post(url(process, "serve_exit_notice"))
    ops_client.post(url(process, "withdraw_notice"), {"reason": "No"})

    data = ops_client.get(f"/api/v1/processes/{process.pk}/events/").data

    assert data["count"] == 2
    assert [e["transition"] for e in data["results"]] == ["withdraw_notice", "serve_exit_notice"]
