"""Exit plans: versions, approval and review, rehearsals, remediation, roles and pages."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.clock import TODAY
from tests.transition.exit_plan_factories import (
    ExitPlanFactory,
    RehearsalFactory,
    RemediationActionFactory,
)
from tests.transition.factories import OutsourcedProcessFactory
from transition import services
from transition.models import ExitPlan, Rehearsal, RemediationAction
from transition.selectors.exit_plans import dashboard_attention, needing_attention

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

CONTENT = {
    "objectives": "Bring fulfilment in-house.",
    "triggers": ["termination", "regulatory"],
    "business_impact": "Orders stop within two days.",
    "roles": "Exit manager.",
    "success_criteria": "98% on time.",
    "substitutability": "difficult",
    "reintegration": "easy",
}


def draft(process, actor, **fields):
    return services.exit_plan_draft_create(
        actor=actor, process=process, **{**CONTENT, "owner": actor, **fields}
    )


def test_approving_the_first_version_sets_review_dates_a_year_on(operations_manager):
    process = OutsourcedProcessFactory()
    plan = draft(process, operations_manager)

    plan = services.exit_plan_approve(plan=plan, actor=operations_manager, on=date(2026, 3, 3))

    assert (plan.version, plan.status) == (1, ExitPlan.Status.APPROVED)
    assert (plan.approved_by, plan.approved_on) == (operations_manager, date(2026, 3, 3))
    assert (plan.last_review_on, plan.next_review_due) == (date(2026, 3, 3), date(2027, 3, 3))


def test_a_new_version_copies_the_one_in_force_and_approving_it_supersedes_it(
    operations_manager,
):
    process = OutsourcedProcessFactory()
    first = services.exit_plan_approve(
        plan=draft(process, operations_manager), actor=operations_manager
    )

    second = services.exit_plan_draft_create(actor=operations_manager, process=process)
    assert (second.version, second.objectives, second.triggers) == (
        2,
        "Bring fulfilment in-house.",
        ["termination", "regulatory"],
    )
    services.exit_plan_update(plan=second, actor=operations_manager, objectives="Move to B.")
    services.exit_plan_approve(
        plan=second, actor=operations_manager, next_review_due=date(2027, 6, 30)
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ExitPlan.Status.SUPERSEDED
    assert first.objectives == "Bring fulfilment in-house."  # the old version stays readable
    assert (second.status, second.next_review_due) == (ExitPlan.Status.APPROVED, date(2027, 6, 30))
    assert ExitPlan.objects.approved().filter(process=process).count() == 1
    third = services.exit_plan_draft_create(actor=operations_manager, process=process)
    assert third.version == 3


def test_only_one_draft_at_a_time_and_only_drafts_are_edited(operations_manager):
    process = OutsourcedProcessFactory()
    plan = draft(process, operations_manager)
    with pytest.raises(ValidationError, match="already has a draft exit plan \\(version 1\\)"):
        draft(process, operations_manager)
    services.exit_plan_approve(plan=plan, actor=operations_manager)

    with pytest.raises(ValidationError, match="Version 1 of the exit plan is approved"):
        services.exit_plan_update(plan=plan, actor=operations_manager, objectives="x")
    plan.refresh_from_db()
    assert plan.objectives == "Bring fulfilment in-house."


def test_an_exit_plan_approved_with_no_owner_is_refused_and_nothing_written(operations_manager):
    process = OutsourcedProcessFactory()
    plan = draft(process, operations_manager, owner=None, objectives="  ", triggers=[])

    with pytest.raises(ValidationError) as refused:
        services.exit_plan_approve(plan=plan, actor=operations_manager)

    errors = refused.value.message_dict
    assert "an exit plan approved with no owner is refused" in errors["owner"][0]
    assert set(errors) == {"owner", "objectives", "triggers"}
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on) == (ExitPlan.Status.DRAFT, None)


def test_another_provider_as_route_needs_the_alternatives_named(operations_manager):
    plan = draft(OutsourcedProcessFactory(), operations_manager, route="alternative_provider")

    with pytest.raises(ValidationError) as refused:
        services.exit_plan_approve(plan=plan, actor=operations_manager)

    assert list(refused.value.message_dict) == ["alternatives"]


def test_a_trigger_not_in_the_allowed_set_is_refused_naming_it(operations_manager):
    process = OutsourcedProcessFactory()

    with pytest.raises(ValidationError, match="“meteor” is not an exit trigger"):
        draft(process, operations_manager, triggers=["termination", "meteor"])
    with pytest.raises(ValidationError, match="as a list of"):
        draft(process, operations_manager, triggers="termination")
    assert not ExitPlan.objects.exists()


def test_triggers_are_stored_once_each_in_the_order_of_the_choices(operations_manager):
    plan = draft(
        OutsourcedProcessFactory(),
        operations_manager,
        triggers=["regulatory", "termination", "regulatory"],
    )

    assert plan.triggers == ["termination", "regulatory"]


def test_next_review_before_last_review_is_refused_naming_both(operations_manager):
    plan = draft(OutsourcedProcessFactory(), operations_manager)

    with pytest.raises(
        ValidationError,
        match="next review \\(1 Jan 2026\\) cannot fall before the last review \\(24 Nov 2026\\)",
    ):
        services.exit_plan_approve(
            plan=plan, actor=operations_manager, next_review_due=date(2026, 1, 1)
        )
    plan.refresh_from_db()
    assert plan.status == ExitPlan.Status.DRAFT


def test_a_review_moves_the_dates_without_a_new_version(operations_manager):
    plan = ExitPlanFactory(approved=True)

    plan = services.exit_plan_review(
        plan=plan, actor=operations_manager, reviewed_on=date(2026, 11, 20)
    )

    assert (plan.last_review_on, plan.next_review_due) == (date(2026, 11, 20), date(2027, 11, 20))
    assert ExitPlan.objects.filter(process=plan.process).count() == 1
    with pytest.raises(ValidationError, match="A review dated in the future \\(1 Dec 2026\\)"):
        services.exit_plan_review(
            plan=plan, actor=operations_manager, reviewed_on=date(2026, 12, 1)
        )
    draft_plan = ExitPlanFactory(process=plan.process)
    with pytest.raises(ValidationError, match="Only the approved exit plan is reviewed"):
        services.exit_plan_review(plan=draft_plan, actor=operations_manager)


@pytest.mark.parametrize(
    ("outcome", "due"),
    [("pass", date(2027, 9, 12)), ("partial", date(2027, 3, 12)), ("fail", date(2026, 12, 12))],
)
def test_a_rehearsal_tests_the_approved_version_and_is_due_again_sooner_when_it_failed(
    project_lead, outcome, due
):
    plan = ExitPlanFactory(approved=True, process__lead=project_lead)

    rehearsal = services.rehearsal_create(
        actor=project_lead,
        process=plan.process,
        held_on=date(2026, 9, 12),
        scenario="Provider insolvent",
        outcome=outcome,
    )

    assert (rehearsal.exit_plan, rehearsal.process) == (plan, plan.process)
    assert (rehearsal.next_test_due, rehearsal.recorded_by) == (due, project_lead)


def test_a_rehearsal_dated_in_the_future_is_refused_naming_the_date(operations_manager):
    plan = ExitPlanFactory(approved=True)

    with pytest.raises(ValidationError) as refused:
        services.rehearsal_create(
            actor=operations_manager,
            exit_plan=plan,
            held_on=date(2026, 11, 25),
            scenario="x",
            outcome="pass",
        )

    message = refused.value.message_dict["held_on"][0]
    assert "25 Nov 2026" in message
    assert "a rehearsal dated in the future" in message
    assert not Rehearsal.objects.exists()


def test_a_process_without_an_approved_plan_has_nothing_to_rehearse(operations_manager):
    process = OutsourcedProcessFactory()

    with pytest.raises(ValidationError, match="has no approved exit plan to test"):
        services.rehearsal_create(
            actor=operations_manager, process=process, held_on=TODAY, scenario="x", outcome="fail"
        )


def test_closing_an_action_needs_a_day_and_reopening_clears_it(operations_manager):
    action = RemediationActionFactory()

    with pytest.raises(ValidationError, match="Give the day the remediation action was closed"):
        services.remediation_action_close(action=action, actor=operations_manager, closed_on=None)
    action.refresh_from_db()
    assert action.status == RemediationAction.Status.OPEN

    services.remediation_action_close(
        action=action, actor=operations_manager, closed_on=date(2026, 11, 20)
    )
    action.refresh_from_db()
    assert (action.status, action.closed_on) == ("closed", date(2026, 11, 20))
    services.remediation_action_update(action=action, actor=operations_manager, status="open")
    action.refresh_from_db()
    assert (action.status, action.closed_on) == ("open", None)


# Roles: (role, what) -> allowed. Leads rehearse the processes they lead and only read plans.
@pytest.mark.parametrize(
    ("role", "plans", "rehearsals"),
    [
        ("operations_manager", True, True),
        ("project_lead", False, True),
        ("other_lead", False, False),
        ("viewer", False, False),
    ],
)
def test_who_may_write_plans_and_rehearsals(request, project_lead, role, plans, rehearsals):
    user = request.getfixturevalue(role)
    plan = ExitPlanFactory(approved=True, process__lead=project_lead)
    rehearsal = RehearsalFactory(exit_plan=plan)

    def attempt(write):
        try:
            write()
        except PermissionDenied:
            return False
        return True

    assert (
        attempt(lambda: services.exit_plan_draft_create(actor=user, process=plan.process)) is plans
    )
    assert attempt(lambda: services.exit_plan_review(plan=plan, actor=user)) is plans
    assert (
        attempt(
            lambda: services.remediation_action_create(
                actor=user, rehearsal=rehearsal, title="Fix", due_date=TODAY
            )
        )
        is rehearsals
    )
    assert (
        attempt(lambda: services.rehearsal_update(rehearsal=rehearsal, actor=user, findings="y"))
        is rehearsals
    )


# Pages -----------------------------------------------------------------------------------


def card(client, user, process) -> str:
    client.force_login(user)
    html = client.get(reverse("transition:process_detail", args=[process.pk])).content.decode()
    start = html.index('data-testid="exit-plan-card"')
    return html[start : html.index("</section>", start)]


def test_the_process_card_says_version_test_and_review(client, viewer):
    plan = ExitPlanFactory(approved=True, version=2)
    rehearsal = RehearsalFactory(exit_plan=plan)
    RemediationActionFactory(rehearsal=rehearsal, due_date=date(2026, 11, 1))
    RemediationActionFactory(rehearsal=rehearsal, due_date=date(2026, 12, 31))
    RemediationActionFactory(rehearsal=rehearsal, status="closed", closed_on=date(2026, 10, 1))

    text = " ".join(card(client, viewer, plan.process).split())

    assert (
        "Exit plan v2 approved 3 Mar 2026 · tested 12 Sep 2026 (partial), next test due "
        "12 Sep 2027 · review due 3 Mar 2027"
    ) in text
    assert "2 open remediation actions" in text
    assert "1 overdue" in text


def test_the_process_card_says_when_there_is_no_plan_or_no_test(client, viewer):
    assert "No exit plan" in card(client, viewer, OutsourcedProcessFactory())
    plan = ExitPlanFactory(approved=True, next_review_due=date(2026, 11, 1))
    html = card(client, viewer, plan.process)
    assert "Never tested" in html
    assert "Review overdue" in html


def test_process_exit_plan_page_shows_in_force_draft_and_older_versions(client, viewer):
    process = OutsourcedProcessFactory()
    owner = process.owner
    old = ExitPlanFactory(
        process=process, owner=owner, status="superseded", approved_on=date(2025, 3, 3)
    )
    ExitPlanFactory(process=process, owner=owner, approved=True)
    ExitPlanFactory(process=process, owner=owner, objectives="Move to provider B.")
    client.force_login(viewer)

    html = client.get(reverse("transition:process_exit_plan", args=[process.pk])).content.decode()

    assert "Version 2 in force" in html
    assert "Draft version 3" in html
    assert html.count('data-testid="changed-field"') == 1  # the objectives only
    assert old.get_absolute_url() in html
    assert reverse("transition:exit_plan_create", args=[process.pk]) not in html  # a viewer
    assert client.get(old.get_absolute_url()).status_code == 200


def test_an_operations_manager_drafts_and_approves_through_the_pages(client, operations_manager):
    process = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:exit_plan_create", args=[process.pk]),
        {**CONTENT, "owner": operations_manager.pk, "route": "in_house"},
    )
    plan = ExitPlan.objects.get(process=process)
    assert response.status_code == 302
    assert plan.triggers == ["termination", "regulatory"]
    response = client.post(reverse("transition:exit_plan_approve", args=[plan.pk]), {})
    plan.refresh_from_db()
    assert (response.status_code, plan.status) == (302, "approved")


def test_the_approve_page_explains_a_refusal_and_writes_nothing(client, operations_manager):
    plan = ExitPlanFactory(owner=None)
    client.force_login(operations_manager)

    response = client.post(reverse("transition:exit_plan_approve", args=[plan.pk]), {})

    assert response.status_code == 200
    assert "an exit plan approved with no owner is refused" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


@pytest.mark.parametrize(("role", "status"), [("project_lead", 403), ("viewer", 403)])
def test_only_operations_managers_reach_the_plan_forms(client, request, role, status):
    user = request.getfixturevalue(role)
    plan = ExitPlanFactory(process__lead=user)
    client.force_login(user)

    for name in ("exit_plan_update", "exit_plan_approve"):
        assert client.get(reverse(f"transition:{name}", args=[plan.pk])).status_code == status
    assert (
        client.get(reverse("transition:exit_plan_create", args=[plan.process_id])).status_code
        == status
    )


def test_a_lead_records_a_rehearsal_and_an_action_on_the_pages(client, project_lead):
    plan = ExitPlanFactory(approved=True, process__lead=project_lead)
    client.force_login(project_lead)

    response = client.post(
        reverse("transition:rehearsal_create", args=[plan.process_id]),
        {
            "exit_plan": plan.pk,
            "held_on": "2026-11-20",
            "scenario": "Insolvency",
            "outcome": "fail",
        },
    )
    rehearsal = Rehearsal.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("transition:remediation_action_create", args=[rehearsal.pk]),
        {"title": "Second warehouse", "due_date": "2027-01-31", "status": "open"},
    )
    assert response.status_code == 302
    page = client.get(rehearsal.get_absolute_url()).content.decode()
    assert "Second warehouse" in page


def test_a_future_rehearsal_on_the_page_is_an_error_on_its_field(client, operations_manager):
    plan = ExitPlanFactory(approved=True)
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:rehearsal_create", args=[plan.process_id]),
        {"exit_plan": plan.pk, "held_on": "2027-01-01", "scenario": "x", "outcome": "pass"},
    )

    assert response.status_code == 200
    assert "1 Jan 2027" in response.context["form"].errors["held_on"][0]
    assert not Rehearsal.objects.exists()


# The dashboard's card and the list it links to --------------------------------------------


def attention_portfolio(size: int) -> None:
    for _ in range(size):
        ExitPlanFactory(approved=True)  # never tested
        RehearsalFactory(next_test_due=date(2026, 11, 1))  # test overdue
        RehearsalFactory(exit_plan__next_review_due=date(2026, 11, 1))  # review overdue
        RehearsalFactory()  # fine
        ExitPlanFactory()  # a draft only: not a plan in force


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_attention_costs_two_queries_at_any_size(django_assert_num_queries, size):
    attention_portfolio(size)

    with django_assert_num_queries(2):
        attention = dashboard_attention(TODAY)

    assert attention.total == 3 * size
    assert len(attention.rows) == min(3 * size, 10)
    assert attention.rows[0].exit_plan_flags.never_tested


def test_the_dashboard_card_caps_and_links_to_the_attention_list(client, viewer):
    attention_portfolio(4)
    client.force_login(viewer)

    html = client.get(reverse("dashboard")).content.decode()

    assert html.count('data-testid="exit-plan-attention"') == 10
    assert "2 more" in html
    assert f"{reverse('transition:exit_plan_list')}?attention=1" in html
    listed = client.get(reverse("transition:exit_plan_list") + "?attention=1")
    assert listed.context["paginator"].count == 12 == needing_attention(TODAY).count()


@pytest.mark.parametrize("size", [1, 20])
def test_the_exit_plan_list_query_count_is_pinned(client, viewer, django_assert_num_queries, size):
    attention_portfolio(size)
    client.force_login(viewer)

    # session, user, groups (rules), unread notifications; the COUNT, then the page of
    # processes with their exit-plan status as subqueries (transition/selectors/exit_plans.py).
    with django_assert_num_queries(6):
        response = client.get(reverse("transition:exit_plan_list"))

    assert len(response.context["processes"]) == min(5 * size, 25)


@time_machine.travel(date(2026, 11, 24), tick=False)
def test_history_page_lists_who_changed_the_version(client, operations_manager):
    plan = draft(OutsourcedProcessFactory(), operations_manager)
    services.exit_plan_update(plan=plan, actor=operations_manager, roles="Exit board")
    client.force_login(operations_manager)

    html = client.get(reverse("transition:exit_plan_history", args=[plan.pk])).content.decode()

    assert html.count('data-testid="history-entry"') == 2
    assert "roles" in html


def test_every_exit_plan_form_page_opens_for_an_operations_manager(client, operations_manager):
    action = RemediationActionFactory()
    rehearsal, plan = action.rehearsal, action.rehearsal.exit_plan
    draft_plan = ExitPlanFactory(process=plan.process)
    client.force_login(operations_manager)

    pages = [
        ("transition:exit_plan_review", plan.pk, "Record a review of exit plan v1"),
        ("transition:exit_plan_update", draft_plan.pk, "Edit draft v2"),
        ("transition:exit_plan_delete", draft_plan.pk, "Delete"),
        ("transition:rehearsal_update", rehearsal.pk, "Edit the rehearsal of 12 Sep 2026"),
        ("transition:remediation_action_update", action.pk, action.title),
        ("transition:remediation_action_close", action.pk, "Close action"),
    ]
    for name, pk, text in pages:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200, name
        assert text in response.content.decode(), name


def test_discarding_a_draft_keeps_the_approved_version(client, operations_manager):
    plan = ExitPlanFactory(approved=True)
    draft_plan = ExitPlanFactory(process=plan.process)
    client.force_login(operations_manager)

    client.post(reverse("transition:exit_plan_delete", args=[draft_plan.pk]))
    client.post(reverse("transition:exit_plan_delete", args=[plan.pk]))

    assert list(ExitPlan.objects.values_list("pk", flat=True)) == [plan.pk]
