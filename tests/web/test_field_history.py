"""The field history CSV for auditors (web/audit.py; docs/operations.md, "Privacy: staff
personal data and audit history")."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.clock import TODAY
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory
from transition.models import OutsourcedProcess, StaffMember
from transition.services import staff_save
from transition.services.privacy import staff_purge_expired

LONDON = ZoneInfo("Europe/London")
CSV_URL = reverse("field_history_csv")


def at(day_offset: int):
    """Noon, local time, `day_offset` days after tests.clock.TODAY."""
    moment = datetime.combine(TODAY + timedelta(days=day_offset), datetime.min.time())
    return time_machine.travel(moment.replace(hour=12, tzinfo=LONDON), tick=False)


def download(client, **query) -> list[dict[str, str]]:
    response = client.get(CSV_URL, query)
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="field-history-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def member(operations_manager):
    """Created on TODAY-2, given a raise on TODAY, by olivia."""
    process = OutsourcedProcessFactory()
    with at(-2):
        created = staff_save(
            actor=operations_manager,
            process=process,
            name="Grace Hopper",
            role="Engineer",
            route=StaffMember.Route.NEW_HIRE,
            annual_cost=Decimal("60000.00"),
        )
    with at(0):
        return staff_save(actor=operations_manager, member=created, annual_cost=Decimal("65000"))


@pytest.fixture
def auditor_client(client, operations_manager):
    client.force_login(operations_manager)
    return client


def test_each_changed_field_is_a_row_with_old_new_who_and_when(auditor_client, member):
    rows = download(auditor_client, model="transition.staffmember")
    raise_row = next(r for r in rows if r["change"] == "changed")
    assert raise_row == {
        "changed_at": "2026-11-24T12:00:00+00:00",
        "model": "transition.staffmember",
        "object_id": str(member.pk),
        "change": "changed",
        "field": "annual_cost",
        "old_value": "60000.00",
        "new_value": "65000.00",
        "changed_by": "olivia",
        "reason": "",
    }
    created = {r["field"]: r["new_value"] for r in rows if r["change"] == "created"}
    assert created["name"] == "Grace Hopper"
    assert created["process"] == str(member.process_id)
    assert "training_needed" not in created  # empty values are not "set"


def test_formula_values_are_neutralised(auditor_client, operations_manager, member):
    with at(0):
        staff_save(actor=operations_manager, member=member, name="=cmd|' /C calc'!A0")
    response = auditor_client.get(CSV_URL, {"model": "transition.staffmember"})
    text = b"".join(response.streaming_content).decode()
    assert "\"'=cmd|' /C calc'!A0\"" in text
    assert ',"=cmd' not in text


def test_model_filter_leaves_other_models_out(auditor_client, member):
    OutsourcedProcessFactory()  # a creation row in the process history
    everything = download(auditor_client)
    assert {"transition.staffmember", "transition.outsourcedprocess"} <= {
        r["model"] for r in everything
    }
    only_staff = download(auditor_client, model="transition.staffmember")
    assert {r["model"] for r in only_staff} == {"transition.staffmember"}


def test_date_range_keeps_changes_in_it_with_old_values_from_before(auditor_client, member):
    rows = download(auditor_client, model="transition.staffmember", since=TODAY.isoformat())
    assert [(r["change"], r["field"], r["old_value"]) for r in rows] == [
        ("changed", "annual_cost", "60000.00")
    ]
    day_before = (TODAY - timedelta(days=1)).isoformat()
    rows = download(auditor_client, model="transition.staffmember", until=day_before)
    assert {r["change"] for r in rows} == {"created"}
    rows = download(auditor_client, since=day_before, until=day_before)
    assert rows == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "24/11/2026"}, "Give the day as YYYY-MM-DD"),
        ({"since": "2026-11-24", "until": "2026-11-01"}, "cannot be before the start day"),
        ({"model": "auth.user"}, "Select a valid choice"),
    ],
)
def test_an_unreadable_query_shows_the_form_with_the_reason(auditor_client, query, message):
    response = auditor_client.get(CSV_URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_purged_staff_history_is_not_in_it(auditor_client, member, settings):
    settings.STAFF_DATA_RETENTION_DAYS = 30
    OutsourcedProcess.objects.filter(pk=member.process_id).update(
        state=OutsourcedProcess.State.IN_HOUSE, in_house_on=TODAY - timedelta(days=31)
    )
    staff_purge_expired(today=TODAY)
    rows = download(auditor_client)
    assert not [r for r in rows if r["model"] == "transition.staffmember"]
    assert not [r for r in rows if "Grace Hopper" in r.values()]


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_refused_to_viewers_and_project_leads(db, client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CSV_URL).status_code == 403
    assert client.get(reverse("field_history")).status_code == 403


def test_administrators_and_operations_managers_get_the_page_and_menu_link(
    client, operations_manager
):
    for user in (operations_manager, UserFactory(username="root", is_superuser=True)):
        client.force_login(user)
        page = client.get(reverse("field_history")).content.decode()
        assert f'action="{CSV_URL}"' in page
        assert reverse("field_history") in client.get(reverse("dashboard")).content.decode()


def test_menu_link_is_hidden_from_viewers(client, viewer):
    client.force_login(viewer)
    assert reverse("field_history") not in client.get(reverse("dashboard")).content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(CSV_URL)
    assert response.status_code == 302
    assert "next=" in response["Location"]
