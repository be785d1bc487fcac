"""Writes to programmes, processes and their plans; the workflow's single entry point."""

from .business_case import case_inputs_update
from .freezes import freeze_create, freeze_delete, freeze_update
from .notices import notice_serve, notice_withdraw
from .plan import (
    asset_save,
    milestone_complete,
    milestone_save,
    plan_item_delete,
    readiness_record,
    staff_save,
)
from .programme import (
    process_create,
    process_delete,
    process_update,
    programme_create,
    programme_delete,
    programme_update,
)
from .reschedule import (
    milestone_reschedule,
    milestone_reschedule_preview,
    milestone_reschedule_undo,
)
from .workflow import (
    TransitionBlocked,
    TransitionOption,
    UnknownTransition,
    apply_transition,
    available_transitions,
    transition_names,
)

__all__ = [
    "TransitionBlocked",
    "TransitionOption",
    "UnknownTransition",
    "apply_transition",
    "asset_save",
    "available_transitions",
    "freeze_create",
    "freeze_delete",
    "freeze_update",
    "milestone_complete",
    "milestone_reschedule",
    "milestone_reschedule_preview",
    "milestone_reschedule_undo",
    "milestone_save",
    "notice_serve",
    "notice_withdraw",
    "plan_item_delete",
    "process_create",
    "process_delete",
    "process_update",
    "programme_create",
    "programme_delete",
    "programme_update",
    "readiness_record",
    "staff_save",
    "transition_names",
    "case_inputs_update",
]
