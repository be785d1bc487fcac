"""Writes to programmes, processes and their plans; the workflow's single entry point."""

from .business_case import case_inputs_update
from .exit_plans import (
    exit_plan_approve,
    exit_plan_draft_create,
    exit_plan_draft_delete,
    exit_plan_review,
    exit_plan_update,
    rehearsal_create,
    rehearsal_update,
    remediation_action_close,
    remediation_action_create,
    remediation_action_update,
)
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
from .scorecard import (
    kpi_actual_delete,
    kpi_actual_record,
    kpi_actual_save,
    kpi_actuals_record_period,
    kpi_create,
    kpi_delete,
    kpi_update,
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
    "exit_plan_approve",
    "exit_plan_draft_create",
    "exit_plan_draft_delete",
    "exit_plan_review",
    "exit_plan_update",
    "freeze_create",
    "freeze_delete",
    "freeze_update",
    "kpi_actual_delete",
    "kpi_actual_record",
    "kpi_actual_save",
    "kpi_actuals_record_period",
    "kpi_create",
    "kpi_delete",
    "kpi_update",
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
    "rehearsal_create",
    "rehearsal_update",
    "remediation_action_close",
    "remediation_action_create",
    "remediation_action_update",
    "staff_save",
    "transition_names",
    "case_inputs_update",
]
