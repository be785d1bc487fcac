"""A contract's change history, field by field, from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from core.changes import field_display
from core.types import AuthUser

from ..models import Contract, ServiceProvider

HISTORY_LIMIT = 25
HISTORY_HIDDEN = ["created_at", "updated_at"]


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: AuthUser | None  # None: no one signed in made the change, or the user is gone
    kind: str
    changes: list[Change]


def contract_history(contract: Contract, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes to a contract, newest first: who changed which field from what to what."""
    # One record more than shown, so the oldest shown one can still be diffed.
    records = list(
        contract.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    foreign_ids: dict[str, set[int]] = {"provider": set(), "owner": set()}
    pairs = []
    for index, newer in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        delta = newer.diff_against(older, excluded_fields=HISTORY_HIDDEN) if older else None
        pairs.append((newer, older, delta))
        for change in delta.changes if delta else ():
            if change.field in foreign_ids:
                foreign_ids[change.field].update(v for v in (change.old, change.new) if v)
    names = {
        "provider": dict(
            ServiceProvider.objects.filter(pk__in=foreign_ids["provider"]).values_list("pk", "name")
        )
        if foreign_ids["provider"]
        else {},
        "owner": {
            user.pk: user.get_full_name() or user.get_username()
            for user in get_user_model().objects.filter(pk__in=foreign_ids["owner"])
        }
        if foreign_ids["owner"]
        else {},
    }
    labels = {
        f.name: str(f.verbose_name)
        for f in Contract._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for record, older, delta in pairs:
        changes = []
        for change in delta.changes if delta else ():
            lookup = names.get(change.field)
            # A history delta is over the model's concrete fields.
            field = cast(models.Field, Contract._meta.get_field(change.field))
            old = lookup.get(change.old, change.old) if lookup else change.old
            new = lookup.get(change.new, change.new) if lookup else change.new
            changes.append(
                Change(
                    field=labels.get(change.field, change.field),
                    # Amounts in the currency of their own version of the contract.
                    old=field_display(field, old, currency=older.currency if older else ""),
                    new=field_display(field, new, currency=record.currency),
                )
            )
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                kind=kinds.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries
