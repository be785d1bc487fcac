"""A deadline, and the base trigger that finds, dates, addresses and words deadlines of a kind."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Reminder

Kind = Reminder.Kind


@dataclass(frozen=True)
class Deadline:
    """A dated obligation of one object, as of one day."""

    kind: str
    obj: Model
    due: date

    @property
    def trigger(self) -> Trigger:
        from . import TRIGGERS  # the registry imports every trigger, and so this module

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
