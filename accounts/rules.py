"""Permission rules for reading and importing (docs/domain.md, Roles)."""

import rules

from .predicates import is_operations_manager

rules.add_perm("accounts.read", rules.is_authenticated)
rules.add_perm("accounts.import_data", is_operations_manager)
