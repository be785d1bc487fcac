"""Writes to programmes and processes (operations managers only)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from core.services import safe_delete, validated_save
from core.signals import announce_deadlines_changed
from core.types import User

from ..models import OutsourcedProcess, Programme


def programme_create(*, actor: User, **fields: Any) -> Programme:
    return validated_save(Programme(), actor=actor, perm="transition.edit_programme", **fields)


def programme_update(*, programme: Programme, actor: User, **fields: Any) -> Programme:
    return validated_save(programme, actor=actor, perm="transition.edit_programme", **fields)


def programme_delete(*, programme: Programme, actor: User) -> None:
    safe_delete(programme, actor=actor, perm="transition.edit_programme")


def process_create(*, actor: User, **fields: Any) -> OutsourcedProcess:
    """Create a process; it always starts outsourced (the state is never a field input)."""
    fields.pop("state", None)
    process = validated_save(
        OutsourcedProcess(), actor=actor, perm="transition.edit_process", **fields
    )
    announce_deadlines_changed(OutsourcedProcess, [process.pk])
    return process


def process_update(*, process: OutsourcedProcess, actor: User, **fields: Any) -> OutsourcedProcess:
    """Edit a process's details; the state moves only through `apply_transition`."""
    if "state" in fields:
        raise ValueError("The state changes only through apply_transition().")
    try:
        process = validated_save(process, actor=actor, perm="transition.edit_process", **fields)
    except ConcurrentTransition:
        # The save only writes where the state is still the one read; a transition got there
        # first, so this edit was made against a process that no longer exists as shown.
        process.refresh_from_db()
        raise ValidationError(
            _("The process changed state while you were editing it; reload and try again.")
        ) from None
    announce_deadlines_changed(OutsourcedProcess, [process.pk])
    return process


def process_delete(*, process: OutsourcedProcess, actor: User) -> None:
    safe_delete(process, actor=actor, perm="transition.edit_process")
