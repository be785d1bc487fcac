"""Deadlines of the RAID log: the due date of an open risk, assumption, issue or decision
(raid/models.py); overdue ones keep reminding until the item is closed."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import long_date
from raid.models import HIGH_RISK_SCORE, RaidItem

from ..models import Reminder
from .base import Trigger, nobody_active, when
from .plan import led_by, unled

Kind = Reminder.Kind


def subject_name(obj: RaidItem) -> str:
    """The process or the programme whose log holds the item."""
    subject = obj.subject
    return subject.name if subject is not None else ""


def owner_name(obj: RaidItem) -> str:
    owner = obj.owner
    return (owner.get_full_name() or owner.get_username()) if owner else _("no owner")


class RaidItemDue(Trigger):
    """An open RAID item's due date (the next mitigation, fix, validation or decision):
    told to its owner, else its process's lead, else the fallback group; overdue reminders
    repeat until it is closed."""

    kind = Kind.RAID_ITEM_DUE
    model = RaidItem
    overdue_label = gettext_lazy("RAID item overdue")
    due_order = "due_date"

    def queryset(self):
        # `RaidItemQuerySet.open()`: the status test the RAID log's pages and dashboard use.
        return RaidItem.objects.open().filter(due_date__isnull=False)

    def with_people(self, queryset):
        return queryset.select_related("owner", "process__lead", "programme")

    def due_date(self, obj, today):
        return obj.due_date

    def recipients(self, obj):
        if obj.owner is not None and obj.owner.is_active:
            return [obj.owner]
        # A programme's own items have nobody else named: the fallback group is told.
        return [obj.process.lead] if obj.process is not None else []

    def addressed_to(self, user_id: int) -> Q:
        return Q(owner=user_id) | (nobody_active("owner") & Q(process__in=led_by(user_id)))

    def unaddressed(self) -> Q:
        # `process__in` is never true for a programme's item (no process), hence its own term.
        return nobody_active("owner") & (Q(process__isnull=True) | Q(process__in=unled()))

    def title(self, obj):
        return f"{obj} ({subject_name(obj)})"

    def short_title(self, obj):
        return str(obj)

    def summary(self, obj, due: date) -> str:
        return _("%(kind)s · %(subject)s · %(owner)s") % {
            "kind": obj.get_kind_display(),
            "subject": subject_name(obj),
            "owner": owner_name(obj),
        }

    def headline(self, obj, due, today):
        values = {
            "kind": obj.get_kind_display(),
            "title": obj,
            "subject": subject_name(obj),
            "date": long_date(due),
        }
        if due < today:
            return _("%(kind)s “%(title)s” of %(subject)s is overdue: it was due %(date)s") % values
        return _("%(kind)s “%(title)s” of %(subject)s is due %(when)s: %(date)s") % {
            **values,
            "when": when(due, today),
        }

    def detail(self, obj, due):
        text = _("In the RAID log of %(subject)s, owned by %(owner)s; status: %(status)s.") % {
            "subject": subject_name(obj),
            "owner": owner_name(obj),
            "status": obj.get_status_display(),
        }
        if obj.rating is not None:
            rating = {"score": obj.rating, "probability": obj.probability, "impact": obj.impact}
            if obj.rating >= HIGH_RISK_SCORE:
                text += (
                    " "
                    + _(
                        "A high risk: score %(score)s (probability %(probability)s × impact "
                        "%(impact)s)."
                    )
                    % rating
                )
            else:
                text += (
                    " "
                    + _("Risk score %(score)s (probability %(probability)s × impact %(impact)s).")
                    % rating
                )
        return text
