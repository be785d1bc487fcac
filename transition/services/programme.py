"""Writes to programmes and processes (operations managers only)."""

from backsourcing.domain import safe_delete, validated_save

from ..models import OutsourcedProcess, Programme


def programme_create(*, actor, **fields) -> Programme:
    return validated_save(Programme(), actor=actor, perm="transition.edit_programme", **fields)


def programme_update(*, programme: Programme, actor, **fields) -> Programme:
    return validated_save(programme, actor=actor, perm="transition.edit_programme", **fields)


def programme_delete(*, programme: Programme, actor) -> None:
    safe_delete(programme, actor=actor, perm="transition.edit_programme")


def process_create(*, actor, **fields) -> OutsourcedProcess:
    """Create a process; it always starts outsourced (the state is never a field input)."""
    fields.pop("state", None)
    return validated_save(
        OutsourcedProcess(), actor=actor, perm="transition.edit_process", **fields
    )


def process_update(*, process: OutsourcedProcess, actor, **fields) -> OutsourcedProcess:
    """Edit a process's details; the state moves only through `apply_transition`."""
    if "state" in fields:
        raise ValueError("The state changes only through apply_transition().")
    return validated_save(process, actor=actor, perm="transition.edit_process", **fields)


def process_delete(*, process: OutsourcedProcess, actor) -> None:
    safe_delete(process, actor=actor, perm="transition.edit_process")
