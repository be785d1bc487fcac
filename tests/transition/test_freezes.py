"""Change-freeze pages: operations managers add, edit and delete; leads read; a freeze
ending before it starts is refused naming both dates, nothing written."""

from datetime import date

import pytest
from django.urls import reverse

from tests.transition.factories import ProgrammeFactory
from transition.models import ChangeFreeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory()


def test_an_operations_manager_adds_edits_and_deletes_a_freeze(
    client, operations_manager, programme
):
    client.force_login(operations_manager)
    response = client.post(
        reverse("transition:freeze_create", args=[programme.pk]),
        {"name": "Peak trading", "starts_on": "2026-12-01", "ends_on": "2026-12-31"},
    )
    assert response.status_code == 302
    freeze = ChangeFreeze.objects.get(programme=programme)
    assert freeze.created_by == operations_manager

    client.post(
        reverse("transition:freeze_update", args=[freeze.pk]),
        {"name": "Peak", "starts_on": "2026-12-01", "ends_on": "2027-01-05"},
    )
    freeze.refresh_from_db()
    assert (freeze.name, freeze.ends_on) == ("Peak", date(2027, 1, 5))
    assert freeze.history.count() == 2

    page = client.get(programme.get_absolute_url()).content.decode()
    assert 'data-testid="freezes-card"' in page
    assert "Peak" in page

    client.post(reverse("transition:freeze_delete", args=[freeze.pk]))
    assert not ChangeFreeze.objects.exists()


def test_a_freeze_ending_before_it_starts_is_refused_naming_both_dates(
    client, operations_manager, programme
):
    client.force_login(operations_manager)
    response = client.post(
        reverse("transition:freeze_create", args=[programme.pk]),
        {"name": "Audit", "starts_on": "2027-01-10", "ends_on": "2027-01-05"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "2027-01-05" in page
    assert "2027-01-10" in page
    assert not ChangeFreeze.objects.exists()


def test_a_project_lead_reads_freezes_but_cannot_change_them(client, project_lead, programme):
    freeze = ChangeFreeze.objects.create(
        programme=programme, name="Audit", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 9)
    )
    client.force_login(project_lead)

    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Audit" in page
    assert reverse("transition:freeze_update", args=[freeze.pk]) not in page
    assert client.get(reverse("transition:freeze_create", args=[programme.pk])).status_code == 403
    response = client.post(
        reverse("transition:freeze_update", args=[freeze.pk]),
        {"name": "X", "starts_on": "2027-01-01", "ends_on": "2027-01-02"},
    )
    assert response.status_code == 403
    freeze.refresh_from_db()
    assert freeze.name == "Audit"
