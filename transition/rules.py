"""Who may do what with programmes and processes (docs/domain.md, Roles).

Object rules deny when no object is given, so a project lead never gains a global right
through a permission check that forgets the object.
"""

import rules

from accounts.predicates import is_lead_of_process, is_operations_manager

rules.add_perm("transition.edit_programme", is_operations_manager)
rules.add_perm("transition.edit_process", is_operations_manager)
# Milestones, assets, staff and readiness of a process; the object is the process or its child.
rules.add_perm("transition.edit_plan", is_operations_manager | is_lead_of_process)
rules.add_perm("transition.serve_exit_notice", is_operations_manager)
rules.add_perm("transition.withdraw_notice", is_operations_manager)
rules.add_perm("transition.run_transition", is_operations_manager | is_lead_of_process)
# Letting a go-live, cut-over or parallel run stay inside a change freeze (docs/plan.md).
rules.add_perm("transition.override_freeze", is_operations_manager)
# A programme's change-freeze periods: operations managers edit them; everyone reads them.
rules.add_perm("transition.edit_freeze", is_operations_manager)
# A process's parallel-run scorecard: its KPIs and their actuals (the object is the process).
rules.add_perm("transition.edit_scorecard", is_operations_manager | is_lead_of_process)
# Exit plans of a process: operations managers write them; everyone reads them. Rehearsals
# and their remediation actions: operations managers and the process's project lead.
rules.add_perm("transition.edit_exit_plan", is_operations_manager)
rules.add_perm("transition.record_rehearsal", is_operations_manager | is_lead_of_process)
# A staff record's personal data as a download (a GDPR access request): operations managers
# and administrators only (docs/operations.md, "Privacy: staff personal data and audit history").
rules.add_perm("transition.export_staff_personal_data", is_operations_manager)
