"""Deadlines of a contract and its processes: notice deadline, decision date, exit date and the
end of termination assistance."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from contracts.models import Contract
from transition.models import OutsourcedProcess

from ..models import Reminder
from .base import Trigger, long_date, when

Kind = Reminder.Kind
State = OutsourcedProcess.State


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
