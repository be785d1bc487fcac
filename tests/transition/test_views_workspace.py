"""The process workspace: transition buttons and their POSTs, inline milestones, readiness."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import TODAY
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import Milestone, OutsourcedProcess, ProcessEvent, ReadinessAssessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def workspace(client, user, process):
    client.force_login(user)
    response = client.get(reverse("transition:process_detail", args=[process.pk]))
    assert response.status_code == 200
    return response


def transition_url(process, name):
    return reverse("transition:process_transition", args=[process.pk, name])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# What the workspace offers


def test_an_allowed_transition_is_a_button_opening_its_confirmation(client, operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)

    response = workspace(client, operations_manager, process)

    [(option, form)] = response.context["transitions"]
    assert option.name == "serve_exit_notice"
    assert option.allowed
    assert form.fields["served_on"].initial == TODAY
    page = response.content.decode()
    assert 'data-bs-target="#transition-serve_exit_notice"' in page
    assert transition_url(process, "serve_exit_notice") in page


def test_a_blocked_transition_is_disabled_with_its_reasons(client, operations_manager):
    process = OutsourcedProcessFactory(annual_outsourced_cost=None)

    page = workspace(client, operations_manager, process).content.decode()

    assert 'aria-describedby="reasons-serve_exit_notice"' in page
    assert "Record a readiness assessment before serving exit notice." in page
    assert "annual outsourced cost missing" in page
    assert transition_url(process, "serve_exit_notice") not in page


def test_transitions_the_user_may_not_fire_are_not_shown(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    ReadinessAssessmentFactory(process=process)

    response = workspace(client, project_lead, process)

    assert response.context["transitions"] == []
    assert "Serve exit notice" not in response.content.decode()


def test_the_lead_is_offered_start_transition_on_their_process(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead, state="exit_notice")
    MilestoneFactory(process=process)

    response = workspace(client, project_lead, process)

    assert [option.name for option, _form in response.context["transitions"]] == [
        "start_transition"
    ]


def test_the_workspace_shows_the_plan_the_business_case_and_the_dates(client, viewer):
    process = OutsourcedProcessFactory(notice_served_on=date(2026, 9, 1), state="exit_notice")
    StaffMemberFactory(process=process, name="Tina Tupe", planned_start=date(2027, 3, 1))
    ReadinessAssessmentFactory(process=process, expertise=2)

    response = workspace(client, viewer, process)

    page = response.content.decode()
    assert "Tina Tupe" in page
    assert "1 Feb 2027" in page  # her employee liability information, 28 days before
    assert "120,000" in page  # annual saving 500,000 − 380,000
    assert "24.0 months" in page  # payback
    keys = [item.key for item in response.context["key_dates"]]
    assert keys[:2] == ["notice_served_on", "exit_date"]
    assert response.context["readiness"].rag == "red"


def test_the_event_timeline_lists_each_transition_with_its_note(client, operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    client.force_login(operations_manager)
    client.post(transition_url(process, "serve_exit_notice"), {"note": "By courier"})

    page = workspace(client, operations_manager, process).content.decode()

    assert "Serve exit notice" in page
    assert "By courier" in page


def test_reminders_section_appears_only_when_the_reminders_partial_exists(
    client, viewer, settings, tmp_path
):
    process = OutsourcedProcessFactory()
    partial = tmp_path / "reminders" / "partials" / "_process_reminders.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>REMINDERS OF {{ process.name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    page = workspace(client, viewer, process).content.decode()

    assert f"REMINDERS OF {process.name}" in page


# Transition POSTs


def test_serving_notice_moves_the_process_and_records_the_date(client, operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    client.force_login(operations_manager)

    response = client.post(
        transition_url(process, "serve_exit_notice"),
        {"served_on": "2026-11-20", "note": "Signed for"},
        follow=True,
    )

    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE
    assert process.notice_served_on == date(2026, 11, 20)
    assert process.exit_date == date(2027, 12, 31)
    assert ProcessEvent.objects.get(process=process).note == "Signed for"
    assert response.redirect_chain[-1][0] == process.get_absolute_url()
    assert any("exit notice" in m for m in messages_of(response))


def test_a_blocked_transition_explains_why_and_changes_nothing(client, operations_manager):
    process = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    response = client.post(transition_url(process, "serve_exit_notice"), {}, follow=True)

    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.OUTSOURCED
    [message] = messages_of(response)
    assert "Record a readiness assessment before serving exit notice." in message
    assert not ProcessEvent.objects.exists()


def test_a_transition_from_the_wrong_state_is_blocked_with_the_reason(client, operations_manager):
    process = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    response = client.post(transition_url(process, "complete"), follow=True)

    [message] = messages_of(response)
    assert "possible only from Transition" in message


def test_withdrawing_notice_needs_a_reason(client, operations_manager):
    process = OutsourcedProcessFactory(state="exit_notice", notice_served_on=TODAY)
    client.force_login(operations_manager)

    response = client.post(transition_url(process, "withdraw_notice"), {"reason": ""})

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE


def test_a_future_served_on_date_is_blocked(client, operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    client.force_login(operations_manager)

    response = client.post(
        transition_url(process, "serve_exit_notice"), {"served_on": "2026-12-24"}, follow=True
    )

    assert any("cannot be in the future" in m for m in messages_of(response))


def test_a_malformed_date_is_reported(client, operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    client.force_login(operations_manager)

    response = client.post(transition_url(process, "serve_exit_notice"), {"served_on": "24/13/26"})

    assert response.status_code == 400
    assert any(m.startswith("Notice served on:") for m in messages_of(response))
    assert "served_on" in response.context["form"].errors


@pytest.mark.parametrize(
    ("role", "name", "state"),
    [
        ("viewer", "serve_exit_notice", "outsourced"),
        ("project_lead", "serve_exit_notice", "outsourced"),
        ("project_lead", "withdraw_notice", "exit_notice"),
        ("other_lead", "start_transition", "exit_notice"),
        ("viewer", "complete", "transition"),
    ],
)
def test_a_forbidden_transition_is_403(client, request, project_lead, role, name, state):
    process = OutsourcedProcessFactory(lead=project_lead, state=state)
    client.force_login(request.getfixturevalue(role))

    response = client.post(transition_url(process, name), {"reason": "x"})

    assert response.status_code == 403
    process.refresh_from_db()
    assert process.state == state


def test_an_unknown_transition_is_404(client, operations_manager):
    process = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    assert client.post(transition_url(process, "teleport")).status_code == 404


def test_transitions_refuse_get(client, operations_manager):
    process = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    assert client.get(transition_url(process, "serve_exit_notice")).status_code == 405


def test_the_confirmation_page_works_without_javascript(client, operations_manager):
    process = OutsourcedProcessFactory(state="exit_notice", notice_served_on=TODAY)
    client.force_login(operations_manager)

    response = client.get(
        reverse("transition:process_transition_confirm", args=[process.pk, "withdraw_notice"])
    )

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["note", "reason"]
    assert transition_url(process, "withdraw_notice") in response.content.decode()


def test_the_lead_completes_their_process(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead, state="transition")
    MilestoneFactory(process=process, status="done", completed_on=TODAY)
    client.force_login(project_lead)

    client.post(transition_url(process, "complete"), {"in_house_on": "2026-11-23"})

    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.IN_HOUSE
    assert process.in_house_on == date(2026, 11, 23)


# Milestones marked done inline


def complete_url(milestone):
    return reverse("transition:milestone_complete", args=[milestone.pk])


def test_htmx_marks_a_milestone_done_and_returns_its_row(client, project_lead):
    milestone = MilestoneFactory(process__lead=project_lead)
    client.force_login(project_lead)

    response = client.post(complete_url(milestone), HTTP_HX_REQUEST="true")

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert milestone.completed_on == TODAY
    body = response.content.decode()
    assert body.startswith(f'<tr id="milestone-{milestone.pk}"')
    assert "Done" in body
    assert "<html" not in body


def test_htmx_shows_why_a_milestone_waiting_on_another_cannot_be_done(client, project_lead):
    first = MilestoneFactory(process__lead=project_lead, title="Lease novated")
    second = MilestoneFactory(process=first.process)
    second.depends_on.add(first)
    client.force_login(project_lead)

    response = client.post(complete_url(second), HTTP_HX_REQUEST="true")

    second.refresh_from_db()
    assert second.status == Milestone.Status.PLANNED
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "Lease novated" in response.context["error"]


def test_without_javascript_marking_done_redirects_back_with_a_message(client, project_lead):
    milestone = MilestoneFactory(process__lead=project_lead)
    client.force_login(project_lead)

    response = client.post(complete_url(milestone), follow=True)

    assert response.redirect_chain[-1][0] == (milestone.process.get_absolute_url() + "#milestones")
    assert any("is done" in m for m in messages_of(response))


def test_marking_done_ignores_a_next_url_on_another_site(client, project_lead):
    milestone = MilestoneFactory(process__lead=project_lead)
    client.force_login(project_lead)

    response = client.post(complete_url(milestone), {"next": "https://evil.example/"})

    assert response["Location"].startswith(milestone.process.get_absolute_url())


@pytest.mark.parametrize("role", ["viewer", "other_lead"])
def test_marking_done_someone_elses_milestone_is_403(client, request, project_lead, role):
    milestone = MilestoneFactory(process__lead=project_lead)
    client.force_login(request.getfixturevalue(role))

    response = client.post(complete_url(milestone), HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED


# Readiness


def scores(**overrides):
    data = {
        "assessed_on": "2026-11-20",
        "expertise": "4",
        "workforce": "3",
        "infrastructure": "5",
        "systems_data": "4",
        "processes_controls": "4",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_the_lead_records_a_readiness_assessment(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    client.force_login(project_lead)

    response = client.post(reverse("transition:readiness_create", args=[process.pk]), scores())

    assessment = ReadinessAssessment.objects.get(process=process)
    assert response["Location"] == process.get_absolute_url() + "#readiness"
    assert assessment.assessed_by == project_lead
    assert assessment.rag == "amber"


def test_a_score_out_of_range_is_refused_next_to_the_field(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    client.force_login(project_lead)

    response = client.post(
        reverse("transition:readiness_create", args=[process.pk]), scores(workforce="7")
    )

    assert response.status_code == 400
    assert "workforce" in response.context["form"].errors
    assert not ReadinessAssessment.objects.exists()


def test_a_viewer_cannot_record_readiness(client, viewer):
    process = OutsourcedProcessFactory()
    client.force_login(viewer)

    response = client.post(reverse("transition:readiness_create", args=[process.pk]), scores())

    assert response.status_code == 403
