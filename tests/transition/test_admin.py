"""Admin for programmes, processes and plans: pages, workflow actions, protection, history."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.contracts.factories import ContractFactory
from tests.contracts.test_admin import admin_form_data, messages_of, url
from tests.factories import UserFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)
from transition.services import apply_transition

TODAY = date(2026, 11, 24)
State = OutsourcedProcess.State


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("Europe/London"))):
        yield


@pytest.fixture
def ready(db):
    """An outsourced process that may be served notice: costs entered and readiness assessed."""
    process = OutsourcedProcessFactory(name="Fulfilment")
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.fixture
def in_transition(ready, project_lead, admin_user):
    ready.lead = project_lead
    ready.save()
    MilestoneFactory(process=ready, status="done", completed_on=date(2026, 11, 1))
    apply_transition(ready, "serve_exit_notice", admin_user)
    return apply_transition(ready, "start_transition", admin_user)


def run_action(client, action, *processes, **extra):
    return client.post(
        url(OutsourcedProcess, "changelist"),
        {"action": action, "index": 0, "_selected_action": [p.pk for p in processes], **extra},
        follow=True,
    )


@pytest.fixture
def seeded(ready, admin_user):
    MilestoneFactory(process=ready)
    AssetFactory(process=ready)
    StaffMemberFactory(process=ready)
    apply_transition(ready, "serve_exit_notice", admin_user)
    return ready


PLAN_MODELS = [Programme, OutsourcedProcess, Milestone, Asset, StaffMember, ReadinessAssessment]


@pytest.mark.parametrize("model", PLAN_MODELS)
def test_every_transition_page_loads_for_a_seeded_object(admin_client, seeded, model):
    obj = model.objects.first()

    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        assert admin_client.get(page).status_code == 200, page
    assert admin_client.get(url(model, "changelist"), {"q": "x"}).status_code == 200


def test_process_event_admin_is_read_only(admin_client, seeded):
    event = ProcessEvent.objects.get()

    assert admin_client.get(url(ProcessEvent, "changelist")).status_code == 200
    page = admin_client.get(url(ProcessEvent, "change", event.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert admin_client.get(url(ProcessEvent, "add")).status_code == 403
    assert (
        admin_client.post(url(ProcessEvent, "change", event.pk), {"note": "x"}).status_code == 403
    )
    assert (
        admin_client.post(url(ProcessEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    )
    event.refresh_from_db()
    assert event.note == ""


def test_process_list_shows_state_rag_and_annual_saving(admin_client, ready):
    MilestoneFactory(process=ready, due_date=date(2026, 11, 1))  # overdue

    response = admin_client.get(url(OutsourcedProcess, "changelist"))

    html = response.content.decode()
    assert "Outsourced" in html
    assert "● Red" in html
    assert "EUR 120,000" in html


def test_process_change_form_has_no_input_for_workflow_fields(admin_client, ready):
    response = admin_client.get(url(OutsourcedProcess, "change", ready.pk))

    form = response.context["adminform"].form
    for name in ("state", "notice_served_on", "exit_date", "in_house_on"):
        assert name not in form.fields


def test_process_admin_edit_saves_details_and_ignores_a_posted_state(admin_client, ready):
    data = admin_form_data(admin_client.get(url(OutsourcedProcess, "change", ready.pk)))
    data.update(description="Pick, pack and ship", state="in_house", exit_date="2027-01-01")

    response = admin_client.post(url(OutsourcedProcess, "change", ready.pk), data)

    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.description == "Pick, pack and ship"
    assert ready.state == State.OUTSOURCED
    assert ready.exit_date is None


def test_process_added_in_admin_starts_outsourced(admin_client, admin_user):
    contract = ContractFactory()
    programme = OutsourcedProcessFactory(contract=contract).programme
    data = admin_form_data(admin_client.get(url(OutsourcedProcess, "add")))
    data.update(
        name="Service desk",
        programme=str(programme.pk),
        contract=str(contract.pk),
        category="it",
        criticality="high",
        owner=str(admin_user.pk),
    )

    response = admin_client.post(url(OutsourcedProcess, "add"), data)

    assert response.status_code == 302
    process = OutsourcedProcess.objects.get(name="Service desk")
    assert process.state == State.OUTSOURCED
    assert process.history.get().history_user == admin_user


def test_process_admin_save_is_validated(admin_client, ready):
    data = admin_form_data(admin_client.get(url(OutsourcedProcess, "change", ready.pk)))
    data["annual_outsourced_cost"] = "-5"

    response = admin_client.post(url(OutsourcedProcess, "change", ready.pk), data)

    assert response.status_code == 200
    assert "annual_outsourced_cost" in response.context["adminform"].form.errors


def test_serve_exit_notice_action_moves_the_process_and_writes_one_event(
    admin_client, admin_user, ready
):
    response = run_action(admin_client, "serve_exit_notice", ready)

    ready.refresh_from_db()
    assert ready.state == State.EXIT_NOTICE
    assert ready.notice_served_on == TODAY
    assert ready.exit_date == date(2027, 12, 31)
    event = ProcessEvent.objects.get()
    assert (event.process, event.transition, event.actor) == (
        ready,
        "serve_exit_notice",
        admin_user,
    )
    assert ("success", "Serve exit notice: 1 process done (Fulfilment).") in messages_of(response)


def test_start_transition_and_complete_actions_move_the_process_on(admin_client, in_transition):
    process = in_transition
    response = run_action(admin_client, "complete", process)

    process.refresh_from_db()
    assert process.state == State.IN_HOUSE
    assert process.in_house_on == TODAY
    assert [e.transition for e in process.events.order_by("pk")] == [
        "serve_exit_notice",
        "start_transition",
        "complete",
    ]
    assert messages_of(response)[0][0] == "success"


def test_start_transition_action_moves_a_served_process(admin_client, ready, project_lead):
    ready.lead = project_lead
    ready.save()
    MilestoneFactory(process=ready)
    run_action(admin_client, "serve_exit_notice", ready)

    run_action(admin_client, "start_transition", ready)

    ready.refresh_from_db()
    assert ready.state == State.TRANSITION
    assert ready.events.count() == 2


def test_blocked_action_reports_the_reasons_and_changes_nothing(admin_client):
    process = OutsourcedProcessFactory(name="Payroll", annual_outsourced_cost=None)

    response = run_action(admin_client, "serve_exit_notice", process)

    process.refresh_from_db()
    assert process.state == State.OUTSOURCED
    assert process.notice_served_on is None
    assert not ProcessEvent.objects.exists()
    [(level, text)] = messages_of(response)
    assert level == "warning"
    assert text.startswith("“Payroll” was not changed:")
    assert "Record a readiness assessment" in text
    assert "annual outsourced cost" in text


def test_action_on_a_mixed_selection_moves_the_ready_and_reports_the_blocked(admin_client, ready):
    blocked = OutsourcedProcessFactory(name="Payroll")

    response = run_action(admin_client, "serve_exit_notice", ready, blocked)

    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert (ready.state, blocked.state) == (State.EXIT_NOTICE, State.OUTSOURCED)
    levels = sorted(level for level, _ in messages_of(response))
    assert levels == ["success", "warning"]


def test_action_from_the_wrong_state_is_blocked_with_the_reason(admin_client, ready):
    response = run_action(admin_client, "complete", ready)

    ready.refresh_from_db()
    assert ready.state == State.OUTSOURCED
    [(level, text)] = messages_of(response)
    assert level == "warning"
    assert "possible only from Transition" in text


@pytest.fixture
def staff_without_rights(db):
    """A staff user who may edit processes in the admin but holds no workflow role."""
    user = UserFactory(username="sam", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_outsourcedprocess", "change_outsourcedprocess"]
        )
    )
    return user


def test_staff_without_the_role_cannot_run_a_transition_action(client, staff_without_rights, ready):
    client.force_login(staff_without_rights)

    response = run_action(client, "serve_exit_notice", ready)

    ready.refresh_from_db()
    assert ready.state == State.OUTSOURCED
    assert not ProcessEvent.objects.exists()
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "you do not have permission" in text


def test_staff_without_admin_rights_cannot_reach_the_process_admin(client, ready):
    client.force_login(UserFactory(username="ivy", is_staff=True))

    assert client.get(url(OutsourcedProcess, "changelist")).status_code == 403
    response = run_action(client, "serve_exit_notice", ready)

    assert response.status_code == 403
    ready.refresh_from_db()
    assert ready.state == State.OUTSOURCED


def test_staff_viewer_sees_processes_but_is_offered_no_transition_action(client, ready):
    client.force_login(UserFactory(username="vic", is_staff=True, role="Viewers"))

    listing = client.get(url(OutsourcedProcess, "changelist"))
    response = run_action(client, "serve_exit_notice", ready)

    assert listing.status_code == 200
    assert listing.context["action_form"] is None  # no action is offered to view-only staff
    assert response.status_code == 200
    ready.refresh_from_db()
    assert ready.state == State.OUTSOURCED
    assert not ProcessEvent.objects.exists()


def test_project_lead_runs_start_transition_only_on_a_process_they_lead(
    client, ready, project_lead, other_lead, admin_user
):
    ready.lead = project_lead
    ready.save()
    MilestoneFactory(process=ready)
    apply_transition(ready, "serve_exit_notice", admin_user)
    change = Permission.objects.filter(
        codename__in=["view_outsourcedprocess", "change_outsourcedprocess"]
    )
    for lead in (project_lead, other_lead):
        lead.is_staff = True
        lead.save()
        lead.user_permissions.add(*change)

    client.force_login(other_lead)
    run_action(client, "start_transition", ready)
    ready.refresh_from_db()
    assert ready.state == State.EXIT_NOTICE

    client.force_login(project_lead)
    run_action(client, "start_transition", ready)
    ready.refresh_from_db()
    assert ready.state == State.TRANSITION


def test_withdraw_notice_action_asks_for_a_reason_first(admin_client, seeded):
    response = admin_client.post(
        url(OutsourcedProcess, "changelist"),
        {"action": "withdraw_notice", "index": 0, "_selected_action": [seeded.pk]},
    )

    assert response.status_code == 200
    assert "admin/transition/outsourcedprocess/withdraw_notice.html" in [
        t.name for t in response.templates
    ]
    assert 'name="reason"' in response.content.decode()
    seeded.refresh_from_db()
    assert seeded.state == State.EXIT_NOTICE


def test_withdraw_notice_with_a_reason_returns_the_process_and_records_why(admin_client, seeded):
    response = admin_client.post(
        url(OutsourcedProcess, "changelist"),
        {
            "action": "withdraw_notice",
            "_selected_action": [seeded.pk],
            "apply": "Withdraw notice",
            "reason": "The provider cut its price by 20%.",
        },
        follow=True,
    )

    seeded.refresh_from_db()
    assert (seeded.state, seeded.notice_served_on, seeded.exit_date) == (
        State.OUTSOURCED,
        None,
        None,
    )
    event = seeded.events.get(transition="withdraw_notice")
    assert event.note == "The provider cut its price by 20%."
    assert messages_of(response)[0][0] == "success"


def test_withdraw_notice_without_a_reason_shows_the_form_again_and_changes_nothing(
    admin_client, seeded
):
    response = admin_client.post(
        url(OutsourcedProcess, "changelist"),
        {"action": "withdraw_notice", "_selected_action": [seeded.pk], "apply": "1", "reason": " "},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    seeded.refresh_from_db()
    assert seeded.state == State.EXIT_NOTICE
    assert seeded.events.count() == 1


def test_change_page_lists_next_transitions_with_their_reasons(admin_client):
    process = OutsourcedProcessFactory()

    response = admin_client.get(url(OutsourcedProcess, "change", process.pk))

    [(option, _)] = response.context["transition_options"]
    assert option.name == "serve_exit_notice"
    assert not option.allowed
    assert "Record a readiness assessment before serving exit notice." in response.content.decode()


def test_change_page_button_fires_the_transition_with_a_note(admin_client, ready):
    target = url(OutsourcedProcess, "transition", ready.pk, "serve_exit_notice")

    assert admin_client.get(target).status_code == 405
    response = admin_client.post(target, {"note": "Board approved"}, follow=True)

    ready.refresh_from_db()
    assert ready.state == State.EXIT_NOTICE
    assert ready.events.get().note == "Board approved"
    assert ("success", "“Fulfilment” is now Exit notice.") in messages_of(response)


def test_change_page_button_withdraws_only_with_a_reason(admin_client, seeded):
    target = url(OutsourcedProcess, "transition", seeded.pk, "withdraw_notice")

    response = admin_client.post(target, {"reason": ""}, follow=True)
    seeded.refresh_from_db()
    assert seeded.state == State.EXIT_NOTICE
    assert messages_of(response)[0][0] == "warning"

    admin_client.post(target, {"reason": "Deal renegotiated"})
    seeded.refresh_from_db()
    assert seeded.state == State.OUTSOURCED


def test_change_page_button_for_an_unknown_transition_is_not_found(admin_client, ready):
    response = admin_client.post(url(OutsourcedProcess, "transition", ready.pk, "teleport"))

    assert response.status_code == 404


def test_process_history_shows_the_transition_and_cannot_be_reverted(admin_client, seeded):
    history = admin_client.get(url(OutsourcedProcess, "history", seeded.pk))
    assert history.status_code == 200
    assert "exit_notice" in history.content.decode() or "Exit notice" in history.content.decode()

    first = seeded.history.earliest()
    revert_url = url(OutsourcedProcess, "simple_history", seeded.pk, first.history_id)
    assert admin_client.get(revert_url).status_code == 200
    assert admin_client.post(revert_url, {"name": seeded.name}).status_code == 403
    seeded.refresh_from_db()
    assert seeded.state == State.EXIT_NOTICE


def test_deleting_a_programme_with_processes_is_refused(admin_client, ready):
    response = admin_client.post(url(Programme, "delete", ready.programme.pk), {"post": "yes"})

    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Programme.objects.filter(pk=ready.programme.pk).exists()


def test_milestone_marked_done_without_a_date_is_refused(admin_client):
    milestone = MilestoneFactory()
    data = admin_form_data(admin_client.get(url(Milestone, "change", milestone.pk)))
    data["status"] = "done"

    response = admin_client.post(url(Milestone, "change", milestone.pk), data)

    assert response.status_code == 200
    assert "completed_on" in response.context["adminform"].form.errors


def test_milestone_dependency_on_another_process_or_in_a_cycle_is_refused(admin_client):
    first = MilestoneFactory(title="Plan")
    second = MilestoneFactory(title="Build", process=first.process)
    second.depends_on.add(first)
    elsewhere = MilestoneFactory(title="Elsewhere")

    for predecessor in (second, elsewhere):
        data = admin_form_data(admin_client.get(url(Milestone, "change", first.pk)))
        data["depends_on"] = [str(predecessor.pk)]
        if predecessor is elsewhere:
            data["process"] = str(first.process_id)

        response = admin_client.post(url(Milestone, "change", first.pk), data)

        assert response.status_code == 200
        assert "depends_on" in response.context["adminform"].form.errors
    assert not first.depends_on.exists()


def test_milestone_cannot_be_done_while_a_predecessor_is_open(admin_client):
    first = MilestoneFactory(title="Plan")
    second = MilestoneFactory(title="Build", process=first.process)
    data = admin_form_data(admin_client.get(url(Milestone, "change", second.pk)))
    data.update(depends_on=[str(first.pk)], status="done", completed_on="2026-11-20")

    response = admin_client.post(url(Milestone, "change", second.pk), data)

    assert response.status_code == 200
    assert "Plan" in str(response.context["adminform"].form.errors["status"])


def test_readiness_inline_saves_an_assessment_on_the_process_page(admin_client, admin_user):
    process = OutsourcedProcessFactory()
    data = admin_form_data(admin_client.get(url(OutsourcedProcess, "change", process.pk)))
    data.update(
        {
            "readiness_assessments-TOTAL_FORMS": "1",
            "readiness_assessments-0-assessed_on": "2026-11-20",
            "readiness_assessments-0-assessed_by": str(admin_user.pk),
            "readiness_assessments-0-expertise": "4",
            "readiness_assessments-0-workforce": "3",
            "readiness_assessments-0-infrastructure": "5",
            "readiness_assessments-0-systems_data": "4",
            "readiness_assessments-0-processes_controls": "6",
        }
    )

    refused = admin_client.post(url(OutsourcedProcess, "change", process.pk), data)
    assert refused.status_code == 200
    assert not ReadinessAssessment.objects.exists()

    data["readiness_assessments-0-processes_controls"] = "4"
    saved = admin_client.post(url(OutsourcedProcess, "change", process.pk), data)
    assert saved.status_code == 302
    assert process.readiness_assessments.get().overall == 3


def _process_with_plan(contract=None):
    process = OutsourcedProcessFactory(contract=contract or ContractFactory())
    MilestoneFactory(process=process)
    AssetFactory(process=process, transfer_due=date(2027, 1, 15))
    StaffMemberFactory(process=process)
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.mark.parametrize(
    "model", [OutsourcedProcess, Programme, Milestone, Asset, StaffMember, ReadinessAssessment]
)
def test_transition_changelist_queries_do_not_grow_with_rows(admin_client, model):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(model, "changelist")).status_code == 200
        return len(queries)

    _process_with_plan()
    one = count_queries()
    for _ in range(5):
        _process_with_plan()
    assert count_queries() == one


def test_process_event_changelist_queries_do_not_grow_with_rows(admin_client, admin_user):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(ProcessEvent, "changelist")).status_code == 200
        return len(queries)

    def served():
        process = _process_with_plan()
        apply_transition(process, "serve_exit_notice", admin_user)

    served()
    one = count_queries()
    for _ in range(5):
        served()
    assert count_queries() == one
