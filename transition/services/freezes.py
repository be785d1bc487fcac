"""Writes to a programme's change-freeze periods (operations managers only).

A freeze changed or added later never rewrites the milestones already saved: those inside
it show as `inside_freeze` findings on the process and programme pages until someone
moves them or an operations manager overrides (docs/plan.md, "Change freezes").
"""

from __future__ import annotations

from typing import Any

from core.services import safe_delete, validated_save
from core.types import AuthUser, User

from ..models import ChangeFreeze

EDIT_FREEZE = "transition.edit_freeze"


def freeze_create(*, actor: AuthUser, **fields: Any) -> ChangeFreeze:
    """Add a freeze; one ending before it starts is refused naming both dates."""
    return validated_save(ChangeFreeze(created_by=actor), actor=actor, perm=EDIT_FREEZE, **fields)


def freeze_update(*, freeze: ChangeFreeze, actor: User, **fields: Any) -> ChangeFreeze:
    """Edit a freeze; it stays in its programme."""
    fields.pop("programme", None)
    return validated_save(freeze, actor=actor, perm=EDIT_FREEZE, **fields)


def freeze_delete(*, freeze: ChangeFreeze, actor: User) -> None:
    safe_delete(freeze, actor=actor, perm=EDIT_FREEZE)
