"""Writes to the RAID log: create or edit an item, delete one.

Operations managers may edit every item; a project lead the items of processes they lead
(raid/rules.py). Every write validates the whole item first (messages name the field) and
writes nothing when anything is wrong.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.services import require_perm, safe_delete, validated_save
from core.signals import announce_deadlines_changed
from core.types import User

from .models import RaidItem
from .rules import EDIT_RAID


@transaction.atomic
def raid_item_save(*, actor: User, item: RaidItem | None = None, **fields: Any) -> RaidItem:
    """Create or edit a RAID item of a process or a programme the actor may edit."""
    item = item or RaidItem()
    if item.pk is not None:
        # The stored subject decides too: moving an item away from a process needs the
        # right on that process, or a lead could take items from processes they do not lead.
        stored = RaidItem.objects.select_related("process").get(pk=item.pk)
        require_perm(actor, EDIT_RAID, stored)
    for name, value in fields.items():
        setattr(item, name, value)
    item = validated_save(item, actor=actor, perm=EDIT_RAID, perm_obj=item)
    announce_deadlines_changed(RaidItem, [item.pk])  # reminders follow the due date and status
    return item


@transaction.atomic
def raid_item_delete(*, actor: User, item: RaidItem) -> None:
    """Delete a RAID item (its history stays, as simple-history keeps deleted rows)."""
    pk = item.pk
    safe_delete(item, actor=actor, perm=EDIT_RAID, perm_obj=item)
    announce_deadlines_changed(RaidItem, [pk])
