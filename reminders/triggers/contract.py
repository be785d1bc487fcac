"""Deadlines of a contract and its processes: notice deadline, decision date, exit date and the
end of termination assistance."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract
from core.formats import long_date, money, short_date
from transition.models import OutsourcedProcess

from ..models import Reminder
from .base import Trigger, nobody_active, when

Kind = Reminder.Kind


def outsourced() -> QuerySet[OutsourcedProcess]:
    """Processes still outsourced: the ones a notice deadline and a decision date concern."""
    return OutsourcedProcess.objects.filter(state=OutsourcedProcess.State.OUTSOURCED)


class NoticeDeadline(Trigger):
    """The next notice deadline of a contract that still has processes outsourced."""

    kind = Kind.NOTICE_DEADLINE
    model = Contract
    # A process leaving "outsourced" can end its contract's notice reminders.
    sources = {OutsourcedProcess: "processes"}
    # The engine's date kept on the row (contracts/models/stored_dates.py): exact once
    # `Contract.objects.refresh_notice_dates(today)` has run, as the pages that cut by it do.
    due_order = "stored_next_notice_deadline"

    def queryset(self):
        return Contract.objects.filter(pk__in=outsourced().values("contract_id"))

    def with_people(self, queryset):
        return queryset.select_related("owner", "provider").prefetch_related(
            Prefetch(
                "processes",
                queryset=outsourced().select_related("owner").order_by("name"),
                to_attr="outsourced_processes",
            )
        )

    def due_date(self, obj, today):
        return obj.next_notice_deadline(today)

    def recipients(self, obj):
        return [obj.owner, *(process.owner for process in self._outsourced(obj))]

    def addressed_to(self, user_id: int) -> Q:
        owned = outsourced().filter(owner=user_id).values("contract_id")
        return Q(owner=user_id) | Q(pk__in=owned)

    def unaddressed(self) -> Q:
        told = outsourced().exclude(nobody_active("owner")).values("contract_id")
        return nobody_active("owner") & ~Q(pk__in=told)

    def _outsourced(self, obj):
        if hasattr(obj, "outsourced_processes"):  # prefetched by with_people()
            return obj.outsourced_processes
        return outsourced().filter(contract=obj).select_related("owner").order_by("name")

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
            "ends on %(exit)s. %(missed)s Still outsourced: %(processes)s."
        ) % {
            "provider": obj.provider,
            "date": long_date(due),
            "exit": long_date(obj.exit_date_if_served(due)),
            "missed": self.cost_of_missing(obj, due),
            "processes": processes,
        }

    def cost_of_missing(self, obj, due: date) -> str:
        """What missing the deadline commits, in words (`Contract.missed_notice`)."""
        cost = obj.missed_notice(due)
        if cost is None or not cost.missed.renews:
            return _("Missed, nothing renews: it still ends then.")
        return _(
            "Missed, it runs on to %(end)s, committing %(value)s more at the current annual value."
        ) % {
            "end": long_date(cost.missed.ends_if_missed),
            "value": money(cost.value, cost.currency),
        }

    def summary(self, obj, due: date) -> str:
        return _("%(provider)s · still outsourced: %(names)s") % {
            "provider": obj.provider.name,
            "names": ", ".join(process.name for process in self._outsourced(obj)),
        }


class DispatchBy(NoticeDeadline):
    """The last business day to send notice so that, with the method's transit days, it is
    received by the notice deadline (only where the contract says notice takes time)."""

    kind = Kind.DISPATCH_BY
    due_order = "stored_dispatch_by"

    def queryset(self):
        return super().queryset().filter(notice_transit_days__gt=0)

    def due_date(self, obj, today):
        # The dispatch day of the deadline still to meet (it may have passed while the
        # deadline has not: then a faster method is the only way left).
        return obj.dispatch_by(today)

    def headline(self, obj, due, today):
        return _("Send notice on %(contract)s %(when)s: by %(date)s") % {
            "contract": obj,
            "when": when(due, today),
            "date": long_date(due),
        }

    def detail(self, obj, due):
        deadline = obj.next_notice_deadline(due)
        return _(
            "Notice sent by %(method)s takes %(days)s business days to arrive; to be received "
            "by %(provider)s by %(deadline)s it must go out by %(date)s."
        ) % {
            "method": obj.get_notice_method_display() or _("the contract's method"),
            "days": obj.notice_transit_days,
            "provider": obj.provider,
            "deadline": long_date(deadline) if deadline else "—",
            "date": long_date(due),
        }


class DecisionDate(Trigger):
    """The date by which to decide on bringing a still-outsourced process back."""

    kind = Kind.DECISION_DATE
    model = OutsourcedProcess
    sources = {Contract: "contract"}  # the contract's terms date it
    # Passed while the notice deadline is still ahead: the process is red until decided.
    overdue_label = gettext_lazy("Decision overdue")
    due_order = "contract__stored_decision_date"

    def queryset(self):
        return outsourced().select_related("contract")

    def with_people(self, queryset):
        return queryset.select_related("owner")

    def due_date(self, obj, today):
        return obj.contract.decision_date(today)

    def recipients(self, obj):
        return [obj.owner]

    def addressed_to(self, user_id: int) -> Q:
        return Q(owner=user_id)

    def unaddressed(self) -> Q:
        return nobody_active("owner")

    def headline(self, obj, due, today):
        return _("Decision due %(when)s on bringing back %(process)s: %(date)s") % {
            "process": obj,
            "when": when(due, today),
            "date": long_date(due),
        }

    def detail(self, obj, due):
        deadline = self._notice_deadline(obj, due)
        return _(
            "Decide whether to serve exit notice on contract %(contract)s; its notice "
            "deadline is %(deadline)s."
        ) % {"contract": obj.contract, "deadline": long_date(deadline) if deadline else "—"}

    def summary(self, obj, due: date) -> str:
        deadline = self._notice_deadline(obj, due)
        return _("Decide before notice on %(contract)s is due on %(deadline)s") % {
            "contract": obj.contract.reference,
            "deadline": short_date(deadline) if deadline else "—",
        }

    def _notice_deadline(self, obj, due: date) -> date | None:
        """The notice deadline the decision is for: the first one on or after its date."""
        return obj.contract.next_notice_deadline(due)


class ExitDate(Trigger):
    """The last day of service of a process whose exit notice has been served."""

    kind = Kind.EXIT_DATE
    model = OutsourcedProcess
    due_order = "exit_date"

    def queryset(self):
        return OutsourcedProcess.objects.filter(exit_date__isnull=False)

    def with_people(self, queryset):
        return queryset.select_related("contract__provider", "owner", "lead")

    def due_date(self, obj, today):
        return obj.exit_date

    def recipients(self, obj):
        return [obj.owner, obj.lead]

    def addressed_to(self, user_id: int) -> Q:
        return Q(owner=user_id) | Q(lead=user_id)

    def unaddressed(self) -> Q:
        return nobody_active("owner") & nobody_active("lead")

    def headline(self, obj, due, today):
        return _("%(process)s leaves %(provider)s %(when)s: %(date)s") % {
            "process": obj,
            "provider": obj.contract.provider,
            "when": when(due, today),
            "date": long_date(due),
        }

    def summary(self, obj, due: date) -> str:
        return _("Last day of service under %(contract)s") % {"contract": obj.contract.reference}


class AssistanceEnd(Trigger):
    """The end of the termination assistance the provider owes after the exit date."""

    kind = Kind.ASSISTANCE_END
    model = OutsourcedProcess
    sources = {Contract: "contract"}  # the contract's months of assistance
    short_label = gettext_lazy("Assistance ends")

    def queryset(self):
        return OutsourcedProcess.objects.filter(
            exit_date__isnull=False, contract__exit_assistance_months__gt=0
        ).select_related("contract")

    def due_within(self, queryset: QuerySet, start: date | None, end: date) -> QuerySet:
        # Assistance ends months after the exit date, a number of months each contract sets:
        # only the upper bound is cheap in SQL; the lower one is checked after loading.
        return queryset.filter(exit_date__lte=end)

    def with_people(self, queryset):
        return queryset.select_related("contract__provider", "owner", "lead")

    def due_date(self, obj, today):
        return obj.contract.assistance_end(obj.exit_date)

    def recipients(self, obj):
        return [obj.owner, obj.lead]

    def addressed_to(self, user_id: int) -> Q:
        return Q(owner=user_id) | Q(lead=user_id)

    def unaddressed(self) -> Q:
        return nobody_active("owner") & nobody_active("lead")

    def headline(self, obj, due, today):
        return _("Termination assistance for %(process)s ends %(when)s: %(date)s") % {
            "process": obj,
            "when": when(due, today),
            "date": long_date(due),
        }

    def summary(self, obj, due: date) -> str:
        return _("End of termination assistance from %(provider)s") % {
            "provider": obj.contract.provider.name
        }
