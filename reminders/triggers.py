"""The deadlines that produce reminders (DESIGN.md section 3), one trigger per kind.

A trigger knows which objects currently have a deadline of its kind, the due date as of a
given day, who is told, and how to word it. Reminders, notifications and the calendar feed
all read deadlines from here, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, QuerySet
from django.urls import NoReverseMatch
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.models import Contract
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember

from .models import Reminder

Kind = Reminder.Kind
State = OutsourcedProcess.State


@dataclass(frozen=True)
class Deadline:
    """A dated obligation of one object, as of one day."""

    kind: str
    obj: Model
    due: date

    @property
    def trigger(self) -> Trigger:
        return TRIGGERS[self.kind]

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.trigger.content_type().pk, self.obj.pk)

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def title(self) -> str:
        return self.trigger.title(self.obj)

    def headline(self, today: date) -> str:
        return self.trigger.headline(self.obj, self.due, today)

    def detail(self) -> str:
        return self.trigger.detail(self.obj, self.due)

    def path(self) -> str:
        """The object's page, or "" while no page exists for it (never an error)."""
        try:
            return self.obj.get_absolute_url()
        except NoReverseMatch:
            return ""


def when(due: date, today: date) -> str:
    """Say how far `due` is from `today` in words: "in 7 days", "today", "3 days ago"."""
    days = (due - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if days > 0:
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    return ngettext("%(n)d day ago", "%(n)d days ago", -days) % {"n": -days}


def long_date(d: date) -> str:
    return date_format(d, "j F Y")


class Trigger:
    """Base of one kind of deadline; subclasses say which objects, which date, and who."""

    kind: str
    model: type[Model]

    def queryset(self) -> QuerySet:
        """The objects that have a deadline of this kind, with what the due date needs."""
        raise NotImplementedError

    def with_people(self, queryset: QuerySet) -> QuerySet:
        """`queryset` with what recipients and wording read (only for rows being sent)."""
        return queryset

    def due_date(self, obj, today: date) -> date | None:
        raise NotImplementedError

    def recipients(self, obj) -> list:
        """The people the table names, before the fallback to operations managers."""
        raise NotImplementedError

    def title(self, obj) -> str:
        return str(obj)

    def headline(self, obj, due: date, today: date) -> str:
        raise NotImplementedError

    def detail(self, obj, due: date) -> str:
        return ""

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def deadlines(
        self, today: date, pks: Iterable[int] | None = None, *, detailed: bool = True
    ) -> Iterator[Deadline]:
        """Every current deadline of this kind as of `today` (only of `pks` when given).

        Without `detailed`, only due dates are right: the sweep plans from these cheaply.
        """
        # By key only: the models' default orderings join other tables for nothing here.
        queryset = self.queryset().order_by("pk")
        if detailed:
            queryset = self.with_people(queryset)
        if pks is not None:
            queryset = queryset.filter(pk__in=list(pks))
        for obj in queryset.iterator(chunk_size=500):
            due = self.due_date(obj, today)
            if due is not None:
                yield Deadline(self.kind, obj, due)

    def deadline_of(self, object_id: int, today: date) -> Deadline | None:
        """The current deadline of one object, or None when it no longer has one."""
        return next(self.deadlines(today, pks=[object_id]), None)


class NoticeDeadline(Trigger):
    """The next notice deadline of a contract that still has processes outsourced."""

    kind = Kind.NOTICE_DEADLINE
    model = Contract

    def queryset(self):
        outsourced = OutsourcedProcess.objects.filter(state=State.OUTSOURCED)
        return Contract.objects.filter(pk__in=outsourced.values("contract_id"))

    def with_people(self, queryset):
        outsourced = OutsourcedProcess.objects.filter(state=State.OUTSOURCED)
        return queryset.select_related("owner", "provider").prefetch_related(
            Prefetch(
                "processes",
                queryset=outsourced.select_related("owner").order_by("name"),
                to_attr="outsourced_processes",
            )
        )

    def due_date(self, obj, today):
        return obj.next_notice_deadline(today)

    def recipients(self, obj):
        return [obj.owner, *(process.owner for process in self._outsourced(obj))]

    def _outsourced(self, obj):
        if hasattr(obj, "outsourced_processes"):  # prefetched by with_people()
            return obj.outsourced_processes
        return obj.processes.filter(state=State.OUTSOURCED).select_related("owner")

    def headline(self, obj, due, today):
        return _("Notice deadline for %(contract)s %(when)s: %(date)s") % {
            "contract": obj,
            "when": when(due, today),
            "date": long_date(due),
        }

    def detail(self, obj, due):
        processes = ", ".join(str(process) for process in self._outsourced(obj))
        return _(
            "Notice must be received by %(provider)s by %(date)s. Served by then, the service "
            "ends on %(exit)s; otherwise the contract runs on. Still outsourced: %(processes)s."
        ) % {
            "provider": obj.provider,
            "date": long_date(due),
            "exit": long_date(obj.exit_date_if_served(due)),
            "processes": processes,
        }


class DecisionDate(Trigger):
    """The date by which to decide on bringing a still-outsourced process back."""

    kind = Kind.DECISION_DATE
    model = OutsourcedProcess

    def queryset(self):
        return OutsourcedProcess.objects.filter(state=State.OUTSOURCED).select_related("contract")

    def with_people(self, queryset):
        return queryset.select_related("owner")

    def due_date(self, obj, today):
        return obj.contract.decision_date(today)

    def recipients(self, obj):
        return [obj.owner]

    def headline(self, obj, due, today):
        return _("Decision due %(when)s on bringing back %(process)s: %(date)s") % {
            "process": obj,
            "when": when(due, today),
            "date": long_date(due),
        }

    def detail(self, obj, due):
        deadline = obj.contract.next_notice_deadline(due)
        return _(
            "Decide whether to serve exit notice on contract %(contract)s; its notice "
            "deadline is %(deadline)s."
        ) % {"contract": obj.contract, "deadline": long_date(deadline) if deadline else "—"}


class MilestoneDue(Trigger):
    """An open milestone's due date; overdue reminders repeat until it is done."""

    kind = Kind.MILESTONE_DUE
    model = Milestone

    def queryset(self):
        return Milestone.objects.exclude(status=Milestone.Status.DONE)

    def with_people(self, queryset):
        return queryset.select_related("owner", "process__lead")

    def due_date(self, obj, today):
        return obj.due_date

    def recipients(self, obj):
        if obj.owner is not None and obj.owner.is_active:
            return [obj.owner]
        return [obj.process.lead]

    def title(self, obj):
        return f"{obj} ({obj.process})"

    def headline(self, obj, due, today):
        if due < today:
            return _("Milestone “%(title)s” of %(process)s is overdue: it was due %(date)s") % {
                "title": obj,
                "process": obj.process,
                "date": long_date(due),
            }
        return _("Milestone “%(title)s” of %(process)s is due %(when)s: %(date)s") % {
            "title": obj,
            "process": obj.process,
            "when": when(due, today),
            "date": long_date(due),
        }


class AssetTransferDue(Trigger):
    """The transfer date of an asset still to transfer."""

    kind = Kind.ASSET_TRANSFER_DUE
    model = Asset

    def queryset(self):
        return Asset.objects.filter(
            status__in=[Asset.Status.TO_TRANSFER, Asset.Status.IN_PROGRESS],
            transfer_due__isnull=False,
        ).exclude(transfer_method=Asset.TransferMethod.NOT_NEEDED)

    def with_people(self, queryset):
        return queryset.select_related("process__lead")

    def due_date(self, obj, today):
        return obj.transfer_due

    def recipients(self, obj):
        return [obj.process.lead]

    def title(self, obj):
        return f"{obj} ({obj.process})"

    def headline(self, obj, due, today):
        if due < today:
            return _("Transfer of %(asset)s (%(process)s) is overdue: it was due %(date)s") % {
                "asset": obj,
                "process": obj.process,
                "date": long_date(due),
            }
        return _("Transfer of %(asset)s (%(process)s) is due %(when)s: %(date)s") % {
            "asset": obj,
            "process": obj.process,
            "when": when(due, today),
            "date": long_date(due),
        }


class EliDue(Trigger):
    """TUPE employee liability information, due 28 days before the transfer."""

    kind = Kind.ELI_DUE
    model = StaffMember

    def queryset(self):
        return StaffMember.objects.filter(
            route=StaffMember.Route.TUPE,
            planned_start__isnull=False,
            status__in=[
                StaffMember.Status.IDENTIFIED,
                StaffMember.Status.OFFERED,
                StaffMember.Status.ACCEPTED,
            ],
        )

    def with_people(self, queryset):
        return queryset.select_related("process__lead")

    def due_date(self, obj, today):
        return obj.eli_due_date

    def recipients(self, obj):
        return [obj.process.lead]

    def title(self, obj):
        return f"{obj} ({obj.process})"

    def headline(self, obj, due, today):
        return _(
            "Employee liability information for %(name)s (%(process)s) is due %(when)s: %(date)s"
        ) % {"name": obj, "process": obj.process, "when": when(due, today), "date": long_date(due)}

    def detail(self, obj, due):
        return _(
            "Under TUPE the provider must give it at least 28 days before the transfer on "
            "%(start)s."
        ) % {"start": long_date(obj.planned_start)}


class ExitDate(Trigger):
    """The last day of service of a process whose exit notice has been served."""

    kind = Kind.EXIT_DATE
    model = OutsourcedProcess

    def queryset(self):
        return OutsourcedProcess.objects.filter(exit_date__isnull=False)

    def with_people(self, queryset):
        return queryset.select_related("contract__provider", "owner", "lead")

    def due_date(self, obj, today):
        return obj.exit_date

    def recipients(self, obj):
        return [obj.owner, obj.lead]

    def headline(self, obj, due, today):
        return _("%(process)s leaves %(provider)s %(when)s: %(date)s") % {
            "process": obj,
            "provider": obj.contract.provider,
            "when": when(due, today),
            "date": long_date(due),
        }


class AssistanceEnd(Trigger):
    """The end of the termination assistance the provider owes after the exit date."""

    kind = Kind.ASSISTANCE_END
    model = OutsourcedProcess

    def queryset(self):
        return OutsourcedProcess.objects.filter(
            exit_date__isnull=False, contract__exit_assistance_months__gt=0
        ).select_related("contract")

    def with_people(self, queryset):
        return queryset.select_related("contract__provider", "owner", "lead")

    def due_date(self, obj, today):
        return obj.contract.assistance_end(obj.exit_date)

    def recipients(self, obj):
        return [obj.owner, obj.lead]

    def headline(self, obj, due, today):
        return _("Termination assistance for %(process)s ends %(when)s: %(date)s") % {
            "process": obj,
            "when": when(due, today),
            "date": long_date(due),
        }


TRIGGERS: dict[str, Trigger] = {
    trigger.kind: trigger
    for trigger in (
        NoticeDeadline(),
        DecisionDate(),
        MilestoneDue(),
        AssetTransferDue(),
        EliDue(),
        ExitDate(),
        AssistanceEnd(),
    )
}


def all_deadlines(today: date, *, detailed: bool = True) -> Iterator[Deadline]:
    """Every current deadline of every kind as of `today`."""
    for trigger in TRIGGERS.values():
        yield from trigger.deadlines(today, detailed=detailed)


def fallback_recipients() -> list:
    """The active members of the fallback group (operations managers)."""
    return list(
        get_user_model()
        .objects.filter(groups__name=settings.REMINDER_FALLBACK_GROUP, is_active=True)
        .order_by("pk")
        .distinct()
    )


def resolve_recipients(deadline: Deadline, fallback: list | None = None) -> list:
    """Who is told about a deadline: the people the table names, else the fallback group."""
    people, seen = [], set()
    for user in deadline.trigger.recipients(deadline.obj):
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            people.append(user)
    if people:
        return people
    return fallback_recipients() if fallback is None else fallback
