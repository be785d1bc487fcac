"""Three years, one sweep a day: every reminder of every deadline exactly once, on its day.

The clock is frozen on each day in turn; events (a milestone done, a due date moved, notice
served) happen that morning before the sweep. The expected reminders are derived here from
the date engine and the table in docs/reminders.md, independently of the planner.
"""

from collections import Counter
from datetime import date, timedelta
from itertools import takewhile

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from contracts import dates
from contracts.models import Contract, Deliverable, DeliverableTemplate, ExitNotice
from raid.models import RaidItem
from raid.services import raid_item_save
from reminders.models import Notification, Reminder
from reminders.services import reminders_sweep
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import Asset, ExitPlan, RemediationAction, StaffMember
from transition.services import apply_transition, asset_save, milestone_complete, milestone_save

from .conftest import at
from .factories import exit_plan, rehearsal, remediation_action

START, END = date(2027, 1, 1), date(2029, 12, 31)
NOTICE = [90, 60, 30, 14, 7, 1, 0]
DISPATCH = [14, 7, 1, 0]
Status = Reminder.Status


def day_range(first, last):
    return (first + timedelta(days=n) for n in range((last - first).days + 1))


class Portfolio:
    """Three contracts, four processes, their plans, and what should happen when."""

    def __init__(self):
        self.boss = UserFactory(username="boss", role="Operations managers")
        lead = UserFactory(username="lead", role="Project leads")
        self.a = ContractFactory(
            start_date=date(2023, 1, 1),
            end_date=date(2027, 9, 30),
            renewal=Contract.Renewal.AUTOMATIC,
            renewal_term_months=12,
            notice_period=3,
            notice_unit=Contract.NoticeUnit.MONTHS,
            governing_country="GB",
            # Registered post: two business days in transit, so a dispatch-by reminder too.
            notice_method=Contract.NoticeMethod.REGISTERED_POST,
            notice_transit_days=2,
        )
        self.b = ContractFactory(
            start_date=date(2024, 1, 1),
            end_date=date(2028, 6, 30),
            renewal=Contract.Renewal.NONE,
            renewal_term_months=None,
            notice_period=6,
            governing_country="GB",
            exit_assistance_months=3,
        )
        self.c = ContractFactory(
            start_date=date(2024, 2, 1),
            end_date=date(2028, 1, 31),
            renewal=Contract.Renewal.AUTOMATIC,
            renewal_term_months=24,
            notice_period=90,
            notice_unit=Contract.NoticeUnit.DAYS,
            governing_country="DE",
        )
        self.pa = OutsourcedProcessFactory(contract=self.a, lead=lead)
        self.pa2 = OutsourcedProcessFactory(contract=self.a, lead=None)
        self.pb = OutsourcedProcessFactory(contract=self.b, lead=lead)
        ReadinessAssessmentFactory(process=self.pb, assessed_by=self.boss)
        self.pc = OutsourcedProcessFactory(contract=self.c)

        self.m1 = MilestoneFactory(process=self.pa, due_date=date(2027, 5, 14), owner=self.pa.owner)
        self.m2 = MilestoneFactory(process=self.pa, due_date=date(2027, 8, 20), owner=None)
        self.m3 = MilestoneFactory(process=self.pa, due_date=date(2028, 2, 10), owner=lead)
        self.m4 = MilestoneFactory(process=self.pa, due_date=date(2029, 12, 20), owner=lead)
        self.m5 = MilestoneFactory(process=self.pa2, due_date=date(2028, 7, 1), owner=None)
        self.a1 = AssetFactory(process=self.pb, transfer_due=date(2028, 4, 15))
        self.a2 = AssetFactory(process=self.pb, transfer_due=date(2028, 5, 1))
        self.s1 = StaffMemberFactory(
            process=self.pb, route=StaffMember.Route.TUPE, planned_start=date(2028, 6, 1)
        )
        # A risk closed two weeks late, and an assumption of nobody's whose date moves.
        self.r1 = RaidItemFactory(process=self.pa, owner=lead, due_date=date(2027, 6, 15))
        self.r2 = RaidItemFactory(
            process=self.pb,
            kind=RaidItem.Kind.ASSUMPTION,
            probability=None,
            impact=None,
            owner=None,
            due_date=date(2028, 1, 10),
        )
        self.served_on = date(2027, 11, 15)
        self.exit_management()
        self.events = {
            **self.exit_events,
            date(2027, 5, 10): lambda: milestone_complete(milestone=self.m1, actor=self.boss),
            date(2027, 9, 15): lambda: milestone_complete(milestone=self.m2, actor=self.boss),
            date(2028, 2, 5): lambda: milestone_save(
                actor=self.boss, milestone=self.m3, due_date=date(2028, 3, 10)
            ),
            date(2028, 3, 20): lambda: milestone_complete(milestone=self.m3, actor=self.boss),
            date(2028, 7, 20): lambda: milestone_complete(milestone=self.m5, actor=self.boss),
            date(2028, 4, 28): lambda: asset_save(
                actor=self.boss, asset=self.a2, status=Asset.Status.TRANSFERRED
            ),
            date(2027, 7, 1): lambda: raid_item_save(
                actor=self.boss, item=self.r1, status=RaidItem.Status.CLOSED
            ),
            date(2028, 1, 5): lambda: raid_item_save(
                actor=self.boss, item=self.r2, due_date=date(2028, 2, 10)
            ),
            self.served_on: self.serve_notice_on_b,
        }

    def exit_management(self):
        """Issue 15's deadlines (reminders/triggers/exit.py): the exit plans of pa (owned by
        the lead) and pc (v1 superseded by v2), their tests and remediation actions, and two
        deliverables owed after notice on contract b. Plain rows: what is tested here is the
        reminders, not the exit-management services."""
        lead = self.pa.lead
        # Serving notice applies the default checklist; this portfolio names its own two.
        DeliverableTemplate.objects.update(active=False)
        self.p1 = exit_plan(
            self.pa, owner=lead, approved_on=date(2027, 3, 1), next_review_due=date(2028, 3, 1)
        )
        self.p2 = exit_plan(
            self.pc, approved_on=date(2027, 1, 1), next_review_due=date(2027, 6, 15)
        )

        def save(obj, **fields):
            for name, value in fields.items():
                setattr(obj, name, value)
            obj.save()

        def test_p1(held_on, next_due, outcome="pass"):
            return rehearsal(self.p1, held_on=held_on, outcome=outcome, next_test_due=next_due)

        def first_test_of_p1():
            # Failed: two remediation actions, one of nobody's (its process lead is told).
            test = test_p1(date(2027, 5, 20), date(2028, 5, 20), outcome="fail")
            self.a_1 = remediation_action(test, owner=None, due_date=date(2027, 7, 1))
            self.a_2 = remediation_action(test, owner=lead, due_date=date(2027, 8, 1))

        def approve_p2_v2():
            save(self.p2, status=ExitPlan.Status.SUPERSEDED)
            self.p2_v2 = exit_plan(
                self.pc, approved_on=date(2027, 6, 1), next_review_due=date(2029, 6, 1)
            )

        closed = RemediationAction.Status.CLOSED
        self.exit_events = {
            date(2027, 5, 20): first_test_of_p1,
            date(2027, 6, 1): approve_p2_v2,
            date(2027, 7, 10): lambda: save(self.a_1, status=closed, closed_on=date(2027, 7, 10)),
            date(2027, 7, 28): lambda: save(self.a_2, status=closed, closed_on=date(2027, 7, 28)),
            date(2027, 9, 10): lambda: rehearsal(
                self.p2_v2, held_on=date(2027, 9, 10), next_test_due=date(2028, 9, 10)
            ),
            date(2028, 1, 20): lambda: save(
                self.d1, status=Deliverable.Status.RECEIVED, received_on=date(2028, 1, 20)
            ),
            date(2028, 1, 25): lambda: save(self.d1, status=Deliverable.Status.ACCEPTED),
            date(2028, 3, 10): lambda: save(
                self.p1, last_review_on=date(2028, 3, 10), next_review_due=date(2029, 3, 10)
            ),
            date(2028, 5, 25): lambda: test_p1(date(2028, 5, 25), date(2029, 5, 25)),
            date(2028, 7, 30): lambda: save(self.d2, status=Deliverable.Status.REJECTED),
            date(2028, 8, 20): lambda: save(self.d2, status=Deliverable.Status.WAIVED),
            date(2028, 9, 5): lambda: rehearsal(
                self.p2_v2, held_on=date(2028, 9, 5), next_test_due=date(2030, 9, 5)
            ),
            date(2029, 3, 5): lambda: save(
                self.p1, last_review_on=date(2029, 3, 5), next_review_due=date(2030, 3, 5)
            ),
            date(2029, 5, 28): lambda: test_p1(date(2029, 5, 28), date(2030, 5, 28)),
            date(2029, 6, 3): lambda: save(
                self.p2_v2, last_review_on=date(2029, 6, 3), next_review_due=date(2030, 6, 3)
            ),
        }

    def serve_notice_on_b(self):
        apply_transition(self.pb, "serve_exit_notice", self.boss, served_on=self.served_on)
        notice = ExitNotice.objects.get(contract=self.b)
        self.d1 = Deliverable.objects.create(
            exit_notice=notice,
            contract=self.b,
            title="Exit information",
            due_date=date(2028, 1, 15),  # nobody's: the contract owner is told
        )
        self.d2 = Deliverable.objects.create(
            exit_notice=notice,
            contract=self.b,
            title="Data deletion certificate",
            due_date=date(2028, 7, 31),
            owner=self.pb.lead,
        )

    def expected(self) -> Counter:
        """(kind, object id, due date, offset, day sent) for every reminder in the span."""
        out = Counter()

        def add(kind, obj, due, offsets, stop=None):
            for offset in offsets:
                day = due - timedelta(days=offset)
                if START <= day <= END and (stop is None or day < stop):
                    out[(kind, obj.pk, due, offset, day)] += 1

        def overdue(kind, obj, due, stop=None, every=7):
            offset = -1
            while due - timedelta(days=offset) <= min(END, (stop or END) - timedelta(days=1)):
                out[(kind, obj.pk, due, offset, due - timedelta(days=offset))] += 1
                if every is None:
                    break
                offset -= every

        for contract, processes, stop in (
            (self.a, [self.pa, self.pa2], None),
            (self.b, [self.pb], self.served_on),
            (self.c, [self.pc], None),
        ):
            ends = dates.term_ends(contract.terms, START)
            for term_end in takewhile(lambda e: e <= END + timedelta(days=400), ends):
                deadline = dates.notice_deadline(contract.terms, term_end)
                add("notice_deadline", contract, deadline, NOTICE, stop)
                if contract.notice_transit_days:
                    dispatch = dates.dispatch_by(contract.terms, term_end)
                    add("dispatch_by", contract, dispatch, DISPATCH, stop)
                decision = dates.previous_business_day(
                    deadline - timedelta(days=contract.decision_lead_days),
                    contract.governing_country,
                )
                for process in processes:
                    add("decision_date", process, decision, [14, 0], stop)

        add("milestone_due", self.m1, self.m1.due_date, [7, 1], stop=date(2027, 5, 10))
        add("milestone_due", self.m2, self.m2.due_date, [7, 1])
        overdue("milestone_due", self.m2, self.m2.due_date, stop=date(2027, 9, 15))
        add("milestone_due", self.m3, date(2028, 2, 10), [7, 1], stop=date(2028, 2, 5))
        add("milestone_due", self.m3, date(2028, 3, 10), [7, 1])
        overdue("milestone_due", self.m3, date(2028, 3, 10), stop=date(2028, 3, 20))
        add("milestone_due", self.m4, self.m4.due_date, [7, 1])
        overdue("milestone_due", self.m4, self.m4.due_date)
        add("milestone_due", self.m5, self.m5.due_date, [7, 1])
        overdue("milestone_due", self.m5, self.m5.due_date, stop=date(2028, 7, 20))
        add("asset_transfer_due", self.a1, self.a1.transfer_due, [7])
        overdue("asset_transfer_due", self.a1, self.a1.transfer_due, every=None)
        add("asset_transfer_due", self.a2, self.a2.transfer_due, [7], stop=date(2028, 4, 28))
        add("eli_due", self.s1, date(2028, 5, 4), [14, 7, 0])
        exit_date = date(2028, 6, 30)
        add("exit_date", self.pb, exit_date, [30, 7])
        add("assistance_end", self.pb, date(2028, 9, 30), [30, 7])
        add("raid_item_due", self.r1, self.r1.due_date, [7, 1, 0])
        overdue("raid_item_due", self.r1, self.r1.due_date, stop=date(2027, 7, 1))
        add("raid_item_due", self.r2, date(2028, 1, 10), [7, 1, 0], stop=date(2028, 1, 5))
        add("raid_item_due", self.r2, date(2028, 2, 10), [7, 1, 0])
        overdue("raid_item_due", self.r2, date(2028, 2, 10))

        # Deliverables: received is still owed, then accepted; rejected still owed, then waived.
        add("deliverable_due", self.d1, date(2028, 1, 15), [7, 1, 0])
        overdue("deliverable_due", self.d1, date(2028, 1, 15), stop=date(2028, 1, 25))
        add("deliverable_due", self.d2, date(2028, 7, 31), [7, 1, 0])
        overdue("deliverable_due", self.d2, date(2028, 7, 31), stop=date(2028, 8, 20))
        # Reviews: p1 reviewed late, then early; p2 superseded before its review, its v2
        # reviewed two days late.
        review = [30, 7, 0]
        add("exit_plan_review_due", self.p1, date(2028, 3, 1), review)
        overdue("exit_plan_review_due", self.p1, date(2028, 3, 1), stop=date(2028, 3, 10))
        add("exit_plan_review_due", self.p1, date(2029, 3, 10), review, stop=date(2029, 3, 5))
        add("exit_plan_review_due", self.p2, date(2027, 6, 15), review, stop=date(2027, 6, 1))
        add("exit_plan_review_due", self.p2_v2, date(2029, 6, 1), review)
        overdue("exit_plan_review_due", self.p2_v2, date(2029, 6, 1), stop=date(2029, 6, 3))
        # Tests: never tested, due 90 days after approval (FIRST_TEST_DAYS); then the latest
        # rehearsal's next test date.
        add("exit_plan_test_due", self.p1, date(2027, 5, 30), review, stop=date(2027, 5, 20))
        add("exit_plan_test_due", self.p1, date(2028, 5, 20), review)
        overdue("exit_plan_test_due", self.p1, date(2028, 5, 20), stop=date(2028, 5, 25))
        add("exit_plan_test_due", self.p1, date(2029, 5, 25), review)
        overdue("exit_plan_test_due", self.p1, date(2029, 5, 25), stop=date(2029, 5, 28))
        add("exit_plan_test_due", self.p2, date(2027, 4, 1), review)
        overdue("exit_plan_test_due", self.p2, date(2027, 4, 1), stop=date(2027, 6, 1))
        add("exit_plan_test_due", self.p2_v2, date(2027, 8, 30), review)
        overdue("exit_plan_test_due", self.p2_v2, date(2027, 8, 30), stop=date(2027, 9, 10))
        add("exit_plan_test_due", self.p2_v2, date(2028, 9, 10), review, stop=date(2028, 9, 5))
        # Remediation actions: one closed nine days late, one before its date.
        add("remediation_action_due", self.a_1, date(2027, 7, 1), [7, 1, 0])
        overdue("remediation_action_due", self.a_1, date(2027, 7, 1), stop=date(2027, 7, 10))
        add("remediation_action_due", self.a_2, date(2027, 8, 1), [7, 1, 0], stop=date(2027, 7, 28))
        return out


@pytest.mark.django_db
def test_three_years_of_daily_sweeps_send_every_reminder_once_on_its_day():
    portfolio = Portfolio()
    repeat_sweeps = 0
    for day in day_range(START, END):
        with time_machine.travel(at(day, hour=6), tick=False):
            if day in portfolio.events:
                portfolio.events[day]()
            reminders_sweep()
            if day.day == 1:  # a second run the same day (two beats, a manual run) sends nothing
                assert reminders_sweep().outcomes == []
                repeat_sweeps += 1

    expected = portfolio.expected()
    assert max(expected.values()) == 1
    sent = Counter(
        (r.kind, r.object_id, r.due_date, r.offset_days, timezone.localdate(r.sent_at))
        for r in Reminder.objects.filter(status=Status.SENT)
    )
    missing = set(expected) - set(sent)
    unexpected = set(sent) - set(expected)
    assert not missing, f"never sent, or sent on another day: {sorted(missing)}"
    assert not unexpected, f"sent early, late or wrongly: {sorted(unexpected)}"
    assert max(sent.values()) == 1
    # One e-mail per recipient with an address, each with its own Message-ID.
    emailed = Reminder.recipients.through.objects.filter(
        reminder__status=Status.SENT, user__email__gt=""
    )
    assert len(mail.outbox) == emailed.count()
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == len(mail.outbox)
    assert Notification.objects.filter(reminder__isnull=False).count() >= len(mail.outbox)
    assert not Reminder.objects.filter(
        status__in=[Status.FAILED, Status.MISSED, Status.SUPERSEDED, Status.PENDING],
        send_on__lte=END,
    )
    dropped = Reminder.objects.filter(status=Status.DROPPED)
    assert (portfolio.m3.pk, date(2028, 2, 10), 1) in {
        (r.object_id, r.due_date, r.offset_days) for r in dropped
    }
    assert repeat_sweeps == 36
    # Every kind of the table took part.
    assert {key[0] for key in expected} == set(Reminder.Kind.values)
