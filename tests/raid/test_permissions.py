"""Who may do what with the RAID log, on the pages and through the API (raid/rules.py)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from raid.models import RaidItem
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import OutsourcedProcessFactory

pytestmark = pytest.mark.django_db

ROLES = ("operations_manager", "project_lead", "other_lead", "viewer", "anonymous")


@pytest.fixture
def process(project_lead):
    return OutsourcedProcessFactory(lead=project_lead)


@pytest.fixture
def user_of(request):
    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


# Pages: (role) -> may edit the process's log, may edit the programme's own log.
EDIT = {
    "operations_manager": (True, True),
    "project_lead": (True, False),
    "other_lead": (False, False),
    "viewer": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_let_each_role_edit_only_its_own_logs(client, user_of, process, role):
    client = signed_in(client, user_of(role))
    item = RaidItemFactory(process=process)
    programme_item = RaidItemFactory(process=None, programme=process.programme)
    may_process, may_programme = EDIT[role]

    for target, allowed in ((item, may_process), (programme_item, may_programme)):
        for name in ("raid:item_update", "raid:item_delete"):
            response = client.get(reverse(name, args=[target.pk]))
            if role == "anonymous":
                assert response.status_code == 302
                assert "/accounts/login/" in response["Location"]
            else:
                assert response.status_code == (200 if allowed else 403), (name, target)
    create = client.get(reverse("raid:item_create") + f"?process={process.pk}")
    assert create.status_code == (302 if role == "anonymous" else 200 if may_process else 403)
    create = client.get(reverse("raid:item_create") + f"?programme={process.programme_id}")
    assert create.status_code == (302 if role == "anonymous" else 200 if may_programme else 403)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_reads_the_log_and_an_item(client, user_of, process, role):
    client = signed_in(client, user_of(role))
    item = RaidItemFactory(process=process, title="Provider walks away")

    listing = client.get(reverse("raid:item_list") + f"?process={process.pk}")
    detail = client.get(item.get_absolute_url())

    if role == "anonymous":
        assert listing.status_code == detail.status_code == 302
    else:
        assert listing.status_code == detail.status_code == 200
        assert "Provider walks away" in listing.content.decode()
        assert (reverse("raid:item_update", args=[item.pk]) in detail.content.decode()) is EDIT[
            role
        ][0]


def test_a_lead_posting_an_item_into_another_process_is_refused_and_nothing_is_written(
    client, other_lead, process
):
    client.force_login(other_lead)
    response = client.post(
        reverse("raid:item_create") + f"?process={process.pk}",
        {"process": process.pk, "kind": "assumption", "title": "X", "status": "open"},
    )
    assert response.status_code == 403
    assert not RaidItem.objects.exists()


def test_a_lead_adds_an_item_to_the_process_they_lead(client, project_lead, process):
    client.force_login(project_lead)
    response = client.post(
        reverse("raid:item_create") + f"?process={process.pk}",
        {
            "process": process.pk,
            "kind": "issue",
            "title": "Backlog",
            "status": "open",
            "severity": "high",
            "owner": project_lead.pk,
        },
    )
    item = RaidItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert (item.process, item.severity, item.owner) == (process, "high", project_lead)
    assert item.history.get().history_user == project_lead


# API


def api_client(user):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_api_applies_the_same_rules(user_of, process, role):
    client = api_client(user_of(role))
    item = RaidItemFactory(process=process)
    programme_item = RaidItemFactory(process=None, programme=process.programme)
    may_process, may_programme = EDIT[role]
    url = "/api/v1/raid-items/"

    listing = client.get(url, {"process": process.pk})
    created = client.post(
        url,
        {"process": process.pk, "kind": "risk", "title": "New", "probability": 2, "impact": 2},
        format="json",
    )
    on_programme = client.post(
        url, {"programme": process.programme_id, "kind": "decision", "title": "Go"}, format="json"
    )
    patched = client.patch(f"{url}{item.pk}/", {"status": "in_progress"}, format="json")
    patched_programme = client.patch(
        f"{url}{programme_item.pk}/", {"status": "closed", "decision_date": None}, format="json"
    )

    if role == "anonymous":
        assert {listing.status_code, created.status_code, patched.status_code} <= {401, 403}
        return
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [item.pk]
    assert created.status_code == (201 if may_process else 403)
    assert on_programme.status_code == (201 if may_programme else 403)
    assert patched.status_code == (200 if may_process else 403)
    assert patched_programme.status_code == (200 if may_programme else 403)
    expected = 2 + int(may_process) + int(may_programme)
    assert RaidItem.objects.count() == expected


def test_the_api_refuses_a_probability_out_of_range_naming_the_field(operations_manager):
    process = OutsourcedProcessFactory()
    response = api_client(operations_manager).post(
        "/api/v1/raid-items/",
        {"process": process.pk, "kind": "risk", "title": "R", "probability": 6, "impact": 0},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "probability": ["Probability is rated from 1 to 5; 6 is out of range."],
        "impact": ["Impact is rated from 1 to 5; 0 is out of range."],
    }
    assert not RaidItem.objects.exists()


def test_the_api_reports_the_score_and_whether_it_is_high(operations_manager):
    item = RaidItemFactory(probability=4, impact=4)
    body = api_client(operations_manager).get(f"/api/v1/raid-items/{item.pk}/").json()
    assert (body["score"], body["high"]) == (16, True)
