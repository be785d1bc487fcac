"""A deadline, and the base trigger that finds, dates, addresses and words deadlines of a kind."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Func, Model, Q, QuerySet, Subquery
from django.urls import NoReverseMatch
from django.utils.functional import Promise

from core.formats import relative_day

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

    @property
    def short_title(self) -> str:
        return self.trigger.short_title(self.obj)

    def is_overdue(self, today: date) -> bool:
        """Past its date and still owed (a late milestone), not merely history."""
        return self.due < today and self.trigger.overdue_label is not None

    def short_label(self, today: date) -> str:
        """The kind as a list names it: "Milestone overdue", "ELI due"."""
        trigger = self.trigger
        if self.is_overdue(today):
            return str(trigger.overdue_label)
        return str(trigger.short_label or self.label)

    def headline(self, today: date) -> str:
        return self.trigger.headline(self.obj, self.due, today)

    def detail(self) -> str:
        return self.trigger.detail(self.obj, self.due)

    def summary(self) -> str:
        return self.trigger.summary(self.obj, self.due)

    def path(self) -> str:
        """The object's page, or "" while no page exists for it (never an error)."""
        try:
            return self.trigger.path(self.obj)
        except NoReverseMatch:
            return ""


def nobody_active(field: str) -> Q:
    """`field` (a foreign key to a user) names nobody who is told: empty, or deactivated.

    Through a subquery of ids rather than a join, so the condition stays on the row's own
    column and its index."""
    inactive = get_user_model().objects.filter(is_active=False).values("pk")
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": inactive})


def window(field: str, queryset: QuerySet, start: date | None, end: date) -> QuerySet:
    """`queryset` narrowed to the rows whose `field` falls from `start` (None: any day
    before) to `end`: exact, for the kinds the database dates."""
    queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset if start is None else queryset.filter(**{f"{field}__gte": start})


# The wording of dates is core's (core/formats.py); re-exported for the triggers' modules.
when = relative_day


class Trigger:
    """Base of one kind of deadline; subclasses say which objects, which date, and who."""

    kind: str
    model: type[Model]
    # The kind as a list names it, when shorter than the `Reminder.Kind` label.
    short_label: str | Promise = ""
    # How a list names a deadline of this kind once its date has passed while it is still
    # owed (a late milestone); None for kinds whose passed date is simply history.
    overdue_label: str | Promise | None = None
    # The field a deadline of this kind is ordered by in SQL, set only where `due_within()`
    # is exact and the due date is that field or a fixed shift of it: then COUNT and
    # ORDER BY … LIMIT in the database agree with `deadlines_between()` (the dashboard's
    # capped lists, docs/performance.md). None where Python dates the kind (a contract's
    # decision dates need the date engine, and assistance ends months set per contract).
    due_order: str | None = None
    # The other models whose rows this kind's deadlines read, each with the lookup from this
    # kind's model to it: a change there re-plans the deadlines of the objects it reaches
    # (`objects_changed_by()`). A change to `model` itself needs no entry.
    sources: Mapping[type[Model], str] = {}

    def queryset(self) -> QuerySet:
        """The objects that have a deadline of this kind, with what the due date needs."""
        raise NotImplementedError

    def due_within(self, queryset: QuerySet, start: date | None, end: date) -> QuerySet:
        """`queryset` narrowed in SQL to the objects that can fall due from `start` (None:
        any day before) to `end`.

        Only a filter: it may keep objects due outside, whose dates are checked after
        loading. By default: exact on `due_order` where the due date is that field, and
        every object where the database cannot date the kind.
        """
        return queryset if self.due_order is None else window(self.due_order, queryset, start, end)

    def reads(self, model: type[Model]) -> bool:
        """Whether a change to a row of `model` can move a deadline of this kind."""
        return model is self.model or model in self.sources

    def objects_changed_by(self, model: type[Model], ids: Collection[int]) -> set[int]:
        """The ids of this kind's objects whose deadline a change to these rows of `model`
        can have moved: the rows themselves when `model` is this kind's (deleted ones too),
        else the objects reaching them through `sources`. One query per source model."""
        found = set(ids) if model is self.model else set()
        if model in self.sources:
            lookup = {f"{self.sources[model]}__in": list(ids)}
            rows = self.model._default_manager.filter(**lookup).order_by()
            found.update(rows.values_list("pk", flat=True))
        return found

    def with_people(self, queryset: QuerySet) -> QuerySet:
        """`queryset` with what recipients and wording read (only for rows sent or shown)."""
        return queryset

    def due_date(self, obj, today: date) -> date | None:
        raise NotImplementedError

    def recipients(self, obj) -> list:
        """The people the table names, before the fallback to operations managers."""
        raise NotImplementedError

    def addressed_to(self, user_id: int) -> Q:
        """The objects whose `recipients()` name this (active) user: the same rule in SQL,
        so a user's deadlines are found without reading everyone's
        (tests/reminders/test_calendar_concerns.py holds the two to each other)."""
        raise NotImplementedError

    def unaddressed(self) -> Q:
        """The objects whose `recipients()` name nobody active: the fallback group's."""
        raise NotImplementedError

    def concerning(self, user_id: int, *, fallback: bool) -> Q:
        """The objects whose deadline `resolve_recipients` sends to this active user;
        `fallback`: the user is an active member of the fallback group."""
        named = self.addressed_to(user_id)
        return named | self.unaddressed() if fallback else named

    def title(self, obj) -> str:
        return str(obj)

    def path(self, obj) -> str:
        """The page a deadline links to: by default the object's own."""
        return obj.get_absolute_url()

    def short_title(self, obj) -> str:
        """The object's own name, for a list whose summary line names its process."""
        return str(obj)

    def headline(self, obj, due: date, today: date) -> str:
        raise NotImplementedError

    def detail(self, obj, due: date) -> str:
        return ""

    def summary(self, obj, due: date) -> str:
        """One short line under the title in a list of deadlines (the dashboard)."""
        return ""

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def deadlines(
        self,
        today: date,
        pks: Iterable[int] | None = None,
        *,
        detailed: bool = True,
        where: Q | None = None,
        window: tuple[date | None, date] | None = None,
    ) -> Iterator[Deadline]:
        """Every current deadline of this kind as of `today` (only of `pks`, or of the
        objects matching `where`, or due within `window` (start, None: any day before, and
        end), when given), streamed.

        Without `detailed`, only due dates are right: the sweep plans from these cheaply.
        """
        queryset = self._select(detailed=detailed, where=where)
        if pks is not None:
            queryset = queryset.filter(pk__in=list(pks))
        if window is None:
            yield from self._dated(queryset.iterator(chunk_size=500), today)
            return
        start, end = window
        for deadline in self._dated(self.due_within(queryset, start, end).iterator(500), today):
            if (start is None or start <= deadline.due) and deadline.due <= end:
                yield deadline

    def deadlines_between(
        self,
        today: date,
        start: date | None,
        end: date,
        *,
        detailed: bool = True,
        where: Q | None = None,
    ) -> list[Deadline]:
        """The current deadlines of this kind as of `today` that fall due from `start` (None:
        any day before) to `end`, in one query (two with what the wording prefetches)."""
        return list(self.deadlines(today, detailed=detailed, where=where, window=(start, end)))

    def deadlines_matching(self, today: date, where: Q) -> list[Deadline]:
        """The current deadlines of this kind as of `today` of the objects matching `where`,
        detailed, in one query (two with what the wording prefetches) however many."""
        return list(self._dated(self._select(detailed=True, where=where), today))

    def first_and_count_between(
        self,
        today: date,
        start: date | None,
        end: date,
        *,
        limit: int,
        where: Q | None = None,
    ) -> tuple[list[Deadline], int]:
        """The first `limit` deadlines of `deadlines_between()` by due date, then key, and
        how many that window holds, in one query: ORDER BY … LIMIT, the window's size riding
        on every row as an uncorrelated `(SELECT COUNT(*) …)`, which the database runs once
        (kinds the database dates, with a `due_order`; their `due_within()` is exact).

        Not `COUNT(*) OVER ()`: a window over the joined rows makes the database build every
        row of the window, with its joins, before the LIMIT (150 ms for the 13,000 open
        milestones of dataset L's next 90 days, against a few for the count and an index
        scan of 25 rows: docs/performance.md)."""
        order = self._require_due_order()
        queryset = self.due_within(self._select(detailed=True, where=where), start, end)
        counted = queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
        rows = list(queryset.annotate(window_total=Subquery(counted)).order_by(order, "pk")[:limit])
        total = rows[0].window_total if rows else 0
        return list(self._dated(rows, today)), total

    def _require_due_order(self) -> str:
        if self.due_order is None:
            raise TypeError(
                f"{type(self).__name__} is dated in Python: read it with deadlines_between()."
            )
        return self.due_order

    def deadline_of(self, object_id: int, today: date) -> Deadline | None:
        """The current deadline of one object, or None when it no longer has one."""
        # A plain query, not `deadlines()`'s streaming cursor: one round trip for one row
        # (the sweep's batches call this for every reminder they deliver).
        queryset = self._select(detailed=True, where=None).filter(pk=object_id)
        return next(self._dated(list(queryset), today), None)

    def _select(self, *, detailed: bool, where: Q | None) -> QuerySet:
        # By key only: the models' default orderings join other tables for nothing here.
        queryset = self.queryset().order_by("pk")
        if detailed:
            queryset = self.with_people(queryset)
        if where is not None:
            queryset = queryset.filter(where)
        return queryset

    def _dated(self, objects: Iterable[Model], today: date) -> Iterator[Deadline]:
        for obj in objects:
            due = self.due_date(obj, today)
            if due is not None:
                yield Deadline(self.kind, obj, due)
