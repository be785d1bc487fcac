"""The process workflow through apply_transition: state table, guards, records, options.

Today is frozen at 2026-11-24. The factory contract renews yearly from 2027-12-31 with
three months' notice, so notice served today ends the service on 2027-12-31.
"""

from datetime import date

import pytest

from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess, ProcessEvent
from transition.selectors import available_transitions
from transition.services import (
    TransitionBlocked,
    UnknownTransition,
    apply_transition,
    transition_names,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
STATES = [State.OUTSOURCED, State.EXIT_NOTICE, State.TRANSITION, State.IN_HOUSE]
TRANSITIONS = ["serve_exit_notice", "withdraw_notice", "start_transition", "complete"]
# (source, target) of each transition, as docs/domain.md draws the workflow.
EDGES = {
    "serve_exit_notice": (State.OUTSOURCED, State.EXIT_NOTICE),
    "withdraw_notice": (State.EXIT_NOTICE, State.OUTSOURCED),
    "start_transition": (State.EXIT_NOTICE, State.TRANSITION),
    "complete": (State.TRANSITION, State.IN_HOUSE),
}
PARAMS = {
    "serve_exit_notice": {"served_on": TODAY},
    "withdraw_notice": {"reason": "The provider cut its price by 20%."},
    "start_transition": {},
    "complete": {"in_house_on": TODAY},
}
LABELS = {
    State.OUTSOURCED: "Outsourced",
    State.EXIT_NOTICE: "Exit notice",
    State.TRANSITION: "Transition",
    State.IN_HOUSE: "In-house",
}
ACTION_LABELS = {
    "serve_exit_notice": "Serve exit notice",
    "withdraw_notice": "Withdraw notice",
    "start_transition": "Start transition",
    "complete": "Complete",
}


def ready_process(state=State.OUTSOURCED, **fields) -> OutsourcedProcess:
    """A process that meets every guard of every transition, in the given state."""
    fields.setdefault("lead", OutsourcedProcessFactory().owner)
    process = OutsourcedProcessFactory(state=state, **fields)
    ReadinessAssessmentFactory(process=process)
    MilestoneFactory(process=process, status="done", completed_on=date(2026, 11, 1))
    return process


def blocked_reasons(process, name, actor, **params) -> list[str]:
    with pytest.raises(TransitionBlocked) as caught:
        apply_transition(process, name, actor, **params)
    return caught.value.reasons


def assert_nothing_written(process, state):
    history_rows = process.history.count()
    process.refresh_from_db()
    assert process.state == state
    assert not ProcessEvent.objects.filter(process=process).exists()
    assert process.history.count() == history_rows


def test_the_workflow_has_exactly_the_four_designed_transitions():
    assert sorted(transition_names()) == sorted(TRANSITIONS)


@pytest.mark.parametrize("name", TRANSITIONS)
@pytest.mark.parametrize("state", STATES)
def test_state_table(state, name, operations_manager):
    """Each transition fires from its source state only; elsewhere it is blocked by name."""
    process = ready_process(state)
    source, target = EDGES[name]
    if state == source:
        apply_transition(process, name, operations_manager, **PARAMS[name])
        assert process.state == target
        assert ProcessEvent.objects.filter(process=process).count() == 1
        return
    reasons = blocked_reasons(process, name, operations_manager, **PARAMS[name])
    assert reasons == [
        f"“{ACTION_LABELS[name]}” is possible only from {LABELS[source]}; "
        f"the process is {LABELS[state]} now."
    ]
    assert_nothing_written(process, state)


def test_an_unknown_transition_name_is_refused(operations_manager):
    process = ready_process()
    with pytest.raises(UnknownTransition):
        apply_transition(process, "outsource_again", operations_manager)
    assert_nothing_written(process, State.OUTSOURCED)


def test_a_parameter_the_transition_does_not_take_is_a_programming_error(operations_manager):
    with pytest.raises(TypeError, match="in_house_on"):
        apply_transition(
            ready_process(), "serve_exit_notice", operations_manager, in_house_on=TODAY
        )


# Guards of serve_exit_notice


def test_notice_on_an_expired_contract_is_blocked(operations_manager):
    contract = ContractFactory(
        reference="MSA-OLD",
        start_date=date(2024, 1, 1),
        end_date=date(2026, 10, 31),
        renewal="none",
        renewal_term_months=None,
    )
    process = ready_process(contract=contract)
    assert blocked_reasons(process, "serve_exit_notice", operations_manager) == [
        "Contract MSA-OLD expired on 31 Oct 2026: there is no term left to give notice on."
    ]
    assert_nothing_written(process, State.OUTSOURCED)


def test_notice_without_a_readiness_assessment_is_blocked(operations_manager):
    process = OutsourcedProcessFactory()
    assert blocked_reasons(process, "serve_exit_notice", operations_manager) == [
        "Record a readiness assessment before serving exit notice."
    ]
    assert_nothing_written(process, State.OUTSOURCED)


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("annual_outsourced_cost", "annual outsourced cost"),
        ("projected_inhouse_annual_cost", "projected in-house annual cost"),
        ("one_off_transition_cost", "one-off transition cost"),
    ],
)
def test_notice_without_a_cost_figure_is_blocked_naming_it(field, label, operations_manager):
    process = ready_process(**{field: None})
    assert blocked_reasons(process, "serve_exit_notice", operations_manager) == [
        f"Enter the business case first: {label} missing."
    ]
    assert_nothing_written(process, State.OUTSOURCED)


def test_every_unmet_guard_is_reported_at_once(operations_manager):
    process = OutsourcedProcessFactory(annual_outsourced_cost=None, one_off_transition_cost=None)
    reasons = blocked_reasons(
        process, "serve_exit_notice", operations_manager, served_on=date(2026, 12, 1)
    )
    assert reasons == [
        "Record a readiness assessment before serving exit notice.",
        "Enter the business case first: annual outsourced cost, one-off transition cost missing.",
        "Served on cannot be in the future (1 Dec 2026).",
    ]


def test_notice_served_in_the_future_is_blocked(operations_manager):
    process = ready_process()
    assert blocked_reasons(
        process, "serve_exit_notice", operations_manager, served_on=date(2026, 11, 25)
    ) == ["Served on cannot be in the future (25 Nov 2026)."]
    assert_nothing_written(process, State.OUTSOURCED)


# serve_exit_notice records


def test_serving_notice_records_the_date_and_the_exit_date(operations_manager):
    process = ready_process()
    apply_transition(process, "serve_exit_notice", operations_manager, note="Board approved.")
    assert process.state == State.EXIT_NOTICE
    assert process.notice_served_on == TODAY
    assert process.exit_date == process.contract.exit_date_if_served(TODAY) == date(2027, 12, 31)
    event = ProcessEvent.objects.get(process=process)
    assert (event.transition, event.source, event.target, event.actor, event.note) == (
        "serve_exit_notice",
        State.OUTSOURCED,
        State.EXIT_NOTICE,
        operations_manager,
        "Board approved.",
    )


def test_backdated_notice_after_a_deadline_ends_the_following_term(operations_manager):
    # Worked example 1 of docs/domain.md: the 2026-09-30 deadline has passed by 2026-10-01.
    contract = ContractFactory(start_date=date(2020, 1, 1), end_date=date(2024, 12, 31))
    process = ready_process(contract=contract)
    apply_transition(process, "serve_exit_notice", operations_manager, served_on=date(2026, 10, 1))
    assert process.notice_served_on == date(2026, 10, 1)
    assert process.exit_date == date(2027, 12, 31)


def test_termination_for_convenience_exits_after_the_notice_period(operations_manager):
    # Worked example 4 of docs/domain.md: served + 90 days comes before the term end.
    contract = ContractFactory(
        start_date=date(2025, 7, 1),
        end_date=date(2027, 6, 30),
        renewal_term_months=24,
        notice_period=90,
        notice_unit="days",
        termination_for_convenience=True,
    )
    process = ready_process(contract=contract)
    apply_transition(process, "serve_exit_notice", operations_manager, served_on=TODAY)
    assert process.exit_date == contract.exit_date_if_served(TODAY) == date(2027, 2, 22)


# withdraw_notice


def served_process(**fields) -> OutsourcedProcess:
    return ready_process(
        State.EXIT_NOTICE,
        notice_served_on=date(2026, 11, 2),
        exit_date=date(2027, 12, 31),
        **fields,
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_withdrawing_notice_without_a_reason_is_blocked(reason, operations_manager):
    process = served_process()
    assert blocked_reasons(process, "withdraw_notice", operations_manager, reason=reason) == [
        "Give a reason for withdrawing the notice."
    ]
    assert_nothing_written(process, State.EXIT_NOTICE)
    assert process.notice_served_on == date(2026, 11, 2)


def test_withdrawing_notice_clears_it_and_keeps_the_reason(operations_manager):
    process = served_process()
    apply_transition(
        process,
        "withdraw_notice",
        operations_manager,
        reason="Provider matched the in-house cost.",
        note="See minutes of 23 November.",
    )
    assert process.state == State.OUTSOURCED
    assert (process.notice_served_on, process.exit_date) == (None, None)
    event = ProcessEvent.objects.get(process=process)
    assert event.transition == "withdraw_notice"
    assert event.note == "Provider matched the in-house cost.\n\nSee minutes of 23 November."


# start_transition


def test_starting_without_a_lead_is_blocked(operations_manager):
    process = served_process(lead=None)
    assert blocked_reasons(process, "start_transition", operations_manager) == [
        "Assign a project lead before starting the transition."
    ]
    assert_nothing_written(process, State.EXIT_NOTICE)


def test_starting_without_milestones_is_blocked(operations_manager):
    process = OutsourcedProcessFactory(state=State.EXIT_NOTICE, lead=operations_manager)
    assert blocked_reasons(process, "start_transition", operations_manager) == [
        "Plan at least one milestone before starting the transition."
    ]
    assert_nothing_written(process, State.EXIT_NOTICE)


def test_starting_the_transition_records_one_event(operations_manager):
    process = served_process()
    apply_transition(process, "start_transition", operations_manager)
    assert process.state == State.TRANSITION
    event = ProcessEvent.objects.get(process=process)
    assert (event.source, event.target, event.note) == (State.EXIT_NOTICE, State.TRANSITION, "")


# complete


def test_completing_with_open_milestones_assets_and_staff_is_blocked_naming_them(
    operations_manager,
):
    process = ready_process(State.TRANSITION)
    MilestoneFactory(process=process, title="Cutover", due_date=date(2027, 1, 10))
    MilestoneFactory(process=process, title="Parallel run", due_date=date(2027, 1, 5))
    AssetFactory(process=process, name="Forklift", tag="FL-7")
    AssetFactory(process=process, name="Old WMS licence", status="not_needed")
    StaffMemberFactory(process=process, name="Ann Baker", status="offered")
    StaffMemberFactory(process=process, name="Bo Chen", status="declined")
    assert blocked_reasons(process, "complete", operations_manager) == [
        "2 milestones are not done: Parallel run, Cutover.",
        "1 asset is neither transferred nor marked not needed: Forklift (FL-7).",
        "1 staff member is not yet onboarded, declined or withdrawn: Ann Baker.",
    ]
    assert_nothing_written(process, State.TRANSITION)
    assert process.in_house_on is None


def test_a_long_list_of_open_items_is_shortened(operations_manager):
    process = ready_process(State.TRANSITION)
    for name in ["A", "B", "C", "D", "E"]:
        StaffMemberFactory(process=process, name=name)
    assert blocked_reasons(process, "complete", operations_manager) == [
        "5 staff members are not yet onboarded, declined or withdrawn: A, B, C and 2 more."
    ]


def test_completing_records_the_in_house_date(operations_manager):
    process = ready_process(State.TRANSITION)
    AssetFactory(process=process, status="transferred", transferred_on=date(2026, 11, 20))
    StaffMemberFactory(process=process, status="onboarded")
    StaffMemberFactory(process=process, status="withdrawn")
    apply_transition(process, "complete", operations_manager, in_house_on=date(2026, 11, 23))
    assert process.state == State.IN_HOUSE
    assert process.in_house_on == date(2026, 11, 23)
    assert ProcessEvent.objects.get(process=process).target == State.IN_HOUSE


def test_completing_defaults_the_in_house_date_to_today(operations_manager):
    process = apply_transition(ready_process(State.TRANSITION), "complete", operations_manager)
    assert process.in_house_on == TODAY


def test_an_in_house_date_in_the_future_is_blocked(operations_manager):
    process = ready_process(State.TRANSITION)
    assert blocked_reasons(
        process, "complete", operations_manager, in_house_on=date(2026, 12, 1)
    ) == ["In house on cannot be in the future (1 Dec 2026)."]
    assert_nothing_written(process, State.TRANSITION)


# Records across transitions


def test_the_whole_journey_writes_one_event_and_one_history_row_per_step(
    operations_manager, project_lead
):
    process = ready_process(lead=project_lead)
    history_before = process.history.count()
    apply_transition(process, "serve_exit_notice", operations_manager)
    apply_transition(process, "start_transition", project_lead)
    apply_transition(process, "complete", project_lead)
    events = list(ProcessEvent.objects.filter(process=process).order_by("pk"))
    assert [(e.transition, e.actor) for e in events] == [
        ("serve_exit_notice", operations_manager),
        ("start_transition", project_lead),
        ("complete", project_lead),
    ]
    history = list(process.history.order_by("history_id"))[history_before:]
    assert [(h.state, h.history_user) for h in history] == [
        (State.EXIT_NOTICE, operations_manager),
        (State.TRANSITION, project_lead),
        (State.IN_HOUSE, project_lead),
    ]


def test_the_returned_process_is_the_refreshed_one(operations_manager):
    process = ready_process()
    returned = apply_transition(process, "serve_exit_notice", operations_manager)
    assert returned is process
    assert OutsourcedProcess.objects.get(pk=process.pk).state == State.EXIT_NOTICE


# available_transitions


def test_options_list_the_transitions_from_the_current_state(operations_manager):
    options = {o.name: o for o in available_transitions(served_process(), operations_manager)}
    assert {
        name: (o.target, o.permitted, o.allowed, o.reasons, o.params) for name, o in options.items()
    } == {
        "withdraw_notice": (State.OUTSOURCED, True, True, [], ("reason",)),
        "start_transition": (State.TRANSITION, True, True, [], ()),
    }


def test_options_carry_the_guard_reasons(operations_manager):
    process = OutsourcedProcessFactory(projected_inhouse_annual_cost=None)
    (option,) = available_transitions(process, operations_manager)
    assert (option.name, option.label, option.permitted, option.allowed) == (
        "serve_exit_notice",
        "Serve exit notice",
        True,
        False,
    )
    assert option.reasons == [
        "Record a readiness assessment before serving exit notice.",
        "Enter the business case first: projected in-house annual cost missing.",
    ]


def test_options_say_when_the_user_may_not_fire_a_transition(viewer):
    (option,) = available_transitions(ready_process(), viewer)
    assert (option.permitted, option.allowed) == (False, False)
    assert option.reasons == ["You do not have permission to do this."]


def test_an_in_house_process_offers_no_transition(operations_manager):
    assert available_transitions(ready_process(State.IN_HOUSE), operations_manager) == []
