"""Field history for auditors: every change django-simple-history recorded, as rows
(docs/operations.md, "Privacy: staff personal data and audit history").

Read from each history table in turn, object by object, oldest first, so a change's "old"
value is the record before it even when that record is older than the range asked for.
Values are as stored (ids for related rows, ISO dates, decimal text): an auditor compares
them with the database, not with a page. The staff history of purged people is gone from
the tables (transition.services.privacy), so it is never in these rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from core.clock import day_start

HEADERS = (
    "changed_at",
    "model",
    "object_id",
    "change",
    "field",
    "old_value",
    "new_value",
    "changed_by",
    "reason",
)
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
CHUNK = 2000


def audited_models() -> dict[str, type[models.Model]]:
    """The models with a field history, by label (`transition.staffmember`), sorted."""
    found = {
        model._meta.label_lower: model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    }
    return dict(sorted(found.items()))


def field_change_rows(
    *, label: str | None = None, since: date | None = None, until: date | None = None
) -> Iterator[tuple[Any, ...]]:
    """One row per changed field (per set field for a creation, one row for a deletion),
    for one model or all of them, with changes on local days `since`..`until` inclusive."""
    models_by_label = audited_models()
    labels = [label] if label else list(models_by_label)
    start = day_start(since) if since else None
    end = day_start(until + timedelta(days=1)) if until else None
    for name in labels:
        yield from _model_rows(name, models_by_label[name], start, end)


def _model_rows(
    label: str, model: type[models.Model], start: datetime | None, end: datetime | None
) -> Iterator[tuple[Any, ...]]:
    manager = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
    historical = manager.model
    # (name, attribute): a creation's rows name fields as diff_against names changes.
    tracked = [(field.name, field.attname) for field in historical.tracked_fields]
    # The object's key in its history rows: `id`, or a one-to-one's column (a business case).
    key = model._meta.pk.attname
    tracked = [(name, attname) for name, attname in tracked if attname != key]
    records = historical.objects.all()
    if end is not None:
        records = records.filter(history_date__lt=end)
    if start is not None:
        # Whole histories of the objects changed in range: their earlier records give "old".
        in_range = historical.objects.filter(history_date__gte=start)
        if end is not None:
            in_range = in_range.filter(history_date__lt=end)
        records = records.filter(**{f"{key}__in": in_range.values(key)})
    records = records.select_related("history_user").order_by(key, "history_date", "history_id")
    previous = None
    for record in records.iterator(chunk_size=CHUNK):
        same = previous is not None and getattr(previous, key) == getattr(record, key)
        before = previous if same else None
        previous = record
        if start is not None and record.history_date < start:
            continue
        yield from _record_rows(label, record, getattr(record, key), before, tracked)


def _record_rows(
    label: str, record: Any, object_id: Any, before: Any, tracked: list[tuple[str, str]]
) -> Iterator[tuple[Any, ...]]:
    user = record.history_user
    common = (
        timezone.localtime(record.history_date).isoformat(),
        label,
        object_id,
        CHANGE_TYPES.get(record.history_type, record.history_type),
    )
    tail = (user.get_username() if user else "", record.history_change_reason or "")
    if record.history_type == "-":
        yield (*common, "", "", "", *tail)
    elif before is None:
        for name, attname in tracked:
            value = getattr(record, attname)
            if value not in (None, ""):
                yield (*common, name, "", _text(value), *tail)
    else:
        for change in record.diff_against(before).changes:
            yield (*common, change.field, _text(change.old), _text(change.new), *tail)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
