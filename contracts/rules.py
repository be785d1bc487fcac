"""Who may change the register of providers and contracts (docs/domain.md, Roles)."""

import rules

from accounts.predicates import is_operations_manager, is_project_lead

rules.add_perm("contracts.edit_register", is_operations_manager)
# Download a notice letter: whoever may serve exit notice (transition.serve_exit_notice).
rules.add_perm("contracts.serve_notice", is_operations_manager)


# Termination-assistance deliverables (docs/exit-management.md): operations managers edit
# all; a project lead those of a notice whose scope holds a process they lead. The object is
# a Deliverable or an ExitNotice; without one the rule denies. The processes live in the app
# above this one, so the rule reads them through the reverse relation `exit_notice.processes`.
EDIT_DELIVERABLE = "contracts.edit_deliverable"


def _notice_of(obj):
    if obj is None:
        return None
    return obj if hasattr(obj, "served_on") else getattr(obj, "exit_notice", None)


@rules.predicate
def leads_process_under_notice(user, obj) -> bool:
    notice = _notice_of(obj)
    if notice is None or notice.pk is None:
        return False
    # Cached on the notice: a page asking for each of its deliverables costs one query.
    leads = getattr(notice, "_scope_lead_ids", None)
    if leads is None:
        leads = set(notice.processes.values_list("lead_id", flat=True))
        notice._scope_lead_ids = leads
    return user.pk in leads


rules.add_perm(
    EDIT_DELIVERABLE, is_operations_manager | (is_project_lead & leads_process_under_notice)
)
