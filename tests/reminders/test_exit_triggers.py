"""Exit management's deadlines (reminders/triggers/exit.py, issue 15): deliverables owed,
exit-plan reviews and tests, remediation actions. Which rows, who is told, the sweep's
reminders, the calendar feed and the dashboard's deadline sections.

Rows are written plainly (tests/reminders/factories.py), not through the exit-management
services: what is tested here is the reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.roles import OPERATIONS_MANAGERS
from contracts.models import Deliverable
from reminders.calendar import feed_version
from reminders.models import Notification, Reminder
from reminders.selectors import deadlines_concerning, reminders_for_process
from reminders.services import calendar_feed_for
from reminders.triggers import TRIGGERS, Deadline, resolve_recipients
from reminders.triggers.exit import FIRST_TEST_DAYS
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory
from tests.web.test_dashboard_scale import DASHBOARD_QUERIES
from tests.web.test_dashboard_scale import portfolio as dashboard_portfolio
from transition.models import ExitPlan, OutsourcedProcess, Rehearsal, RemediationAction
from web.selectors import HORIZON_DAYS

from .conftest import at, sweep_on
from .factories import (
    DUE,
    deliverable,
    exit_notice,
    exit_plan,
    rehearsal,
    remediation_action,
)

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
DAY = timedelta(days=1)
DELIVERABLE = TRIGGERS[Kind.DELIVERABLE_DUE]
REVIEW = TRIGGERS[Kind.EXIT_PLAN_REVIEW_DUE]
TEST = TRIGGERS[Kind.EXIT_PLAN_TEST_DUE]
ACTION = TRIGGERS[Kind.REMEDIATION_ACTION_DUE]
NEW_KINDS = [
    Kind.DELIVERABLE_DUE,
    Kind.EXIT_PLAN_REVIEW_DUE,
    Kind.EXIT_PLAN_TEST_DUE,
    Kind.REMEDIATION_ACTION_DUE,
]


def keys(deadlines) -> set[tuple[int, date]]:
    return {(deadline.obj.pk, deadline.due) for deadline in deadlines}


# Which rows ---------------------------------------------------------------------------------


def test_deliverables_still_owed_are_deadlines_accepted_and_waived_ones_are_not():
    notice = exit_notice()
    requested = deliverable(notice, title="Exit information", due_date=DUE)
    received = deliverable(
        notice,
        title="Asset register",
        status=Deliverable.Status.RECEIVED,
        received_on=DUE - 5 * DAY,
        due_date=DUE + DAY,
    )
    rejected = deliverable(
        notice, title="IP register", status=Deliverable.Status.REJECTED, due_date=DUE + 2 * DAY
    )
    deliverable(
        notice,
        title="Data return",
        status=Deliverable.Status.ACCEPTED,
        received_on=DUE - 5 * DAY,
        due_date=DUE,
    )
    deliverable(notice, title="Novations", status=Deliverable.Status.WAIVED, due_date=DUE)
    today = DUE - 10 * DAY

    assert keys(DELIVERABLE.deadlines(today)) == {
        (requested.pk, DUE),
        (received.pk, DUE + DAY),
        (rejected.pk, DUE + 2 * DAY),
    }
    # The database dates the kind: COUNT and ORDER BY … LIMIT agree with the window.
    assert keys(DELIVERABLE.deadlines_between(today, DUE + DAY, DUE + 30 * DAY)) == {
        (received.pk, DUE + DAY),
        (rejected.pk, DUE + 2 * DAY),
    }
    assert DELIVERABLE.first_and_count_between(today, today, DUE + DAY, limit=1)[1] == 2
    first, _total = DELIVERABLE.first_and_count_between(today, None, DUE + 9 * DAY, limit=2)
    assert [d.obj for d in first] == [requested, received]


def test_the_review_of_the_plan_in_force_is_a_deadline_drafts_superseded_and_in_house_not():
    process = OutsourcedProcessFactory()
    exit_plan(process, status=ExitPlan.Status.SUPERSEDED, next_review_due=DUE)
    in_force = exit_plan(process, next_review_due=DUE + DAY)
    exit_plan(process, status=ExitPlan.Status.DRAFT, next_review_due=DUE)
    exit_plan(next_review_due=None)  # approved with no review date: nothing to remind
    exit_plan(OutsourcedProcessFactory(state=OutsourcedProcess.State.IN_HOUSE), next_review_due=DUE)

    assert keys(REVIEW.deadlines(DUE)) == {(in_force.pk, DUE + DAY)}
    assert REVIEW.first_and_count_between(DUE, None, DUE + DAY, limit=1)[1] == 1


def test_a_plan_never_tested_is_due_for_its_first_test_some_days_after_its_approval():
    plan = exit_plan(approved_on=date(2027, 1, 4))
    exit_plan(status=ExitPlan.Status.DRAFT)
    exit_plan(OutsourcedProcessFactory(state=OutsourcedProcess.State.IN_HOUSE))

    [deadline] = TEST.deadlines(TODAY)

    assert (deadline.obj, deadline.due) == (plan, date(2027, 1, 4) + FIRST_TEST_DAYS * DAY)
    assert FIRST_TEST_DAYS == 90
    assert deadline.due == date(2027, 4, 4)
    assert deadline.detail() == (
        f"Owned by {plan.owner.get_full_name()}. Never tested: the first test is due 90 days "
        "after its approval on 4 January 2027."
    )
    assert deadline.summary() == f"{plan.owner.get_full_name()} · never tested"


def test_the_latest_rehearsal_of_the_process_sets_the_next_test_whichever_version_it_tested():
    process = OutsourcedProcessFactory()
    old = exit_plan(process, status=ExitPlan.Status.SUPERSEDED)
    # Recorded later, held earlier: the order is by the day it was held.
    latest = rehearsal(old, held_on=date(2026, 10, 1), next_test_due=DUE)
    rehearsal(old, held_on=date(2026, 6, 1), next_test_due=DUE - 30 * DAY)
    plan = exit_plan(process, approved_on=date(2026, 11, 1))  # v2 keeps v1's test record

    [deadline] = TEST.deadlines(TODAY)
    assert (deadline.obj, deadline.due) == (plan, DUE)
    assert deadline.summary() == f"{plan.owner.get_full_name()} · last tested 1 Oct 2026 (Partial)"
    assert TEST.first_and_count_between(TODAY, DUE, DUE, limit=1)[1] == 1
    assert TEST.first_and_count_between(TODAY, None, DUE, limit=5)[0][0].obj == plan
    # A newer test moves the date; one setting no next date leaves none to remind.
    rehearsal(
        plan,
        held_on=date(2026, 11, 20),
        outcome=Rehearsal.Outcome.PASS,
        next_test_due=DUE + 90 * DAY,
    )
    assert keys(TEST.deadlines(TODAY)) == {(plan.pk, DUE + 90 * DAY)}
    rehearsal(plan, held_on=date(2026, 11, 23), next_test_due=None)
    assert keys(TEST.deadlines(TODAY)) == set()
    assert latest.next_test_due == DUE


def test_open_remediation_actions_are_deadlines_closed_ones_are_not():
    test = rehearsal()
    open_action = remediation_action(test, due_date=DUE)
    remediation_action(
        test, due_date=DUE, status=RemediationAction.Status.CLOSED, closed_on=DUE - DAY
    )

    assert keys(ACTION.deadlines(DUE)) == {(open_action.pk, DUE)}


@pytest.mark.parametrize(
    ("kind", "due_label", "late_label"),
    [
        (Kind.DELIVERABLE_DUE, "Deliverable due", "Deliverable overdue"),
        (Kind.EXIT_PLAN_REVIEW_DUE, "Exit plan review due", "Exit plan review overdue"),
        (Kind.EXIT_PLAN_TEST_DUE, "Exit plan test due", "Exit plan test overdue"),
        (Kind.REMEDIATION_ACTION_DUE, "Remediation action due", "Remediation action overdue"),
    ],
)
def test_a_passed_date_is_overdue_while_still_owed(kind, due_label, late_label):
    obj, due = {
        Kind.DELIVERABLE_DUE: lambda: (deliverable(due_date=DUE), DUE),
        Kind.EXIT_PLAN_REVIEW_DUE: lambda: (exit_plan(next_review_due=DUE), DUE),
        Kind.EXIT_PLAN_TEST_DUE: lambda: (
            exit_plan(approved_on=DUE - FIRST_TEST_DAYS * DAY),
            DUE,
        ),
        Kind.REMEDIATION_ACTION_DUE: lambda: (remediation_action(due_date=DUE), DUE),
    }[kind]()
    deadline = TRIGGERS[kind].deadline_of(obj.pk, DUE + 3 * DAY)

    assert deadline.due == due
    assert deadline.is_overdue(DUE + 3 * DAY)
    assert deadline.short_label(DUE + 3 * DAY) == late_label
    assert deadline.short_label(DUE) == due_label


# Who is told --------------------------------------------------------------------------------


def holders(obj, people: dict) -> set[str]:
    """Whose calendar feed (the SQL rule, `Trigger.concerning`) holds `obj`'s deadline."""
    ops = people["fallback"]
    return {
        name
        for name, user in people.items()
        if user.is_active
        and any(
            d.obj == obj and d.kind in NEW_KINDS
            for d in deadlines_concerning(user, TODAY, fallback=user == ops)
        )
    }


@pytest.mark.parametrize(
    ("owner_active", "contract_owner_active", "told"),
    [
        (True, True, "owner"),  # our owner is told, the contract owner is not
        (False, True, "contract owner"),  # a deactivated owner: the contract's owner
        (None, True, "contract owner"),  # no owner: the contract's owner
        (False, False, "fallback"),  # nobody active: operations managers
    ],
)
def test_a_deliverable_goes_to_its_owner_else_the_contract_owner_else_the_fallback(
    owner_active, contract_owner_active, told
):
    owner = UserFactory(username="owner", is_active=bool(owner_active))
    contract_owner = UserFactory(username="contract-owner", is_active=contract_owner_active)
    ops = UserFactory(username="ops", role=OPERATIONS_MANAGERS)
    notice = exit_notice(ContractFactory(owner=contract_owner))
    item = deliverable(notice, owner=None if owner_active is None else owner, due_date=TODAY)
    people = {"owner": owner, "contract owner": contract_owner, "fallback": ops}

    assert resolve_recipients(Deadline(Kind.DELIVERABLE_DUE, item, TODAY)) == [people[told]]
    assert holders(item, people) == {told}


@pytest.mark.parametrize("kind", [Kind.EXIT_PLAN_REVIEW_DUE, Kind.EXIT_PLAN_TEST_DUE])
@pytest.mark.parametrize(
    ("owner_active", "process_owner_active", "told"),
    [
        (True, True, "owner"),
        (False, True, "process owner"),  # a deactivated plan owner: the process owner
        (False, False, "fallback"),
    ],
)
def test_an_exit_plan_goes_to_its_owner_else_the_process_owner_else_the_fallback(
    kind, owner_active, process_owner_active, told
):
    owner = UserFactory(username="owner", is_active=owner_active)
    process_owner = UserFactory(username="process-owner", is_active=process_owner_active)
    ops = UserFactory(username="ops", role=OPERATIONS_MANAGERS)
    process = OutsourcedProcessFactory(owner=process_owner, lead=UserFactory(username="lead"))
    plan = exit_plan(
        process,
        owner=owner,
        next_review_due=TODAY,
        approved_on=TODAY - FIRST_TEST_DAYS * DAY,
    )
    people = {"owner": owner, "process owner": process_owner, "fallback": ops}

    assert resolve_recipients(Deadline(kind, plan, TODAY)) == [people[told]]
    assert holders(plan, people) == {told}


@pytest.mark.parametrize(
    ("owner_active", "has_lead", "told"),
    [
        (True, True, "owner"),
        (False, True, "lead"),  # a deactivated owner: the process lead
        (None, True, "lead"),  # no owner: the process lead
        (None, False, "fallback"),  # nobody: operations managers
    ],
)
def test_a_remediation_action_goes_to_its_owner_else_the_process_lead_else_the_fallback(
    owner_active, has_lead, told
):
    owner = UserFactory(username="owner", is_active=bool(owner_active))
    lead = UserFactory(username="lead")
    ops = UserFactory(username="ops", role=OPERATIONS_MANAGERS)
    process = OutsourcedProcessFactory(lead=lead if has_lead else None)
    # The plan is owned by the process owner: not told of the action.
    test = rehearsal(exit_plan(process, next_review_due=TODAY + 400 * DAY))
    action = remediation_action(test, owner=None if owner_active is None else owner, due_date=TODAY)
    people = {"owner": owner, "lead": lead, "fallback": ops}

    assert resolve_recipients(Deadline(Kind.REMEDIATION_ACTION_DUE, action, TODAY)) == [
        people[told]
    ]
    assert holders(action, people) == {told}


# The sweep ----------------------------------------------------------------------------------


def sent(kind, obj) -> list[tuple[int, date]]:
    rows = Reminder.objects.filter(kind=kind, object_id=obj.pk, status=Reminder.Status.SENT)
    return sorted(((r.offset_days, timezone.localdate(r.sent_at)) for r in rows), reverse=True)


def owned_deadline(kind: str, owner):
    """(object, how to settle it, its page) of one deadline of `kind` due on DUE owned by
    `owner`: settling it (accepting, reviewing, testing, closing) ends its reminders."""
    if kind == Kind.DELIVERABLE_DUE:
        obj = deliverable(owner=owner, title="Exit information", due_date=DUE)

        def settle(day):
            obj.status, obj.received_on = Deliverable.Status.ACCEPTED, day
            obj.save()

        return obj, settle, reverse("contracts:deliverable_detail", args=[obj.pk])
    if kind == Kind.REMEDIATION_ACTION_DUE:
        obj = remediation_action(owner=owner, due_date=DUE)

        def settle(day):
            obj.status, obj.closed_on = RemediationAction.Status.CLOSED, day
            obj.save()

        return obj, settle, reverse("transition:rehearsal_detail", args=[obj.rehearsal_id])
    if kind == Kind.EXIT_PLAN_REVIEW_DUE:
        obj = exit_plan(owner=owner, next_review_due=DUE)
        rehearsal(obj, held_on=DUE - 200 * DAY, next_test_due=DUE + 400 * DAY)  # no test due

        def settle(day):
            obj.last_review_on, obj.next_review_due = day, day + 365 * DAY
            obj.save()

    else:
        obj = exit_plan(owner=owner, next_review_due=DUE + 400 * DAY)
        rehearsal(obj, held_on=DUE - 200 * DAY, next_test_due=DUE)

        def settle(day):
            rehearsal(obj, held_on=day, next_test_due=day + 365 * DAY)

    return obj, settle, reverse("transition:exit_plan_detail", args=[obj.pk])


HEADLINES = {
    # (the first reminder, the overdue one), `{process}` and `{contract}` filled in.
    Kind.DELIVERABLE_DUE: (
        "Deliverable “Exit information” from {provider} ({contract}) is due in 7 days: "
        "31 March 2027",
        "Deliverable “Exit information” from {provider} ({contract}) is overdue: it was due "
        "31 March 2027",
    ),
    Kind.EXIT_PLAN_REVIEW_DUE: (
        "Review of the exit plan of {process} (version 1) is due in 30 days: 31 March 2027",
        "Review of the exit plan of {process} (version 1) is overdue: it was due 31 March 2027",
    ),
    Kind.EXIT_PLAN_TEST_DUE: (
        "Test of the exit plan of {process} (version 1) is due in 30 days: 31 March 2027",
        "Test of the exit plan of {process} (version 1) is overdue: it was due 31 March 2027",
    ),
    Kind.REMEDIATION_ACTION_DUE: (
        "Remediation action “Document the payroll cut-over” of {process} is due in 7 days: "
        "31 March 2027",
        "Remediation action “Document the payroll cut-over” of {process} is overdue: it was "
        "due 31 March 2027",
    ),
}


@pytest.mark.parametrize(
    ("kind", "offsets"),
    [
        (Kind.DELIVERABLE_DUE, [7, 1, 0, -1, -8]),
        (Kind.EXIT_PLAN_REVIEW_DUE, [30, 7, 0, -1, -8]),
        (Kind.EXIT_PLAN_TEST_DUE, [30, 7, 0, -1, -8]),
        (Kind.REMEDIATION_ACTION_DUE, [7, 1, 0, -1, -8]),
    ],
)
def test_the_sweep_sends_each_offset_exactly_once_on_its_day_until_it_is_settled(
    kind, offsets, ops_manager
):
    owner = UserFactory(username="owner", email="owner@example.com")
    obj, settle, page = owned_deadline(kind, owner)
    day = DUE - 35 * DAY
    while day <= DUE + 20 * DAY:
        with time_machine.travel(at(day, 6), tick=False):
            if day == DUE + 10 * DAY:  # settled that morning: no more overdue reminders
                settle(day)
            sweep_on(day)
            assert sweep_on(day, hour=18).outcomes == []  # a second run the same day: nothing
        day += DAY

    assert sent(kind, obj) == [(offset, DUE - offset * DAY) for offset in offsets]
    # The owner is told of this deadline only (the process's and contract's own deadlines
    # go to their owners).
    mine = [message for message in mail.outbox if "owner@example.com" in message.to]
    assert len(mine) == len(offsets)
    assert {tuple(message.to) for message in mine} == {("owner@example.com",)}
    rows = Reminder.objects.filter(kind=kind)
    assert not rows.filter(status=Reminder.Status.PENDING, due_date=DUE)
    assert rows.filter(status=Reminder.Status.DROPPED, offset_days=-15).exists()
    # One notification per reminder, linking to the object's page and naming the dates.
    notifications = list(Notification.objects.filter(user=owner).order_by("created_at", "pk"))
    assert [n.url for n in notifications] == [page] * len(offsets)
    names = {
        "process": getattr(obj, "process", None)
        or getattr(getattr(obj, "rehearsal", None), "process", None),
        "contract": getattr(getattr(obj, "contract", None), "reference", None),
        "provider": getattr(getattr(obj, "contract", None), "provider", None),
    }
    first, late = HEADLINES[kind]
    assert notifications[0].title == first.format(**names)
    assert notifications[-1].title == late.format(**names)
    assert mine[0].subject.endswith(first.format(**names))


def test_a_process_lists_the_reminders_of_its_plan_actions_and_contract_deliverables(
    ops_manager,
):
    process = OutsourcedProcessFactory()
    plan = exit_plan(process, next_review_due=DUE)
    action = remediation_action(rehearsal(plan), due_date=DUE)
    owed = deliverable(exit_notice(process.contract), due_date=DUE)
    remediation_action(due_date=DUE)  # another process's
    sweep_on(DUE)

    listed = {(r.kind, r.object_id) for r in reminders_for_process(process)}
    assert {
        (Kind.DELIVERABLE_DUE, owed.pk),
        (Kind.EXIT_PLAN_REVIEW_DUE, plan.pk),
        (Kind.REMEDIATION_ACTION_DUE, action.pk),
    } <= listed
    assert all(kind != Kind.REMEDIATION_ACTION_DUE or pk == action.pk for kind, pk in listed)


# The calendar feed --------------------------------------------------------------------------


@pytest.fixture
def _today():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def feed_events(client, user) -> dict[str, object]:
    response = client.get(calendar_feed_for(user=user).get_absolute_url())
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.mark.usefixtures("_today")
def test_the_owners_feed_holds_the_four_deadlines_another_users_does_not(client, settings):
    settings.SITE_URL = "https://backsourcing.example"
    owner = UserFactory(username="owner", first_name="Ola", last_name="Owner")
    other = UserFactory(username="other")
    process = OutsourcedProcessFactory(name="Payroll", owner=other, lead=other)
    notice = exit_notice(ContractFactory(owner=other, reference="C-PAY"))
    owed = deliverable(notice, owner=owner, title="Exit information", due_date=TODAY + 9 * DAY)
    plan = exit_plan(process, owner=owner, next_review_due=TODAY + 20 * DAY)
    test = rehearsal(plan, held_on=TODAY - 30 * DAY, next_test_due=TODAY + 40 * DAY)
    action = remediation_action(test, owner=owner, due_date=TODAY + 5 * DAY)

    events = feed_events(client, owner)

    host = "@backsourcing.example"
    expected = {
        f"deliverable_due-contracts-deliverable-{owed.pk}{host}": (
            "Deliverable due: Exit information (C-PAY)",
            TODAY + 9 * DAY,
            reverse("contracts:deliverable_detail", args=[owed.pk]),
        ),
        f"exit_plan_review_due-transition-exitplan-{plan.pk}{host}": (
            "Exit plan review due: Payroll – exit plan v1",
            TODAY + 20 * DAY,
            reverse("transition:exit_plan_detail", args=[plan.pk]),
        ),
        f"exit_plan_test_due-transition-exitplan-{plan.pk}{host}": (
            "Exit plan test due: Payroll – exit plan v1",
            TODAY + 40 * DAY,
            reverse("transition:exit_plan_detail", args=[plan.pk]),
        ),
        f"remediation_action_due-transition-remediationaction-{action.pk}{host}": (
            "Remediation action due: Document the payroll cut-over (Payroll)",
            TODAY + 5 * DAY,
            reverse("transition:rehearsal_detail", args=[test.pk]),
        ),
    }
    assert {
        uid: (str(e["SUMMARY"]), e.decoded("DTSTART"), str(e["URL"])) for uid, e in events.items()
    } == {
        uid: (summary, due, f"https://backsourcing.example{path}")
        for uid, (summary, due, path) in expected.items()
    }
    action_event = events[f"remediation_action_due-transition-remediationaction-{action.pk}{host}"]
    # What is due first (reminders/ical.py), then the detail line.
    description = str(action_event["DESCRIPTION"]).split("\n\n")
    assert description[0].startswith("Remediation action due: ")
    assert description[1].startswith(
        f"Found by the exit-plan test of Payroll on {test.held_on.day} "
    )
    # The other user owns the contract and the process, and is told none of them.
    assert not set(feed_events(client, other)) & set(expected)


@pytest.mark.usefixtures("_today")
def test_the_feeds_fingerprint_follows_a_new_test_of_the_users_plan_only():
    owner = UserFactory(username="owner")
    other = UserFactory(username="other")
    mine = exit_plan(owner=owner, next_review_due=TODAY + 100 * DAY)
    theirs = exit_plan(owner=other, next_review_due=TODAY + 100 * DAY)
    before = feed_version(owner.pk, TODAY, fallback=False).etag

    rehearsal(theirs, held_on=TODAY - DAY, next_test_due=TODAY + 200 * DAY)
    assert feed_version(owner.pk, TODAY, fallback=False).etag == before
    # A rehearsal keeps no timestamp and leaves the plan's alone: the due date tells.
    rehearsal(mine, held_on=TODAY - DAY, next_test_due=TODAY + 200 * DAY)
    tested = feed_version(owner.pk, TODAY, fallback=False).etag
    assert tested != before
    remediation_action(Rehearsal.objects.filter(exit_plan=mine).get(), owner=owner)
    assert feed_version(owner.pk, TODAY, fallback=False).etag not in {before, tested}


# The dashboard ------------------------------------------------------------------------------


def exit_rows(size: int) -> None:
    """Per n, of each kind: one overdue, one due within the horizon, and what must not count
    (beyond the horizon, accepted, waived, closed, superseded, draft)."""
    horizon = TODAY + HORIZON_DAYS * DAY
    for n in range(size):
        late, soon = TODAY - (1 + n) * DAY, TODAY + (n % 80) * DAY
        tested = OutsourcedProcessFactory(name=f"Tested {n:03d}")
        untested = OutsourcedProcessFactory(name=f"Untested {n:03d}")
        exit_plan(untested, status=ExitPlan.Status.SUPERSEDED, next_review_due=late)
        # Review overdue, test due soon; review soon, never tested and its first test late.
        plan = exit_plan(tested, next_review_due=late)
        exit_plan(tested, status=ExitPlan.Status.DRAFT, next_review_due=soon)
        exit_plan(untested, next_review_due=soon, approved_on=late - FIRST_TEST_DAYS * DAY)
        test = rehearsal(plan, held_on=TODAY - 10 * DAY, next_test_due=soon)
        remediation_action(test, due_date=late)
        remediation_action(test, due_date=soon)
        remediation_action(test, due_date=horizon + (1 + n) * DAY)
        remediation_action(test, due_date=late, status="closed", closed_on=TODAY)
        notice = exit_notice(tested.contract)
        deliverable(notice, title="Late", due_date=late)
        deliverable(notice, title="Soon", due_date=soon, status="rejected")
        deliverable(notice, title="Beyond", due_date=horizon + (1 + n) * DAY)
        deliverable(notice, title="Waived", due_date=late, status="waived")
        deliverable(notice, title="Accepted", due_date=soon, status="accepted", received_on=TODAY)


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboards_sections_count_the_four_kinds_in_the_same_queries_at_any_size(
    client, operations_manager, django_assert_num_queries, size
):
    dashboard_portfolio(size, operations_manager)  # tests/web/test_dashboard_scale.py's
    exit_rows(size)
    client.force_login(operations_manager)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    overdue = {c.kind: (c.label, c.count) for c in dashboard.overdue_section.kinds}
    upcoming = {c.kind: (c.label, c.count) for c in dashboard.upcoming_section.kinds}
    assert {kind: overdue[kind] for kind in NEW_KINDS} == {
        Kind.DELIVERABLE_DUE: ("Deliverable overdue", size),
        Kind.EXIT_PLAN_REVIEW_DUE: ("Exit plan review overdue", size),
        Kind.EXIT_PLAN_TEST_DUE: ("Exit plan test overdue", size),
        Kind.REMEDIATION_ACTION_DUE: ("Remediation action overdue", size),
    }
    assert {kind: upcoming[kind] for kind in NEW_KINDS} == {
        Kind.DELIVERABLE_DUE: ("Deliverable due", size),
        Kind.EXIT_PLAN_REVIEW_DUE: ("Exit plan review due", size),
        Kind.EXIT_PLAN_TEST_DUE: ("Exit plan test due", size),
        Kind.REMEDIATION_ACTION_DUE: ("Remediation action due", size),
    }
    # The scale test's three overdue deadlines per row, and one of each new kind.
    assert dashboard.overdue_section.total == (3 + 4) * size


@pytest.mark.usefixtures("frozen_today")
def test_a_dashboard_line_names_the_deadline_and_links_to_its_page(client, operations_manager):
    owner = UserFactory(username="owner", first_name="Ola", last_name="Owner")
    process = OutsourcedProcessFactory(name="Payroll", owner=owner)
    notice = exit_notice(ContractFactory(reference="C-PAY"))
    owed = deliverable(notice, title="Exit information", owner=owner, due_date=TODAY - 3 * DAY)
    plan = exit_plan(process, next_review_due=TODAY + 4 * DAY, approved_on=TODAY - 100 * DAY)
    action = remediation_action(rehearsal(plan), owner=None, due_date=TODAY + 6 * DAY)
    plan.rehearsals.update(next_test_due=TODAY + 5 * DAY)
    client.force_login(operations_manager)

    response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    lines = {
        item.deadline.kind: item
        for item in [*dashboard.overdue, *dashboard.upcoming]
        if item.deadline.kind in NEW_KINDS
    }
    assert {
        kind: (line.kind, line.title, line.detail, line.url, line.icon, line.tone)
        for kind, line in lines.items()
    } == {
        Kind.DELIVERABLE_DUE: (
            "Deliverable overdue",
            "Exit information",
            f"Data return · {notice.contract.provider.name} · Ola Owner",
            owed.get_absolute_url(),
            "bi-clipboard-check",
            "danger",
        ),
        Kind.EXIT_PLAN_REVIEW_DUE: (
            "Exit plan review due",
            "Payroll – exit plan v1",
            "Ola Owner · not reviewed since approval",
            plan.get_absolute_url(),
            "bi-journal-check",
            "warning",
        ),
        Kind.EXIT_PLAN_TEST_DUE: (
            "Exit plan test due",
            "Payroll – exit plan v1",
            "Ola Owner · last tested 2 Nov 2026 (Partial)",
            plan.get_absolute_url(),
            "bi-clipboard2-pulse",
            "warning",
        ),
        Kind.REMEDIATION_ACTION_DUE: (
            "Remediation action due",
            "Document the payroll cut-over",
            "Payroll · no owner",
            reverse("transition:rehearsal_detail", args=[action.rehearsal_id]),
            "bi-tools",
            "secondary",
        ),
    }
    page = response.content.decode()
    assert f'href="{owed.get_absolute_url()}"' in page
