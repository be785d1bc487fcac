"""A client that speaks only HTTP takes a process from outsourced to in-house."""

from datetime import date

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def people(db):
    olivia = UserFactory(username="olivia", role="Operations managers")
    olivia.set_password("a-long-pass-phrase")
    olivia.save()
    liam = UserFactory(username="liam", role="Project leads")
    return olivia, liam


def token_client(username, password):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@time_machine.travel(date(2026, 11, 24), tick=False)
def test_a_process_goes_from_outsourced_to_in_house_over_http_only(people):
    olivia, liam = people
    api = token_client("olivia", "a-long-pass-phrase")

    def post(path, body, expected=201):
        response = api.post(path, body, format="json")
        assert response.status_code == expected, response.json()
        return response.json()

    provider = post("/api/v1/providers/", {"name": "Acme", "country": "DE"})
    contract = post(
        "/api/v1/contracts/",
        {
            "provider": provider["id"],
            "reference": "C-1",
            "title": "Fulfilment",
            "owner": olivia.pk,
            "start_date": "2022-01-01",
            "end_date": "2027-06-30",
            "renewal": "automatic",
            "renewal_term_months": 12,
            "notice_period": 6,
            "notice_unit": "months",
            "annual_value": "500000.00",
            "currency": "EUR",
        },
    )
    programme = post(
        "/api/v1/programmes/",
        {"name": "Home", "start_date": "2026-11-01", "target_date": "2027-12-31"},
    )
    process = post(
        "/api/v1/processes/",
        {
            "programme": programme["id"],
            "contract": contract["id"],
            "name": "Warehouse",
            "category": "fulfilment",
            "owner": olivia.pk,
            "lead": liam.pk,
            "annual_outsourced_cost": "500000.00",
            "projected_inhouse_annual_cost": "400000.00",
            "one_off_transition_cost": "150000.00",
        },
    )
    pid = process["id"]
    assert process["state"] == "outsourced"
    blocked = post(f"/api/v1/processes/{pid}/transitions/serve_exit_notice/", {}, expected=409)
    assert blocked["reasons"] == ["Record a readiness assessment before serving exit notice."]

    post(
        "/api/v1/readiness-assessments/",
        {
            "process": pid,
            "expertise": 4,
            "workforce": 4,
            "infrastructure": 4,
            "systems_data": 4,
            "processes_controls": 4,
        },
    )
    served = post(
        f"/api/v1/processes/{pid}/transitions/serve_exit_notice/",
        {"served_on": "2026-11-24", "note": "Letter sent"},
        expected=200,
    )
    assert (served["state"], served["exit_date"]) == ("exit_notice", "2027-06-30")

    milestone = post(
        "/api/v1/milestones/", {"process": pid, "title": "Move stock", "due_date": "2027-05-01"}
    )
    asset = post(
        "/api/v1/assets/",
        {"process": pid, "name": "Racking", "category": "equipment", "transfer_method": "buy_out"},
    )
    staff = post(
        "/api/v1/staff/", {"process": pid, "name": "Ann", "role": "Picker", "route": "tupe"}
    )
    started = post(f"/api/v1/processes/{pid}/transitions/start_transition/", {}, expected=200)
    assert started["state"] == "transition"

    for path, body in [
        (
            f"/api/v1/milestones/{milestone['id']}/",
            {"status": "done", "completed_on": "2026-11-24"},
        ),
        (
            f"/api/v1/assets/{asset['id']}/",
            {"status": "transferred", "transferred_on": "2026-11-24"},
        ),
        (f"/api/v1/staff/{staff['id']}/", {"status": "onboarded"}),
    ]:
        assert api.patch(path, body, format="json").status_code == 200

    done = post(
        f"/api/v1/processes/{pid}/transitions/complete/",
        {"in_house_on": "2026-11-24"},
        expected=200,
    )
    assert (done["state"], done["in_house_on"]) == ("in_house", "2026-11-24")
    events = api.get(f"/api/v1/processes/{pid}/events/").json()
    assert [e["transition"] for e in events["results"]] == [
        "complete",
        "start_transition",
        "serve_exit_notice",
    ]


def test_a_wrong_password_gets_no_token(people):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "olivia", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()
