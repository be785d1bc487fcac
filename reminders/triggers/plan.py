"""Deadlines of a transition plan: milestones due, asset transfers due, and TUPE employee
liability information."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import long_date, short_date
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember
from transition.models.plan import ELI_LEAD_DAYS

from ..models import Reminder
from .base import Trigger, nobody_active, when

Kind = Reminder.Kind


def led_by(user_id: int) -> QuerySet:
    """The ids of the processes this user leads (a subquery, for the plan's kinds)."""
    return OutsourcedProcess.objects.filter(lead=user_id).values("pk")


def unled() -> QuerySet:
    """The ids of the processes without an active lead."""
    return OutsourcedProcess.objects.filter(nobody_active("lead")).values("pk")


class MilestoneDue(Trigger):
    """An open milestone's due date; overdue reminders repeat until it is done."""

    kind = Kind.MILESTONE_DUE
    model = Milestone
    overdue_label = gettext_lazy("Milestone overdue")
    due_order = "due_date"

    def queryset(self):
        return Milestone.objects.open()

    def with_people(self, queryset):
        return queryset.select_related("owner", "process__lead")

    def due_date(self, obj, today):
        return obj.due_date

    def recipients(self, obj):
        if obj.owner is not None and obj.owner.is_active:
            return [obj.owner]
        return [obj.process.lead]

    def addressed_to(self, user_id: int) -> Q:
        return Q(owner=user_id) | (nobody_active("owner") & Q(process__in=led_by(user_id)))

    def unaddressed(self) -> Q:
        return nobody_active("owner") & Q(process__in=unled())

    def title(self, obj):
        return f"{obj} ({obj.process})"

    def summary(self, obj, due: date) -> str:
        owner = obj.owner
        return _("%(process)s · %(owner)s") % {
            "process": obj.process.name,
            "owner": (owner.get_full_name() or owner.get_username()) if owner else _("no owner"),
        }

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
    overdue_label = gettext_lazy("Asset transfer overdue")
    due_order = "transfer_due"

    def queryset(self):
        return Asset.objects.open().filter(transfer_due__isnull=False)

    def with_people(self, queryset):
        return queryset.select_related("process__lead")

    def due_date(self, obj, today):
        return obj.transfer_due

    def recipients(self, obj):
        return [obj.process.lead]

    def addressed_to(self, user_id: int) -> Q:
        return Q(process__in=led_by(user_id))

    def unaddressed(self) -> Q:
        return Q(process__in=unled())

    def title(self, obj):
        return f"{obj} ({obj.process})"

    def summary(self, obj, due: date) -> str:
        return _("%(process)s · %(method)s") % {
            "process": obj.process.name,
            "method": obj.get_transfer_method_display(),
        }

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
    short_label = gettext_lazy("ELI due")
    due_order = "planned_start"  # due a fixed number of days before it

    def queryset(self):
        return StaffMember.objects.eli_pending()

    def due_within(self, queryset: QuerySet, start: date | None, end: date) -> QuerySet:
        # Due a fixed number of days before the planned start (StaffMember.eli_due_date).
        lead = timedelta(days=ELI_LEAD_DAYS)
        queryset = queryset.filter(planned_start__lte=end + lead)
        return queryset if start is None else queryset.filter(planned_start__gte=start + lead)

    def with_people(self, queryset):
        return queryset.select_related("process__lead")

    def due_date(self, obj, today):
        return obj.eli_due_date

    def recipients(self, obj):
        return [obj.process.lead]

    def addressed_to(self, user_id: int) -> Q:
        return Q(process__in=led_by(user_id))

    def unaddressed(self) -> Q:
        return Q(process__in=unled())

    def title(self, obj):
        return f"{obj} ({obj.process})"

    def summary(self, obj, due: date) -> str:
        return _(
            "Employee liability information before the TUPE transfer on %(start)s · %(process)s"
        ) % {"start": short_date(obj.planned_start), "process": obj.process.name}

    def headline(self, obj, due, today):
        return _(
            "Employee liability information for %(name)s (%(process)s) is due %(when)s: %(date)s"
        ) % {"name": obj, "process": obj.process, "when": when(due, today), "date": long_date(due)}

    def detail(self, obj, due):
        return _(
            "Under TUPE the provider must give it at least 28 days before the transfer on "
            "%(start)s."
        ) % {"start": long_date(obj.planned_start)}
