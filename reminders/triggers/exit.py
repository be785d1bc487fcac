"""Deadlines of exit management (issue 15, docs/exit-management.md): the termination
assistance the provider still owes, the review and the next test of each process's exit
plan in force, and the remediation actions its tests found. All four keep reminding, weekly,
once overdue, until the deliverable is accepted or waived, the plan reviewed or tested
(a new date), or the action closed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Cast
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract, Deliverable
from core.formats import long_date, short_date
from transition.models import ExitPlan, OutsourcedProcess, Rehearsal, RemediationAction

from ..models import Reminder
from .base import Trigger, nobody_active, when
from .plan import led_by, unled

Kind = Reminder.Kind

# An approved exit plan of a process never tested is due for its first test this many days
# after its approval; once tested, the latest rehearsal's "next test due" is the date
# (docs/reminders.md).
FIRST_TEST_DAYS = 90


def person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("no owner")


def first_page(*pages) -> str:
    """The first of `pages` (callables giving a URL) that exists: a page another part of
    the app has not added yet falls back to the next."""
    for page in pages[:-1]:
        try:
            return page()
        except NoReverseMatch:
            continue
    return pages[-1]()


class DeliverableDue(Trigger):
    """A termination-assistance deliverable still owed (requested, received and not yet
    accepted, or rejected): told to its owner on our side, else the contract's owner, else
    the fallback group. Withdrawing the notice waives what was not received
    (contracts/services_deliverables.py); what was received stays to accept or reject."""

    kind = Kind.DELIVERABLE_DUE
    model = Deliverable
    overdue_label = gettext_lazy("Deliverable overdue")
    due_order = "due_date"

    def queryset(self):
        # `DeliverableQuerySet.open()`: the status test the contract pages and the RAG use.
        return Deliverable.objects.open()

    def with_people(self, queryset):
        return queryset.select_related("owner", "contract__owner", "contract__provider")

    def due_date(self, obj, today):
        return obj.due_date

    def recipients(self, obj):
        if obj.owner is not None and obj.owner.is_active:
            return [obj.owner]
        return [obj.contract.owner]

    def addressed_to(self, user_id: int) -> Q:
        owned = Contract.objects.filter(owner=user_id).values("pk")
        return Q(owner=user_id) | (nobody_active("owner") & Q(contract__in=owned))

    def unaddressed(self) -> Q:
        orphaned = Contract.objects.filter(nobody_active("owner")).values("pk")
        return nobody_active("owner") & Q(contract__in=orphaned)

    def path(self, obj):
        return first_page(obj.get_absolute_url, obj.contract.get_absolute_url)

    def title(self, obj):
        return f"{obj} ({obj.contract.reference})"

    def summary(self, obj, due: date) -> str:
        return _("%(category)s · %(provider)s · %(owner)s") % {
            "category": obj.get_category_display(),
            "provider": obj.contract.provider.name,
            "owner": person(obj.owner),
        }

    def headline(self, obj, due, today):
        values = {
            "title": obj,
            "provider": obj.contract.provider,
            "contract": obj.contract.reference,
            "date": long_date(due),
        }
        if due < today:
            return (
                _(
                    "Deliverable “%(title)s” from %(provider)s (%(contract)s) is overdue: "
                    "it was due %(date)s"
                )
                % values
            )
        return _(
            "Deliverable “%(title)s” from %(provider)s (%(contract)s) is due %(when)s: %(date)s"
        ) % {**values, "when": when(due, today)}

    def detail(self, obj, due):
        text = _(
            "Termination assistance under %(contract)s; our owner: %(owner)s; status: %(status)s."
        ) % {
            "contract": obj.contract,
            "owner": person(obj.owner),
            "status": obj.get_status_display(),
        }
        if obj.status == Deliverable.Status.REJECTED:
            text += " " + _("It was rejected: the provider must deliver it again.")
        elif obj.status == Deliverable.Status.RECEIVED and obj.received_on:
            text += " " + _("Received on %(date)s: to accept or reject.") % {
                "date": long_date(obj.received_on)
            }
        return text


def not_in_house() -> QuerySet:
    """The ids of the processes not yet back in-house: an exit plan matters while the
    provider still runs the process."""
    return OutsourcedProcess.objects.exclude(state=OutsourcedProcess.State.IN_HOUSE).values("pk")


class _ExitPlanTrigger(Trigger):
    """A date of the exit plan in force of a process not yet in-house: told to the plan's
    owner, else the process owner, else the fallback group."""

    model = ExitPlan
    # Reminded of only while the process is not in-house.
    sources = {OutsourcedProcess: "process"}

    def approved(self) -> QuerySet:
        return ExitPlan.objects.approved().filter(process__in=not_in_house())

    def with_people(self, queryset):
        return queryset.select_related("owner", "process__owner")

    def recipients(self, obj):
        if obj.owner is not None and obj.owner.is_active:
            return [obj.owner]
        return [obj.process.owner]

    def addressed_to(self, user_id: int) -> Q:
        owned = OutsourcedProcess.objects.filter(owner=user_id).values("pk")
        return Q(owner=user_id) | (nobody_active("owner") & Q(process__in=owned))

    def unaddressed(self) -> Q:
        orphaned = OutsourcedProcess.objects.filter(nobody_active("owner")).values("pk")
        return nobody_active("owner") & Q(process__in=orphaned)

    def path(self, obj):
        return first_page(obj.get_absolute_url, obj.process.get_absolute_url)


class ExitPlanReviewDue(_ExitPlanTrigger):
    """The next review of the exit plan in force (`next_review_due`, when set)."""

    kind = Kind.EXIT_PLAN_REVIEW_DUE
    overdue_label = gettext_lazy("Exit plan review overdue")
    due_order = "next_review_due"

    def queryset(self):
        return self.approved().filter(next_review_due__isnull=False)

    def due_date(self, obj, today):
        return obj.next_review_due

    def summary(self, obj, due: date) -> str:
        if obj.last_review_on:
            return _("%(owner)s · last reviewed %(date)s") % {
                "owner": person(obj.owner),
                "date": short_date(obj.last_review_on),
            }
        return _("%(owner)s · not reviewed since approval") % {"owner": person(obj.owner)}

    def headline(self, obj, due, today):
        values = {"process": obj.process, "version": obj.version, "date": long_date(due)}
        if due < today:
            return (
                _(
                    "Review of the exit plan of %(process)s (version %(version)s) is overdue: "
                    "it was due %(date)s"
                )
                % values
            )
        return _(
            "Review of the exit plan of %(process)s (version %(version)s) is due %(when)s: %(date)s"
        ) % {**values, "when": when(due, today)}

    def detail(self, obj, due):
        if obj.last_review_on:
            reviewed = _("Last reviewed on %(date)s.") % {"date": long_date(obj.last_review_on)}
        elif obj.approved_on:
            reviewed = _("Not reviewed since its approval on %(date)s.") % {
                "date": long_date(obj.approved_on)
            }
        else:
            reviewed = ""
        owner = _("Owned by %(owner)s.") % {"owner": person(obj.owner)}
        return " ".join(filter(None, [owner, reviewed]))


def latest_rehearsals() -> QuerySet:
    """The rehearsals of an exit plan's process, latest first (a subquery on the outer plan).

    Of any version, as the process page and the dashboard read them
    (`transition.selectors.exit_plans.with_exit_plan_status`): a new version keeps the test
    record until it is tested again."""
    return Rehearsal.objects.filter(process=OuterRef("process")).order_by("-held_on", "-pk")


def next_test_due():
    """The date an exit plan's next test is due, in SQL: the latest rehearsal's "next test
    due" (none when that rehearsal set none: the rehearsal service always sets one), or,
    never tested, `FIRST_TEST_DAYS` after its approval."""
    first_test = Cast(F("approved_on") + timedelta(days=FIRST_TEST_DAYS), DateField())
    return Case(
        When(
            Exists(latest_rehearsals()),
            then=Subquery(latest_rehearsals().values("next_test_due")[:1]),
        ),
        default=first_test,
        output_field=DateField(),
    )


class ExitPlanTestDue(_ExitPlanTrigger):
    """The next test of the exit plan in force: what the process's latest rehearsal set, or,
    for a process never tested, `FIRST_TEST_DAYS` after the plan's approval."""

    kind = Kind.EXIT_PLAN_TEST_DUE
    overdue_label = gettext_lazy("Exit plan test overdue")
    # The next test is due from the process's latest rehearsal.
    sources = {OutsourcedProcess: "process", Rehearsal: "process__rehearsals"}
    # An annotation of `queryset()`, so COUNT and ORDER BY … LIMIT stay in SQL.
    due_order = "test_due"

    def queryset(self):
        return self.approved().annotate(test_due=next_test_due()).filter(test_due__isnull=False)

    def with_people(self, queryset):
        latest = latest_rehearsals()
        return (
            super()
            .with_people(queryset)
            .annotate(
                last_tested_on=Subquery(latest.values("held_on")[:1]),
                last_outcome=Subquery(latest.values("outcome")[:1]),
            )
        )

    def due_date(self, obj, today):
        return obj.test_due

    def _tested(self, obj) -> str:
        """When the plan was last tested and how it went ("" if never), from the
        annotations of `with_people()`."""
        tested_on = getattr(obj, "last_tested_on", None)
        if tested_on is None:
            return ""
        return _("last tested %(date)s (%(outcome)s)") % {
            "date": short_date(tested_on),
            "outcome": Rehearsal.Outcome(obj.last_outcome).label,
        }

    def summary(self, obj, due: date) -> str:
        return _("%(owner)s · %(tested)s") % {
            "owner": person(obj.owner),
            "tested": self._tested(obj) or _("never tested"),
        }

    def headline(self, obj, due, today):
        values = {"process": obj.process, "version": obj.version, "date": long_date(due)}
        if due < today:
            return (
                _(
                    "Test of the exit plan of %(process)s (version %(version)s) is overdue: "
                    "it was due %(date)s"
                )
                % values
            )
        return _(
            "Test of the exit plan of %(process)s (version %(version)s) is due %(when)s: %(date)s"
        ) % {**values, "when": when(due, today)}

    def detail(self, obj, due):
        owner = _("Owned by %(owner)s.") % {"owner": person(obj.owner)}
        tested_on = getattr(obj, "last_tested_on", None)
        if tested_on is not None:
            tested = _("Last tested on %(date)s: %(outcome)s.") % {
                "date": long_date(tested_on),
                "outcome": Rehearsal.Outcome(obj.last_outcome).label,
            }
        elif obj.approved_on:
            tested = _(
                "Never tested: the first test is due %(days)s days after its approval on %(date)s."
            ) % {"days": FIRST_TEST_DAYS, "date": long_date(obj.approved_on)}
        else:
            tested = ""
        return " ".join(filter(None, [owner, tested]))


def rehearsals_of(processes: QuerySet) -> QuerySet:
    """The ids of the rehearsals of `processes` (a subquery)."""
    return Rehearsal.objects.filter(process__in=processes).values("pk")


class RemediationActionDue(Trigger):
    """An open remediation action found by an exit-plan rehearsal: told to its owner, else
    the lead of the process, else the fallback group; overdue reminders repeat until it is
    closed."""

    kind = Kind.REMEDIATION_ACTION_DUE
    model = RemediationAction
    overdue_label = gettext_lazy("Remediation action overdue")
    due_order = "due_date"

    def queryset(self):
        return RemediationAction.objects.open()

    def with_people(self, queryset):
        return queryset.select_related("owner", "rehearsal__process__lead")

    def due_date(self, obj, today):
        return obj.due_date

    def recipients(self, obj):
        if obj.owner is not None and obj.owner.is_active:
            return [obj.owner]
        return [obj.rehearsal.process.lead]

    def addressed_to(self, user_id: int) -> Q:
        led = rehearsals_of(led_by(user_id))
        return Q(owner=user_id) | (nobody_active("owner") & Q(rehearsal__in=led))

    def unaddressed(self) -> Q:
        return nobody_active("owner") & Q(rehearsal__in=rehearsals_of(unled()))

    def path(self, obj):
        return first_page(obj.rehearsal.get_absolute_url, obj.rehearsal.process.get_absolute_url)

    def title(self, obj):
        return f"{obj} ({obj.rehearsal.process})"

    def summary(self, obj, due: date) -> str:
        return _("%(process)s · %(owner)s") % {
            "process": obj.rehearsal.process.name,
            "owner": person(obj.owner),
        }

    def headline(self, obj, due, today):
        values = {"title": obj, "process": obj.rehearsal.process, "date": long_date(due)}
        if due < today:
            return (
                _("Remediation action “%(title)s” of %(process)s is overdue: it was due %(date)s")
                % values
            )
        return _("Remediation action “%(title)s” of %(process)s is due %(when)s: %(date)s") % {
            **values,
            "when": when(due, today),
        }

    def detail(self, obj, due):
        rehearsal = obj.rehearsal
        return _(
            "Found by the exit-plan test of %(process)s on %(held)s (outcome: %(outcome)s); "
            "owned by %(owner)s."
        ) % {
            "process": rehearsal.process,
            "held": long_date(rehearsal.held_on),
            "outcome": rehearsal.get_outcome_display(),
            "owner": person(obj.owner),
        }
