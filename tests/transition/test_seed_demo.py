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
from contracts.models import Contract, ExitNotice, ServiceProvider
from core.formats import short_date
from transition.demo import DEMO_USERS
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)
from transition.services import TransitionBlocked

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


@pytest.mark.postgres
def test_loads_on_postgresql_where_transitions_lock_their_row(today):
    seed()

    states = list(OutsourcedProcess.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert ProcessEvent.objects.count() == sum(len(PATHS[state]) for state in states)
