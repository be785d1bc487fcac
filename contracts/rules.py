"""Who may change the register of providers and contracts (docs/domain.md, Roles)."""

import rules

from accounts.predicates import is_operations_manager

rules.add_perm("contracts.edit_register", is_operations_manager)
# Download a notice letter: whoever may serve exit notice (transition.serve_exit_notice).
rules.add_perm("contracts.serve_notice", is_operations_manager)
