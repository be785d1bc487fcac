"""Deadlines of a transition plan: milestones due, asset transfers due, and TUPE employee
liability information."""

from __future__ import annotations

from django.utils.translation import gettext as _

from transition.models import Asset, Milestone, StaffMember

from ..models import Reminder
from .base import Trigger, long_date, when

Kind = Reminder.Kind


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
