"""The demo loader: relative dates, every workflow state, idempotent re-runs and logins."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS, VIEWERS
from contracts import dates
from contracts.models import Contract, Deliverable, ExitNotice, ServiceProvider
from core.formats import short_date
from transition.demo import DEMO_USERS
from transition.models import (
    Asset,
    ExitPlan,
    Kpi,
    KpiActual,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    Rehearsal,
    RemediationAction,
    StaffMember,
)
from transition.selectors.exit_plans import needing_attention
from transition.selectors.scorecard import (
    AMBER,
    GREEN,
    latest_completed_period,
    process_scorecard,
    process_window,
)
from transition.selectors.workflow import available_transitions
from transition.services import TransitionBlocked
from transition.services.exit_plans import approval_problems

LONDON = ZoneInfo("Europe/London")
State = OutsourcedProcess.State
User = get_user_model()
USERNAMES = [spec.username for spec in DEMO_USERS]

# The workflow path each state is reached by, in order.
PATHS = {
    State.OUTSOURCED: [],
    State.EXIT_NOTICE: ["serve_exit_notice"],
    State.TRANSITION: ["serve_exit_notice", "start_transition"],
    State.IN_HOUSE: ["serve_exit_notice", "start_transition", "complete"],
}


def frozen(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=LONDON), tick=False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The demo stores a proof of service; keep it out of the checkout's media folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today(db):
    day = date(2026, 11, 24)
    with frozen(day):
        yield day


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def passwords_in(output: str) -> dict[str, str]:
    """The password printed on each demo user's row of the logins table."""
    found = {}
    for line in output.splitlines():
        words = line.split()
        if words and words[0] in USERNAMES:
            found[words[0]] = words[-1]
    return found


def row_counts() -> dict[str, int]:
    models = [
        User,
        User.groups.through,
        ServiceProvider,
        Contract,
        Contract.history.model,
        Programme,
        OutsourcedProcess,
        OutsourcedProcess.history.model,
        ProcessEvent,
        Milestone,
        Milestone.depends_on.through,
        Asset,
        StaffMember,
        ReadinessAssessment,
        Deliverable,
        ExitPlan,
        Rehearsal,
        RemediationAction,
        Kpi,
        KpiActual,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_running_twice_creates_nothing_the_second_time(today):
    seed()
    first = row_counts()

    output = seed()

    assert row_counts() == first
    assert first["contracts.ServiceProvider"] >= 3
    assert first["contracts.Contract"] >= 5
    assert first["transition.OutsourcedProcess"] >= 8
    assert "already present" in output


def test_every_workflow_state_has_a_process(today):
    seed()

    states = set(OutsourcedProcess.objects.values_list("state", flat=True))

    assert states == set(State.values)


@pytest.mark.parametrize(
    "day",
    [date(2026, 11, 24), date(2027, 6, 15), date(2027, 12, 20), date(2028, 2, 29)],
)
def test_a_notice_deadline_falls_10_to_25_days_after_the_day_it_runs(db, day):
    with frozen(day):
        output = seed()
        upcoming = {
            contract.reference: contract.next_notice_deadline()
            for contract in Contract.objects.filter(processes__state=State.OUTSOURCED)
        }

    soon = {
        ref: deadline
        for ref, deadline in upcoming.items()
        if deadline and day + timedelta(days=10) <= deadline <= day + timedelta(days=25)
    }
    assert soon, upcoming
    ref, deadline = soon.popitem()
    assert f"{ref} – " in output
    assert deadline.isoformat() in output


def test_contracts_mix_renewal_rules_notice_units_and_governing_countries(today):
    seed()
    contracts = Contract.objects.all()

    renewals = {(c.renewal, c.renewal_term_months) for c in contracts}
    assert {("automatic", 12), ("automatic", 24), ("none", None)} <= renewals
    assert any(c.termination_for_convenience for c in contracts)
    assert {c.notice_unit for c in contracts} == {"days", "months"}
    assert {"GB", "DE", "NL", "US"} <= {c.governing_country for c in contracts}


def test_plans_include_overdue_milestones_and_dependencies_within_a_process(today):
    seed()

    overdue = Milestone.objects.filter(due_date__lt=today).exclude(status=Milestone.Status.DONE)
    edges = Milestone.depends_on.through.objects.select_related("from_milestone", "to_milestone")

    assert overdue.exists()
    assert edges.exists()
    assert all(e.from_milestone.process_id == e.to_milestone.process_id for e in edges)


def test_tupe_staff_have_employee_liability_dates_ahead(today):
    seed()

    eli_dates = [
        member.eli_due_date
        for member in StaffMember.objects.filter(route=StaffMember.Route.TUPE)
        if member.eli_due_date
    ]

    assert any(eli > today for eli in eli_dates)


def test_moved_processes_have_one_event_per_transition_by_the_operations_manager(today):
    seed()

    for process in OutsourcedProcess.objects.prefetch_related("events__actor"):
        events = sorted(process.events.all(), key=lambda e: e.pk)
        assert [e.transition for e in events] == PATHS[process.state], process
        assert all(e.actor.username == "olivia" for e in events)
        if events:
            assert events[-1].target == process.state


def test_processes_past_outsourced_carry_their_notice_and_readiness(today):
    seed()

    for process in OutsourcedProcess.objects.exclude(state=State.OUTSOURCED):
        assert process.notice_served_on <= today
        assert process.exit_date == process.contract.exit_date_if_served(process.notice_served_on)
        assert process.readiness_assessments.exists()
    for process in OutsourcedProcess.objects.filter(state=State.IN_HOUSE):
        assert process.in_house_on <= today
        assert not process.milestones.exclude(status=Milestone.Status.DONE).exists()


def test_one_contract_is_wholly_under_notice_with_proof_and_one_partly(today):
    seed()

    whole = ExitNotice.objects.get(scope=ExitNotice.Scope.WHOLE, proof__gt="")
    assert whole.proof.read().startswith(b"%PDF-")
    assert whole.dispatched_on <= whole.served_on <= today
    assert whole.method == Contract.NoticeMethod.REGISTERED_POST
    contract = Contract.objects.get(pk=whole.contract_id)
    assert contract.status() == dates.STATUS_UNDER_NOTICE
    assert contract.get_status_display() == f"Under notice — ends {short_date(whole.exit_date)}"
    partly = [
        c
        for c in Contract.objects.with_notice_state()
        if c.status() == dates.STATUS_PARTLY_UNDER_NOTICE
    ]
    assert len(partly) == 1
    states = set(partly[0].processes.values_list("state", flat=True))
    assert states == {State.OUTSOURCED, State.EXIT_NOTICE}


def test_every_process_past_outsourced_is_in_the_scope_of_a_notice_it_was_served_under(today):
    seed()

    for process in OutsourcedProcess.objects.exclude(state=State.OUTSOURCED):
        served = process.events.get(transition="serve_exit_notice")
        assert process.exit_notice is not None
        assert served.notice == process.exit_notice
        assert process.exit_notice.served_on == process.notice_served_on


def test_a_user_exists_for_each_role_and_a_superuser(today):
    seed()

    members = {group.name: group.user_set.count() for group in Group.objects.all()}

    assert members[OPERATIONS_MANAGERS] >= 1
    assert members[PROJECT_LEADS] >= 2
    assert members[VIEWERS] >= 1
    assert User.objects.get(username="admin").is_superuser


def test_output_lists_each_login_with_a_working_generated_password(today):
    output = seed()

    passwords = passwords_in(output)

    assert set(passwords) == set(USERNAMES)
    assert len(set(passwords.values())) == len(USERNAMES)
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password), username
    assert "Operations manager" in output
    assert "Viewer" in output


def test_rerun_keeps_passwords_and_lists_the_usernames(today):
    first = passwords_in(seed())

    output = seed()

    assert "already present" in output
    assert "--reset-passwords" in output
    assert passwords_in(output) == dict.fromkeys(USERNAMES, "(unchanged)")
    for username, password in first.items():
        assert User.objects.get(username=username).check_password(password)


def test_reset_passwords_prints_new_ones_that_replace_the_old(today):
    first = passwords_in(seed())

    second = passwords_in(seed("--reset-passwords"))

    assert set(second) == set(USERNAMES)
    for username in USERNAMES:
        user = User.objects.get(username=username)
        assert second[username] != first[username]
        assert user.check_password(second[username])
        assert not user.check_password(first[username])


def test_an_existing_user_keeps_their_password_when_the_demo_loads(today):
    User.objects.create_superuser("admin", "admin@example.com", "my-own-password")

    output = seed()

    assert passwords_in(output)["admin"] == "(unchanged)"
    assert User.objects.get(username="admin").check_password("my-own-password")
    assert OutsourcedProcess.objects.count() >= 8


def test_a_failure_part_way_leaves_nothing_behind(today, monkeypatch):
    def blocked(**kwargs):
        raise TransitionBlocked(["Contract expired."])

    monkeypatch.setattr("transition.demo.programme_build", blocked)

    with pytest.raises(CommandError, match="Contract expired"):
        seed()

    assert not ServiceProvider.objects.exists()
    assert not User.objects.filter(username__in=USERNAMES).exists()


# Exit management (issue 15): docs/demo-data.md, "Exit management".

NAMED = {
    "desk": "IT service desk",
    "fulfilment": "Midlands DC fulfilment",
    "payroll": "Payroll processing",
    "returns": "Returns processing",
}


def named(key: str) -> OutsourcedProcess:
    return OutsourcedProcess.objects.get(name=NAMED[key])


def test_every_notice_in_force_brings_the_checklist_and_the_desk_exit_information_is_overdue(
    today,
):
    seed()

    for process in OutsourcedProcess.objects.filter(
        state__in=[State.EXIT_NOTICE, State.TRANSITION]
    ):
        checklist = Deliverable.objects.filter(exit_notice=process.exit_notice)
        assert checklist.count() == 9, process
        for row in checklist.exclude(received_on=None):
            assert process.notice_served_on <= row.received_on <= today, row
    overdue = Deliverable.objects.overdue(today).select_related("owner")
    desk_notice = named("desk").exit_notice
    late = overdue.get(exit_notice=desk_notice, title="Exit information")
    assert late.status == Deliverable.Status.REQUESTED
    assert late.owner.username == "priya"
    assert overdue.filter(exit_notice=desk_notice, status=Deliverable.Status.RECEIVED).exists()
    # Nothing due at the exit date or later is late yet.
    assert not overdue.filter(due_date__gte=named("desk").exit_date).exists()


def test_fulfilment_deliverables_are_decided_by_the_operations_manager_with_evidence(today):
    seed()

    notice = named("fulfilment").exit_notice
    decided = Deliverable.objects.filter(
        exit_notice=notice,
        status__in=[Deliverable.Status.ACCEPTED, Deliverable.Status.REJECTED],
    ).select_related("decided_by")

    assert {row.decided_by.username for row in decided} == {"olivia"}
    accepted = decided.get(title="Exit information")
    assert accepted.status == Deliverable.Status.ACCEPTED
    assert accepted.evidence.read().startswith(b"%PDF-")
    rejected = decided.get(status=Deliverable.Status.REJECTED)
    assert rejected.acceptance_note
    assert rejected in Deliverable.objects.open()  # sent back: still owed


def test_exit_plans_one_failed_rehearsal_one_never_tested_and_a_draft(today):
    seed()

    desk = named("desk")
    versions = dict(desk.exit_plans.values_list("version", "status"))
    assert versions == {1: ExitPlan.Status.SUPERSEDED, 2: ExitPlan.Status.APPROVED}
    latest = Rehearsal.objects.filter(process=desk).first()  # newest first
    assert latest.exit_plan.version == 2
    assert latest.outcome == Rehearsal.Outcome.FAIL
    assert latest.held_on <= today < latest.next_test_due < desk.exit_date
    actions = list(latest.actions.all())
    assert len(actions) == 2
    assert all(a.status == RemediationAction.Status.OPEN for a in actions)
    assert [a.due_date < today for a in actions] == [True, False]  # by due date

    payroll = named("payroll")
    plan = payroll.exit_plans.approved().get()
    assert plan.owner is not None
    assert not approval_problems(plan)
    assert not Rehearsal.objects.filter(process=payroll).exists()
    assert list(needing_attention(today).values_list("name", flat=True)) == [payroll.name]

    draft = named("returns").exit_plans.get()
    assert draft.status == ExitPlan.Status.DRAFT
    assert "owner" in approval_problems(draft)


@pytest.mark.parametrize("day", [date(2026, 11, 24), date(2027, 6, 15), date(2028, 2, 29)])
def test_the_fulfilment_scorecard_keeps_complete_shut_naming_pick_accuracy(db, day):
    with frozen(day):
        seed()
        fulfilment = named("fulfilment")
        cards = {card.kpi.name: card.evaluation for card in process_scorecard(fulfilment, day)}
        complete = {
            option.name: option
            for option in available_transitions(fulfilment, User.objects.get(username="olivia"))
        }["complete"]

    assert fulfilment.scorecard_gate_periods == 3
    assert {name: e.rag for name, e in cards.items()} == {
        "Cost per order line": GREEN,
        "Orders shipped on time": GREEN,
        "Pick accuracy": AMBER,
    }
    assert cards["Orders shipped on time"].streak >= 3
    assert cards["Cost per order line"].streak >= 3
    assert cards["Pick accuracy"].streak == 0
    last_week = latest_completed_period(day, "week")
    assert all(e.latest.start == last_week and e.latest.counted for e in cards.values())
    window = process_window(fulfilment, "week")
    for actual in KpiActual.objects.all():
        assert actual.period_start.weekday() == 0
        assert window.first <= actual.period_start <= last_week
    scorecard_reasons = [r for r in complete.reasons if "met its target" in r]
    assert len(scorecard_reasons) == 1
    assert scorecard_reasons[0].startswith("“Pick accuracy” met its target 2 of the last 3 weeks")
    assert not complete.allowed


@pytest.mark.postgres
def test_loads_on_postgresql_where_transitions_lock_their_row(today):
    seed()

    states = list(OutsourcedProcess.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert ProcessEvent.objects.count() == sum(len(PATHS[state]) for state in states)
