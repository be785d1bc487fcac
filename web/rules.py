"""Who may download what the web app offers beyond the pages everyone reads."""

import rules

from accounts.predicates import is_operations_manager

# The field history of every audited model, for auditors: administrators and operations
# managers (docs/operations.md, "Privacy: staff personal data and audit history").
rules.add_perm("web.export_field_history", is_operations_manager)
