"""The admin saves plan rows through the same schedule checks as the pages: a refused save
is an error on its field and writes nothing; a flagged one is saved with a warning; an
operations manager's freeze override records who and when (docs/plan.md)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.contracts.test_admin import admin_form_data, messages_of, url
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import Asset, ChangeFreeze, Milestone, OutsourcedProcess, StaffMember

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # 24 Nov 2026

EXIT = date(2027, 3, 31)


@pytest.fixture
def process(project_lead):
    return OutsourcedProcessFactory(name="Desk", exit_date=EXIT, lead=project_lead)


@pytest.fixture
def freeze(process):
    return ChangeFreeze.objects.create(
        programme=process.programme,
        name="Peak trading",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
    )


@pytest.fixture
def go_live(process):
    return MilestoneFactory(
        process=process, title="Switch over", kind="go_live", due_date=date(2027, 1, 20)
    )


def staff_login(client, user):
    """`user` with the admin's rights on milestones, assets and staff."""
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="transition",
            content_type__model__in=["milestone", "asset", "staffmember"],
        )
    )
    client.force_login(user)
    return client


def edit(client, item, **changes):
    """Post the item's admin change form with `changes`, as a person saving it would."""
    data = admin_form_data(client.get(url(type(item), "change", item.pk)))
    data.update(changes)
    return client.post(url(type(item), "change", item.pk), data)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


@pytest.mark.usefixtures("freeze")
def test_moving_a_go_live_into_a_freeze_is_refused_on_the_due_date(admin_client, go_live):
    response = edit(admin_client, go_live, due_date="2026-12-15")

    assert response.status_code == 200
    [message] = form_errors(response)["due_date"]
    assert "15 Dec 2026" in message
    assert "“Peak trading” (1 Dec 2026 to 31 Dec 2026)" in message
    go_live.refresh_from_db()
    assert go_live.due_date == date(2027, 1, 20)


def test_a_completion_in_the_future_is_refused_on_its_field(admin_client, go_live):
    response = edit(admin_client, go_live, status="done", completed_on="2026-11-30")

    assert response.status_code == 200
    assert "30 Nov 2026" in form_errors(response)["completed_on"][0]
    go_live.refresh_from_db()
    assert go_live.status != Milestone.Status.DONE


@pytest.mark.usefixtures("freeze")
def test_adding_a_go_live_inside_a_freeze_writes_nothing(admin_client, process):
    response = admin_client.post(
        url(Milestone, "add"),
        {
            "process": process.pk,
            "title": "Go",
            "kind": "go_live",
            "status": "planned",
            "due_date": "2026-12-24",
        },
    )

    assert response.status_code == 200
    assert "24 Dec 2026" in form_errors(response)["due_date"][0]
    assert not Milestone.objects.exists()


def test_a_go_live_after_the_exit_date_is_saved_with_a_warning(admin_client, go_live):
    response = edit(admin_client, go_live, due_date="2027-04-15")

    assert response.status_code == 302
    go_live.refresh_from_db()
    assert go_live.due_date == date(2027, 4, 15)
    [text] = [
        text
        for level, text in messages_of(admin_client.get(url(Milestone, "changelist")))
        if level == "warning"
    ]
    assert text.startswith("Saved, but: ")
    assert "is due 15 Apr 2027, after the provider's exit date 31 Mar 2027" in text


@pytest.mark.usefixtures("freeze")
def test_an_operations_manager_overrides_a_freeze_recording_who_and_when(
    client, operations_manager, go_live
):
    staff_login(client, operations_manager)
    page = client.get(url(Milestone, "change", go_live.pk))
    form = page.context["adminform"].form
    assert "freeze_override_reason" in form.fields
    assert {"freeze_override_by", "freeze_overridden_at"} <= set(
        page.context["adminform"].readonly_fields
    )

    response = edit(
        client, go_live, due_date="2026-12-15", freeze_override_reason="Agreed with the board"
    )

    assert response.status_code == 302, form_errors(response)
    go_live.refresh_from_db()
    assert go_live.due_date == date(2026, 12, 15)
    assert go_live.freeze_override_reason == "Agreed with the board"
    assert go_live.freeze_override_by == operations_manager
    assert go_live.freeze_overridden_at == timezone.now()  # the clock is stopped
    [text] = [
        text
        for level, text in messages_of(client.get(url(Milestone, "changelist")))
        if level == "warning"
    ]
    assert "an operations manager allowed it" in text


@pytest.mark.usefixtures("freeze")
def test_saving_again_without_a_reason_keeps_the_override(
    client, operations_manager, admin_user, go_live
):
    Milestone.objects.filter(pk=go_live.pk).update(
        due_date=date(2026, 12, 15),
        freeze_override_reason="Agreed with the board",
        freeze_override_by=admin_user,
    )
    go_live.refresh_from_db()
    staff_login(client, operations_manager)

    response = edit(client, go_live, title="Switch over now", freeze_override_reason="")

    assert response.status_code == 302, form_errors(response)
    go_live.refresh_from_db()
    assert (go_live.title, go_live.freeze_override_reason) == (
        "Switch over now",
        "Agreed with the board",
    )
    assert go_live.freeze_override_by == admin_user  # not re-recorded


@pytest.mark.usefixtures("freeze")
def test_a_project_lead_is_not_offered_the_override_and_is_refused(client, project_lead, go_live):
    staff_login(client, project_lead)
    page = client.get(url(Milestone, "change", go_live.pk))
    assert "freeze_override_reason" not in page.context["adminform"].form.fields

    response = edit(client, go_live, due_date="2026-12-15", freeze_override_reason="I say so")

    assert response.status_code == 200
    assert "ask an operations manager" in form_errors(response)["due_date"][0]
    go_live.refresh_from_db()
    assert (go_live.due_date, go_live.freeze_override_reason) == (date(2027, 1, 20), "")


def test_onboarding_before_the_planned_start_is_refused_on_the_status(admin_client, process):
    person = StaffMemberFactory(process=process, name="Bob Jones", planned_start=date(2027, 1, 4))

    response = edit(admin_client, person, status="onboarded")

    assert response.status_code == 200
    message = form_errors(response)["status"][0]
    assert "4 Jan 2027" in message
    assert "24 Nov 2026" in message
    person.refresh_from_db()
    assert person.status != StaffMember.Status.ONBOARDED


def test_onboarding_too_early_in_the_process_page_inline_is_refused(admin_client, process):
    person = StaffMemberFactory(process=process, name="Bob Jones", planned_start=date(2027, 1, 4))
    data = admin_form_data(admin_client.get(url(OutsourcedProcess, "change", process.pk)))
    data["staff-0-status"] = "onboarded"
    assert data["staff-0-id"] == str(person.pk)

    response = admin_client.post(url(OutsourcedProcess, "change", process.pk), data)

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status != StaffMember.Status.ONBOARDED


def test_an_asset_due_after_the_exit_date_is_saved_with_a_warning(admin_client, process):
    asset = AssetFactory(process=process, name="Forklift", transfer_due=date(2027, 3, 1))

    response = edit(admin_client, asset, transfer_due="2027-05-01")

    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.transfer_due == date(2027, 5, 1)
    [text] = [
        text
        for level, text in messages_of(admin_client.get(url(Asset, "changelist")))
        if level == "warning"
    ]
    assert "1 May 2027" in text
    assert "31 Mar 2027" in text
