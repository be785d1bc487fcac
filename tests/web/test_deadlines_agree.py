"""The dashboard, the calendar feed and the reminder sweep list the same deadlines.

They all read `reminders.triggers`; the dashboard loads only its window (the next 90 days,
and what is overdue), so these compare it with the unbounded readers on the demo data and
on a random portfolio, as sets of (kind, object id, due date).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.roles import OPERATIONS_MANAGERS
from contracts.models import Contract, Deliverable, ExitNotice
from raid.models import RaidItem
from reminders.ical import calendar_for
from reminders.models import Reminder
from reminders.schedule import schedule_for
from reminders.selectors import reminders_due_preview
from reminders.services import current_deadlines
from reminders.triggers import TRIGGERS
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    StaffMemberFactory,
)
from transition.demo import seed_demo
from transition.models import (
    Asset,
    ExitPlan,
    Milestone,
    OutsourcedProcess,
    Rehearsal,
    RemediationAction,
    StaffMember,
)
from web.selectors import HORIZON_DAYS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def _uncapped(monkeypatch):
    """Every deadline on the dashboard: its sections are capped for reading (docs/performance.md),
    and this file compares whole sets."""
    monkeypatch.setattr("web.selectors.OVERDUE_LIMIT", 100_000)
    monkeypatch.setattr("web.selectors.UPCOMING_LIMIT", 100_000)


Kind = Reminder.Kind
State = OutsourcedProcess.State
Key = tuple[str, int, date]

HORIZON = TODAY + timedelta(days=HORIZON_DAYS)
# Written out rather than read from the triggers, so a kind that silently stops (or starts)
# being overdue on the dashboard shows up here.
OVERDUE_KINDS = {
    Kind.MILESTONE_DUE,
    Kind.ASSET_TRANSFER_DUE,
    Kind.DECISION_DATE,
    Kind.RAID_ITEM_DUE,
    Kind.DELIVERABLE_DUE,
    Kind.EXIT_PLAN_REVIEW_DUE,
    Kind.EXIT_PLAN_TEST_DUE,
    Kind.REMEDIATION_ACTION_DUE,
}
# {kind}-{app}-{model}-{pk}[-{YYYYMMDD}]@{host}, as reminders.ical.event_uid writes it.
UID = re.compile(r"^(?P<kind>[a-z_]+)-[a-z_]+-[a-z_]+-(?P<pk>\d+)(?:-\d{8})?@")


def in_window(key: Key) -> bool:
    kind, _pk, due = key
    return due <= HORIZON and (due >= TODAY or kind in OVERDUE_KINDS)


def days(rng: random.Random, low: int, high: int) -> date:
    return TODAY + timedelta(days=rng.randint(low, high))


def random_portfolio(rng: random.Random) -> None:
    """Contracts, processes in every state and plans with every status, dated around today."""
    people = [UserFactory(username=f"person{n}") for n in range(4)]
    programme = ProgrammeFactory()
    for n in range(20):
        automatic = rng.random() < 0.6
        contract = ContractFactory(
            reference=f"C-R{n:02d}",
            end_date=days(rng, 20, 400),
            renewal=Contract.Renewal.AUTOMATIC if automatic else Contract.Renewal.NONE,
            renewal_term_months=rng.choice([12, 24]) if automatic else None,
            notice_period=rng.randint(1, 6),
            exit_assistance_months=rng.choice([0, 0, 1, 3, 6]),
            decision_lead_days=rng.choice([30, 60, 90, 120]),
            governing_country=rng.choice(["", "GB"]),
            owner=rng.choice(people),
            # Every third contract's notice takes two days in the post (not from rng: the
            # rest of the portfolio stays as it was).
            notice_transit_days=2 if n % 3 == 0 else 0,
        )
        for m in range(rng.randint(1, 3)):
            state = rng.choice(State.values)
            exit_date = None if state == State.OUTSOURCED else days(rng, -200, 200)
            process = OutsourcedProcessFactory(
                programme=programme,
                contract=contract,
                name=f"Process {n}-{m}",
                state=state,
                notice_served_on=exit_date and exit_date - timedelta(days=90),
                exit_date=exit_date,
                owner=rng.choice(people),
                lead=rng.choice([None, *people]),
            )
            random_plan(rng, process, people)
    # Last, so that the rest of the portfolio stays what it was.
    random_raid_log(rng, programme, people)
    random_exit_management(rng, programme, people)


def random_plan(rng: random.Random, process: OutsourcedProcess, people: list) -> None:
    for _ in range(rng.randint(0, 4)):
        status = rng.choice(Milestone.Status.values)
        due = days(rng, -120, 200)
        MilestoneFactory(
            process=process,
            due_date=due,
            status=status,
            completed_on=due if status == Milestone.Status.DONE else None,
            owner=rng.choice([None, *people]),
        )
    for _ in range(rng.randint(0, 3)):
        status = rng.choice(Asset.Status.values)
        AssetFactory(
            process=process,
            transfer_due=rng.choice([None, days(rng, -120, 200)]),
            transfer_method=rng.choice(Asset.TransferMethod.values),
            status=status,
            transferred_on=TODAY if status == Asset.Status.TRANSFERRED else None,
        )
    for _ in range(rng.randint(0, 5)):
        StaffMemberFactory(
            process=process,
            route=rng.choice(StaffMember.Route.values),
            status=rng.choice(StaffMember.Status.values),
            planned_start=rng.choice([None, days(rng, -60, 250)]),
        )


def random_raid_log(rng: random.Random, programme, people: list) -> None:
    """Risks and assumptions of processes and of the programme, in every status, some
    without a due date, some without an owner."""
    processes = list(OutsourcedProcess.objects.filter(programme=programme).order_by("pk"))
    for n in range(30):
        process = rng.choice([None, *processes])
        risk = rng.random() < 0.5
        RaidItemFactory(
            process=process,
            programme=None if process else programme,
            kind=RaidItem.Kind.RISK if risk else RaidItem.Kind.ASSUMPTION,
            title=f"Item {n}",
            probability=rng.randint(1, 5) if risk else None,
            impact=rng.randint(1, 5) if risk else None,
            status=rng.choice(RaidItem.Status.values),
            due_date=rng.choice([None, days(rng, -120, 200)]),
            owner=rng.choice([None, *people]),
        )


def random_exit_management(rng: random.Random, programme, people: list) -> None:
    """Issue 15's rows, plain (not through the services): deliverables in every status under
    notices on some contracts; exit plans in every status, with rehearsals (some setting no
    next test) and remediation actions, some without an owner."""
    processes = list(OutsourcedProcess.objects.filter(programme=programme).order_by("pk"))
    contracts = sorted({process.contract for process in processes}, key=lambda c: c.pk)
    for contract in rng.sample(contracts, 8):
        notice = ExitNotice.objects.create(
            contract=contract,
            scope=ExitNotice.Scope.WHOLE,
            served_on=TODAY - timedelta(days=100),
            exit_date=TODAY + timedelta(days=100),
        )
        for n in range(rng.randint(1, 4)):
            status = rng.choice(Deliverable.Status.values)
            received = status in {Deliverable.Status.RECEIVED, Deliverable.Status.ACCEPTED}
            Deliverable.objects.create(
                exit_notice=notice,
                contract=contract,
                title=f"Deliverable {n}",
                status=status,
                received_on=TODAY - timedelta(days=5) if received else None,
                due_date=days(rng, -120, 200),
                owner=rng.choice([None, *people]),
            )
    for process in processes:
        statuses = rng.choice([[], ["draft"], ["approved"], ["superseded", "approved"]])
        for version, status in enumerate(statuses, start=1):
            approved = status != ExitPlan.Status.DRAFT
            plan = ExitPlan.objects.create(
                process=process,
                version=version,
                status=status,
                owner=rng.choice(people) if approved else None,
                approved_on=days(rng, -400, -30) if approved else None,
                next_review_due=rng.choice([None, days(rng, -120, 200)]),
            )
            if not approved:
                continue
            for _ in range(rng.randint(0, 2)):
                rehearsal = Rehearsal.objects.create(
                    exit_plan=plan,
                    process=process,
                    held_on=days(rng, -300, -1),
                    scenario="Provider failure",
                    outcome=rng.choice(Rehearsal.Outcome.values),
                    next_test_due=rng.choice([None, days(rng, -120, 200), days(rng, -120, 200)]),
                )
                for n in range(rng.randint(0, 2)):
                    closed = rng.random() < 0.3
                    RemediationAction.objects.create(
                        rehearsal=rehearsal,
                        title=f"Action {n}",
                        owner=rng.choice([None, *people]),
                        due_date=days(rng, -120, 200),
                        status=RemediationAction.Status.CLOSED if closed else "open",
                        closed_on=TODAY if closed else None,
                    )


@pytest.fixture(params=["demo", "random"])
def portfolio(request) -> None:
    if request.param == "demo":
        seed_demo()
    else:
        random_portfolio(random.Random(7))


def told_everything():
    """An operations manager who receives every reminder: the one active user left, so the
    fallback to the operations managers always reaches them (reminders.selectors)."""
    user = UserFactory(username="all-seeing", role=OPERATIONS_MANAGERS)
    get_user_model().objects.exclude(pk=user.pk).update(is_active=False)
    return user


def dashboard_keys(client, user) -> tuple[set[Key], set[Key], list[Key]]:
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    dashboard = response.context["dashboard"]

    def keys(items) -> list[Key]:
        return [(item.deadline.kind, item.deadline.obj.pk, item.on) for item in items]

    upcoming, overdue = keys(dashboard.upcoming), keys(dashboard.overdue)
    return set(upcoming), set(overdue), upcoming + overdue


def calendar_keys(user) -> set[Key]:
    calendar = Calendar.from_ical(calendar_for(user, TODAY))
    keys = set()
    for event in calendar.walk("VEVENT"):
        uid = UID.match(str(event["UID"]))
        assert uid is not None, event["UID"]
        keys.add((uid["kind"], int(uid["pk"]), event.decoded("DTSTART")))
    return keys


@pytest.mark.usefixtures("portfolio")
def test_dashboard_calendar_and_sweep_list_the_same_deadlines(client):
    user = told_everything()
    upcoming, overdue, listed = dashboard_keys(client, user)
    shown = upcoming | overdue

    assert len(listed) == len(shown), "a deadline is listed twice"
    assert all(TODAY <= due <= HORIZON for _kind, _pk, due in upcoming)
    assert all(due < TODAY and kind in OVERDUE_KINDS for kind, _pk, due in overdue)
    assert {key for key in calendar_keys(user) if in_window(key)} == shown
    planned = {
        (kind, pk, deadline.due) for (kind, _type, pk), deadline in current_deadlines(TODAY).items()
    }
    assert {key for key in planned if in_window(key)} == shown
    # The dry run lists what goes out today: exactly the shown deadlines with a reminder due.
    preview = reminders_due_preview(timezone.now())
    would_send = {(d.deadline.kind, d.deadline.obj.pk, d.deadline.due) for d in preview}
    assert would_send
    assert {key for key in would_send if in_window(key)} == {
        (kind, pk, due)
        for kind, pk, due in shown
        if schedule_for(kind).current_offset(due, TODAY) is not None
    }
    assert all(d.recipients == (user,) for d in preview)


def test_the_random_portfolio_covers_every_kind_of_deadline(client):
    random_portfolio(random.Random(7))

    upcoming, overdue, _listed = dashboard_keys(client, told_everything())

    assert {kind for kind, _pk, _due in upcoming} == set(TRIGGERS)
    assert {kind for kind, _pk, _due in overdue} == OVERDUE_KINDS
    # It also holds what the dashboard must leave out.
    assert StaffMember.objects.filter(
        route=StaffMember.Route.TUPE,
        status=StaffMember.Status.ONBOARDED,
        planned_start__range=(TODAY, HORIZON),
    ).exists()
    assert Asset.objects.filter(
        transfer_method=Asset.TransferMethod.NOT_NEEDED,
        status__in=Asset.OPEN_STATUSES,
        transfer_due__lte=HORIZON,
    ).exists()
    # Issue 15's: deliverables accepted or waived, plans superseded or drafts, closed actions.
    assert (
        Deliverable.objects.exclude(status__in=Deliverable.OPEN_STATUSES)
        .filter(due_date__range=(TODAY, HORIZON))
        .exists()
    )
    assert (
        ExitPlan.objects.exclude(status=ExitPlan.Status.APPROVED)
        .filter(next_review_due__range=(TODAY, HORIZON))
        .exists()
    )
    assert RemediationAction.objects.filter(
        status=RemediationAction.Status.CLOSED, due_date__range=(TODAY, HORIZON)
    ).exists()
