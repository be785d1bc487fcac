"""Permission rules for reading and importing (docs/domain.md, Roles)."""

import rules

from .predicates import is_operations_manager

IMPORT_DATA = "accounts.import_data"

rules.add_perm("accounts.read", rules.is_authenticated)
rules.add_perm(IMPORT_DATA, is_operations_manager)
