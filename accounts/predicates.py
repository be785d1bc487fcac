"""Role and object predicates (django-rules) shared by every app's permission rules."""

import rules

from .roles import OPERATIONS_MANAGERS, PROJECT_LEADS

is_operations_manager = rules.is_superuser | rules.is_group_member(OPERATIONS_MANAGERS)
is_project_lead = rules.is_group_member(PROJECT_LEADS)


def process_of(obj):
    """The outsourced process an object belongs to (itself for a process), or None."""
    if obj is None:
        return None
    return obj if hasattr(obj, "lead_id") else getattr(obj, "process", None)


@rules.predicate
def leads_process(user, obj):
    # Denies without an object: FSM and admin fall back to has_perm(perm) with no object,
    # and a project lead must never gain a global right that way.
    process = process_of(obj)
    return process is not None and process.lead_id is not None and process.lead_id == user.pk


is_lead_of_process = is_project_lead & leads_process
