"""Planning only what changed: the rows a write announced, kept until a sweep plans them.

A write that may move deadlines announces its rows (core.signals.deadlines_changed); the
receiver records them here in the writer's transaction, so they commit or roll back with
the change, and no broker outage loses one. The next sweep reads them, re-plans the
deadlines of the objects they reach (each trigger's `objects_changed_by()`), and deletes
exactly the rows it read (docs/reminders.md, "Planning only what changed").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model

from ..models import PlanChange
from ..triggers import TRIGGERS

# The objects of each kind whose deadlines to re-plan: their ids, or None for all of them.
Scope = dict[str, set[int] | None]


def plan_changes_record(*, model: type[Model], ids: Collection[int] | None) -> bool:
    """Record that these rows of `model` (None: any of its rows) changed; False, recording
    nothing, when no kind of deadline reads `model` or no row is named."""
    if (ids is not None and not ids) or not any(t.reads(model) for t in TRIGGERS.values()):
        return False
    label = model._meta.label_lower
    PlanChange.objects.bulk_create(
        [PlanChange(model=label, object_id=pk) for pk in ids]
        if ids is not None
        else [PlanChange(model=label)]
    )
    return True


@dataclass
class Changes:
    """The recorded changes a sweep read: their rows, and the deadlines they reach."""

    row_ids: list[int] = field(default_factory=list)
    scope: Scope = field(default_factory=dict)


def plan_changes_read(*, reach: bool = True) -> Changes:
    """Every recorded change, and (with `reach`) the objects of each kind whose deadlines it
    may have moved: one query, plus one per (model, other model) a change reaches through
    `sources`. A whole plan needs only the rows, to forget them."""
    changes = Changes()
    if not reach:
        changes.row_ids = list(PlanChange.objects.values_list("pk", flat=True))
        return changes
    by_model: dict[type[Model], set[int] | None] = {}
    rows = PlanChange.objects.order_by().values_list("pk", "model", "object_id")
    for pk, label, object_id in rows:
        changes.row_ids.append(pk)
        try:
            model = apps.get_model(label)
        except LookupError:  # a model since removed: nothing reads it any more
            continue
        if object_id is None:
            by_model[model] = None
        elif (ids := by_model.setdefault(model, set())) is not None:
            ids.add(object_id)
    # Kinds of one model reach a changed model by the same lookup: read it once.
    reached: dict[tuple[type[Model], type[Model], str | None], set[int]] = {}
    for model, ids in by_model.items():
        for trigger in TRIGGERS.values():
            if not trigger.reads(model):
                continue
            if ids is None:
                changes.scope[trigger.kind] = None
            elif (found := changes.scope.setdefault(trigger.kind, set())) is not None:
                key = (trigger.model, model, trigger.sources.get(model))
                if key not in reached:
                    reached[key] = trigger.objects_changed_by(model, ids)
                found.update(reached[key])
    return changes


def plan_changes_forget(row_ids: list[int]) -> None:
    """Delete the changes a sweep has planned: exactly those it read, never one recorded
    while it ran (that one waits for the next sweep)."""
    for start in range(0, len(row_ids), 1000):
        PlanChange.objects.filter(pk__in=row_ids[start : start + 1000]).delete()
