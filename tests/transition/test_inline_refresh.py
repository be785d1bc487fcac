"""Pages that stay true: an inline change answers with every part of the workspace it alters,
and a refused dialog comes back with its errors and what was typed (docs/workspace.md)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.clock import TODAY
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def complete_url(milestone):
    return reverse("transition:milestone_complete", args=[milestone.pk])


def transition_url(process, name):
    return reverse("transition:process_transition", args=[process.pk, name])


def oob_fragment(body: str, element_id: str) -> str:
    """The out-of-band element with that id, from its opening tag on."""
    match = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*hx-swap-oob="true"', body)
    assert match, f"no out-of-band #{element_id}"
    return body[match.start() :]


def process_in_transition(lead, *, open_titles=("Cut over the phone lines",)):
    process = OutsourcedProcessFactory(lead=lead, state="transition")
    MilestoneFactory(process=process, title="Lease novated", status="done", completed_on=TODAY)
    opened = [MilestoneFactory(process=process, title=title) for title in open_titles]
    return process, opened


def test_the_last_milestone_done_updates_counter_and_completion_guard(client, project_lead):
    process, [last] = process_in_transition(project_lead)
    client.force_login(project_lead)
    page = client.get(process.get_absolute_url()).content.decode()
    assert "1 milestone is not done: Cut over the phone lines." in page
    assert ">1/2 done</span>" in page

    body = client.post(complete_url(last), **HTMX).content.decode()

    assert body.startswith(f'<tr id="milestone-{last.pk}"')
    assert ">2/2 done</span>" in oob_fragment(body, "milestones-count")
    workflow = oob_fragment(body, "workflow")
    assert "is not done" not in workflow
    assert 'data-bs-target="#transition-complete"' in workflow  # the button is enabled
    assert 'data-testid="schedule-panel"' in oob_fragment(body, "schedule")
    assert "Plan finished" in oob_fragment(body, "schedule")


def test_one_of_two_open_milestones_done_names_only_the_other_in_the_guard(client, project_lead):
    process, [first, second] = process_in_transition(
        project_lead, open_titles=("Train the team", "Move the data")
    )
    client.force_login(project_lead)

    body = client.post(complete_url(first), **HTMX).content.decode()

    workflow = oob_fragment(body, "workflow")
    assert "1 milestone is not done: Move the data." in workflow
    assert 'aria-describedby="reasons-complete"' in workflow
    assert ">2/3 done</span>" in body


def test_the_rag_and_its_reason_are_sent_with_the_row(client, project_lead):
    process, [last] = process_in_transition(project_lead)
    client.force_login(project_lead)

    response = client.post(complete_url(last), **HTMX)

    status = oob_fragment(response.content.decode(), "process-status")
    assert process.name in status
    rag, reason = response.context["rag"], response.context["rag_reason"]
    assert rag in status.lower()
    assert (reason or "") in status


def test_a_milestone_waiting_for_the_done_one_gets_its_row_again(client, project_lead):
    process, [first] = process_in_transition(project_lead)
    waiting = MilestoneFactory(process=process, title="Switch off the old line")
    waiting.depends_on.add(first)
    unrelated = MilestoneFactory(process=process, title="Unrelated")
    client.force_login(project_lead)

    body = client.post(complete_url(first), **HTMX).content.decode()

    row = oob_fragment(body, f"milestone-{waiting.pk}")
    assert 'aria-label="done"' in row.split("</tr>")[0]
    assert f'id="milestone-{unrelated.pk}"' not in body


def test_a_refused_milestone_keeps_the_panels_as_they_were(client, project_lead):
    process, [first] = process_in_transition(project_lead)
    second = MilestoneFactory(process=process, title="After the cut-over")
    second.depends_on.add(first)
    client.force_login(project_lead)

    response = client.post(complete_url(second), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body.split("</tr>")[0]
    assert ">1/3 done</span>" in oob_fragment(body, "milestones-count")
    assert "2 milestones are not done" in oob_fragment(body, "workflow")


def test_the_workspace_renders_the_same_partials_it_sends_out_of_band(client, project_lead):
    process, _open = process_in_transition(project_lead)
    AssetFactory(process=process)
    StaffMemberFactory(process=process)
    client.force_login(project_lead)

    page = client.get(process.get_absolute_url()).content.decode()

    for element_id in ("process-status", "workflow", "schedule", "milestones-count"):
        assert f'id="{element_id}"' in page
    assert ">0/1 settled</span>" in page  # assets and staff counters, same partial
    assert "hx-swap-oob" not in page


# Session, user, the milestone and the user's groups; the save (its process, the plan's
# schedule checks, freezes, the write and the change recorded for the reminders' plan, in
# savepoints); then the workspace's process with its prefetches, the milestones, the freezes
# and the guards' inputs: the same for 1 step or 12.
INLINE_QUERIES = 34


@pytest.mark.parametrize("open_count", [1, 12])
def test_the_inline_answer_runs_a_pinned_number_of_queries(
    client, project_lead, django_assert_num_queries, open_count
):
    process, opened = process_in_transition(
        project_lead, open_titles=[f"Step {n}" for n in range(open_count)]
    )
    for earlier, later in zip(opened, opened[1:], strict=False):
        later.depends_on.add(earlier)
    AssetFactory(process=process)
    StaffMemberFactory(process=process)
    client.force_login(project_lead)

    with django_assert_num_queries(INLINE_QUERIES):
        response = client.post(complete_url(opened[0]), **HTMX)

    assert response.status_code == 200
    # Counter, state and RAG, workflow, schedule, and the one step waiting for it, if any.
    waiting = 1 if open_count > 1 else 0
    assert response.content.decode().count('hx-swap-oob="true"') == 4 + waiting


# Dialogs that keep what was typed


def test_a_refused_dialog_answers_with_its_body_errors_and_typed_text(client, operations_manager):
    process = OutsourcedProcessFactory(state="exit_notice", notice_served_on=TODAY)
    client.force_login(operations_manager)

    response = client.post(
        transition_url(process, "withdraw_notice"),
        {"note": "Spoke to the provider on Friday", "reason": ""},
        **HTMX,
    )

    assert response.status_code == 200  # htmx swaps only 2xx answers
    body = response.content.decode()
    assert body.startswith('<div class="modal-body" id="transition-withdraw_notice-body"')
    assert "Spoke to the provider on Friday" in body
    assert 'id="id_withdraw_notice_reason"' in body  # the dialog's own ids
    assert "is-invalid" in body
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE


def test_reasons_the_service_gives_show_inside_the_dialog(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead, state="transition")
    MilestoneFactory(process=process, status="done", completed_on=TODAY)
    client.force_login(project_lead)

    response = client.post(
        transition_url(process, "complete"),
        {"note": "All done", "in_house_on": "2030-01-01"},
        **HTMX,
    )

    body = response.content.decode()
    assert 'data-testid="transition-refused"' in body
    assert "cannot be in the future" in body
    assert "All done" in body
    assert 'value="2030-01-01"' in body
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.TRANSITION


def test_an_accepted_dialog_reloads_the_workspace(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead, state="transition")
    MilestoneFactory(process=process, status="done", completed_on=TODAY)
    client.force_login(project_lead)

    response = client.post(
        transition_url(process, "complete"), {"in_house_on": TODAY.isoformat()}, **HTMX
    )

    assert response["HX-Redirect"] == process.get_absolute_url()
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.IN_HOUSE


def test_without_javascript_a_refused_transition_is_still_its_own_page(client, operations_manager):
    process = OutsourcedProcessFactory(state="exit_notice", notice_served_on=TODAY)
    client.force_login(operations_manager)

    response = client.post(transition_url(process, "withdraw_notice"), {"note": "Kept"})

    assert response.status_code == 400
    assert "<html" in response.content.decode()
    assert "Kept" in response.content.decode()


def test_the_workspace_dialog_posts_with_htmx_into_its_body(client, operations_manager):
    process = OutsourcedProcessFactory(state="exit_notice", notice_served_on=TODAY)
    client.force_login(operations_manager)

    page = client.get(process.get_absolute_url()).content.decode()

    assert 'hx-target="#transition-withdraw_notice-body"' in page
    assert 'id="transition-withdraw_notice-body"' in page


# Assets and staff: their status set inline from the workspace row


def asset_status_url(asset):
    return reverse("transition:asset_status", args=[asset.pk])


def staff_status_url(member):
    return reverse("transition:staff_status", args=[member.pk])


def test_the_last_asset_transferred_updates_its_counter_and_the_guard(client, project_lead):
    process, _done = process_in_transition(project_lead, open_titles=())
    asset = AssetFactory(process=process, name="Forklift fleet")
    client.force_login(project_lead)
    page = client.get(process.get_absolute_url()).content.decode()
    assert "1 asset is neither transferred nor marked not needed: Forklift fleet." in page
    assert 'id="asset-status-' in page

    response = client.post(asset_status_url(asset), {"status": "transferred"}, **HTMX)

    body = response.content.decode()
    assert body.startswith(f'<tr id="asset-{asset.pk}"')
    assert "Transferred" in body.split("</tr>")[0]
    assert ">1/1 settled</span>" in oob_fragment(body, "assets-count")
    workflow = oob_fragment(body, "workflow")
    assert "neither transferred" not in workflow
    assert 'data-bs-target="#transition-complete"' in workflow
    asset.refresh_from_db()
    assert asset.transferred_on == TODAY


def test_a_person_onboarded_updates_the_staff_counter_and_the_guard(client, project_lead):
    process, _done = process_in_transition(project_lead, open_titles=())
    member = StaffMemberFactory(process=process, name="Sam Okafor", planned_start=TODAY)
    client.force_login(project_lead)

    response = client.post(staff_status_url(member), {"status": "onboarded"}, **HTMX)

    body = response.content.decode()
    assert body.startswith(f'<tr id="staff-{member.pk}"')
    assert ">1/1 settled</span>" in oob_fragment(body, "staff-count")
    assert "not yet onboarded" not in oob_fragment(body, "workflow")


def test_a_refused_status_shows_why_in_the_row_and_changes_nothing(client, project_lead):
    process, _done = process_in_transition(project_lead, open_titles=())
    member = StaffMemberFactory(
        process=process, planned_start=TODAY + timedelta(days=30), status="accepted"
    )
    client.force_login(project_lead)

    response = client.post(staff_status_url(member), {"status": "onboarded"}, **HTMX)

    row = response.content.decode().split("</tr>")[0]
    assert 'role="alert"' in row
    assert ">0/1 settled</span>" in oob_fragment(response.content.decode(), "staff-count")
    member.refresh_from_db()
    assert member.status == "accepted"


def test_an_unknown_status_is_a_message_not_an_error(client, project_lead):
    process, _done = process_in_transition(project_lead, open_titles=())
    asset = AssetFactory(process=process)
    client.force_login(project_lead)

    response = client.post(asset_status_url(asset), {"status": "<b>lost</b>"}, **HTMX)

    assert response.status_code == 200
    assert "Choose a status from the list." in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == "to_transfer"


def test_without_javascript_a_status_change_redirects_back_to_the_list(client, project_lead):
    process, _done = process_in_transition(project_lead, open_titles=())
    asset = AssetFactory(process=process)
    client.force_login(project_lead)

    response = client.post(asset_status_url(asset), {"status": "not_needed"})

    assert response["Location"] == process.get_absolute_url() + "#assets"
    asset.refresh_from_db()
    assert asset.status == "not_needed"


@pytest.mark.parametrize("role", ["viewer", "other_lead"])
def test_setting_a_status_on_someone_elses_plan_is_403(client, request, project_lead, role):
    process, _done = process_in_transition(project_lead, open_titles=())
    asset = AssetFactory(process=process)
    client.force_login(request.getfixturevalue(role))

    response = client.post(asset_status_url(asset), {"status": "transferred"}, **HTMX)

    assert response.status_code == 403
    asset.refresh_from_db()
    assert asset.status == "to_transfer"


# Session, user, the asset and the groups; its save (the stored process, the checks, the
# write, the change recorded for the reminders' plan); then the same workspace parts as for a
# milestone: the same for 1 asset or 12.
ASSET_QUERIES = 26


@pytest.mark.parametrize("asset_count", [1, 12])
def test_an_inline_asset_status_runs_a_pinned_number_of_queries(
    client, project_lead, django_assert_num_queries, asset_count
):
    process, _open = process_in_transition(project_lead)
    assets = [AssetFactory(process=process) for _ in range(asset_count)]
    client.force_login(project_lead)

    with django_assert_num_queries(ASSET_QUERIES):
        response = client.post(asset_status_url(assets[0]), {"status": "transferred"}, **HTMX)

    assert response.status_code == 200


def test_a_dialog_for_a_step_no_longer_possible_reloads_the_workspace(client, operations_manager):
    process = OutsourcedProcessFactory()  # outsourced: there is no notice to withdraw
    client.force_login(operations_manager)

    response = client.post(transition_url(process, "withdraw_notice"), {"reason": "x"}, **HTMX)

    assert response["HX-Redirect"] == process.get_absolute_url()
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.OUTSOURCED
