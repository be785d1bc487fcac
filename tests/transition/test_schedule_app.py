"""Schedule checks wired into the pages: refused or saved and flagged, freeze overrides,
early completion, the RAG from the forecast margin, and the workspace's Schedule panel."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.clock import TODAY
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition import selectors
from transition.models import ChangeFreeze, Milestone, OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

EXIT = date(2027, 3, 31)


@pytest.fixture
def process(operations_manager, project_lead):
    process = OutsourcedProcessFactory(owner=operations_manager, lead=project_lead, exit_date=EXIT)
    OutsourcedProcess.objects.filter(pk=process.pk).update(state="transition")
    process.refresh_from_db()
    return process


@pytest.fixture
def freeze(process):
    return ChangeFreeze.objects.create(
        programme=process.programme,
        name="Peak trading",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
    )


def milestone_post(process, **changes):
    data = {
        "process": process.pk,
        "title": "Switch over",
        "kind": "go_live",
        "status": "planned",
        "due_date": "2027-03-01",
    }
    data.update(changes)
    return data


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_go_live_after_the_exit_date_is_saved_and_flagged(client, project_lead, process):
    client.force_login(project_lead)
    response = client.post(
        reverse("transition:milestone_create"), milestone_post(process, due_date="2027-04-15")
    )

    assert response.status_code == 302
    assert Milestone.objects.filter(process=process).count() == 1
    [warning] = [text for text in texts(response) if text.startswith("Saved, but:")]
    assert "15 Apr 2027" in warning
    assert "31 Mar 2027" in warning


def test_a_successor_before_its_predecessor_is_saved_with_a_warning(client, project_lead, process):
    first = MilestoneFactory(process=process, title="Train", due_date=date(2027, 2, 1))
    client.force_login(project_lead)
    response = client.post(
        reverse("transition:milestone_create"),
        milestone_post(
            process, kind="other", due_date="2027-01-20", depends_on=[first.pk], title="Go"
        ),
    )

    assert response.status_code == 302
    assert "before Planning “Train” is due 1 Feb 2027" in " ".join(texts(response))


def test_a_go_live_inside_a_freeze_is_refused_for_a_lead_with_nothing_written(
    client, project_lead, process, freeze
):
    client.force_login(project_lead)
    response = client.post(
        reverse("transition:milestone_create"), milestone_post(process, due_date="2026-12-15")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Peak trading" in page
    assert "1 Dec 2026" in page
    assert "ask an operations manager to override" in page
    assert not Milestone.objects.filter(process=process).exists()
    assert "freeze_override_reason" not in response.context["form"].fields


def test_an_operations_manager_overrides_a_freeze_with_a_reason_recorded(
    client, operations_manager, process, freeze
):
    client.force_login(operations_manager)
    response = client.post(
        reverse("transition:milestone_create"),
        milestone_post(
            process, due_date="2026-12-15", freeze_override_reason="Board approved 3 Nov"
        ),
    )

    assert response.status_code == 302
    milestone = Milestone.objects.get(process=process)
    assert milestone.freeze_override_reason == "Board approved 3 Nov"
    assert milestone.freeze_override_by == operations_manager
    assert milestone.freeze_overridden_at is not None
    assert "an operations manager allowed it" in " ".join(texts(response))


def test_a_lead_cannot_override_a_freeze_through_the_service(project_lead, process, freeze):
    from django.core.exceptions import ValidationError

    from transition.services import milestone_save

    with pytest.raises(ValidationError) as refused:
        milestone_save(
            actor=project_lead,
            process=process,
            title="Switch",
            kind="go_live",
            due_date=date(2026, 12, 15),
            freeze_override_reason="Because",
        )
    assert "Only an operations manager" in str(refused.value)
    assert not Milestone.objects.exists()


def test_a_freeze_added_later_flags_but_does_not_block_other_edits(client, project_lead, process):
    milestone = MilestoneFactory(process=process, kind="go_live", due_date=date(2026, 12, 15))
    ChangeFreeze.objects.create(
        programme=process.programme,
        name="Year-end",
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 20),
    )
    client.force_login(project_lead)
    page = client.get(process.get_absolute_url()).content.decode()
    assert "Year-end" in page

    response = client.post(
        reverse("transition:milestone_update", args=[milestone.pk]),
        milestone_post(process, title="Renamed", due_date="2026-12-15", status="in_progress"),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Renamed"

    moved = client.post(
        reverse("transition:milestone_update", args=[milestone.pk]),
        milestone_post(process, title="Renamed", due_date="2026-12-16"),
    )
    assert moved.status_code == 200
    milestone.refresh_from_db()
    assert milestone.due_date == date(2026, 12, 15)


def test_onboarded_before_the_planned_start_is_refused(client, project_lead, process):
    member = StaffMemberFactory(process=process, planned_start=date(2027, 1, 10))
    client.force_login(project_lead)
    data = {
        "process": process.pk,
        "name": member.name,
        "role": "Analyst",
        "route": "tupe",
        "fte": "1",
        "annual_cost": "45000",
        "status": "onboarded",
        "planned_start": "2027-01-10",
    }
    response = client.post(reverse("transition:staff_update", args=[member.pk]), data)

    assert response.status_code == 200
    assert "10 Jan 2027" in response.content.decode()
    member.refresh_from_db()
    assert member.status != "onboarded"


def test_an_asset_due_after_the_exit_date_is_saved_and_flagged(client, project_lead, process):
    asset = AssetFactory(process=process, transfer_due=date(2027, 1, 1))
    client.force_login(project_lead)
    data = {
        "process": process.pk,
        "name": asset.name,
        "category": "equipment",
        "transfer_method": "buy_out",
        "book_value": "100",
        "transfer_due": "2027-05-01",
        "status": "to_transfer",
    }
    response = client.post(reverse("transition:asset_update", args=[asset.pk]), data)

    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.transfer_due == date(2027, 5, 1)
    assert "1 May 2027" in " ".join(texts(response))


def test_completing_before_the_exit_date_warns_and_stores_the_reason(
    client, operations_manager, process
):
    client.force_login(operations_manager)
    url = reverse("transition:process_transition", args=[process.pk, "complete"])
    confirm = client.get(
        reverse("transition:process_transition_confirm", args=[process.pk, "complete"])
    )
    assert b"early-completion" in confirm.content
    assert b"early_completion_reason" in confirm.content

    response = client.post(url, {"in_house_on": TODAY.isoformat(), "early_completion_reason": ""})
    process.refresh_from_db()
    assert process.state == "in_house"
    assert "Record why it completed early" in " ".join(texts(response))


def test_the_completion_reason_is_stored(client, operations_manager, process):
    client.force_login(operations_manager)
    url = reverse("transition:process_transition", args=[process.pk, "complete"])
    response = client.post(
        url, {"in_house_on": TODAY.isoformat(), "early_completion_reason": "Provider agreed"}
    )
    process.refresh_from_db()
    assert process.early_completion_reason == "Provider agreed"
    assert not [text for text in texts(response) if text.startswith("Saved, but")]


def rag_of(process):
    row = selectors.process_list().get(pk=process.pk)
    return row.rag_explained_on(TODAY)


def test_a_forecast_after_the_exit_date_is_red_with_the_reason(process):
    MilestoneFactory(process=process, kind="other", due_date=date(2027, 4, 10))

    rag, reason = rag_of(process)

    assert rag == "red"
    assert "10 Apr 2027" in reason
    assert "31 Mar 2027" in reason


def test_a_forecast_under_14_days_before_the_exit_is_amber(process):
    MilestoneFactory(process=process, kind="other", due_date=date(2027, 3, 25))

    rag, reason = rag_of(process)

    assert rag == "amber"
    assert "6 days before the exit date" in reason


def test_a_comfortable_forecast_stays_green(process):
    MilestoneFactory(process=process, kind="other", due_date=date(2027, 2, 1))

    assert rag_of(process) == ("green", "")


def test_the_workspace_shows_the_schedule_panel_and_the_rag_reason(client, viewer, process):
    MilestoneFactory(process=process, title="Cut", kind="go_live", due_date=date(2027, 4, 10))
    client.force_login(viewer)
    response = client.get(process.get_absolute_url())
    page = response.content.decode()

    assert 'data-testid="schedule-panel"' in page
    assert 'data-testid="critical-path"' in page
    assert "10 Apr 2027" in page
    assert 'data-testid="rag-reason"' in page
    assert "text-bg-danger" in page


def test_the_milestone_page_shows_its_findings(client, viewer, process):
    milestone = MilestoneFactory(process=process, kind="go_live", due_date=date(2027, 4, 10))
    client.force_login(viewer)
    page = client.get(milestone.get_absolute_url()).content.decode()

    assert 'data-testid="milestone-schedule"' in page
    assert "after the provider&#x27;s exit date" in page or "after the provider's exit date" in page
