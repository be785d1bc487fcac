"""Permission rules for reading and importing (docs/domain.md, Roles)."""

import rules

from .predicates import is_operations_manager

IMPORT_DATA = "accounts.import_data"

rules.add_perm("accounts.read", rules.is_authenticated)
rules.add_perm(IMPORT_DATA, is_operations_manager)


# Saved views (docs/saved-views.md): anyone signed in saves views of the lists they read,
# viewers too; only the owner changes one; a shared view is opened by everyone signed in;
# an administrator may delete any (a shared view nobody wants any more).
@rules.predicate
def owns_saved_view(user, saved_view):
    return saved_view is not None and saved_view.owner_id == user.pk


@rules.predicate
def saved_view_is_shared(user, saved_view):
    return saved_view is not None and saved_view.shared


SAVE_VIEW = "accounts.save_view"
CHANGE_SAVED_VIEW = "accounts.change_saved_view"
DELETE_SAVED_VIEW = "accounts.delete_saved_view"
OPEN_SAVED_VIEW = "accounts.open_saved_view"

rules.add_perm(SAVE_VIEW, rules.is_authenticated)
rules.add_perm(CHANGE_SAVED_VIEW, rules.is_authenticated & owns_saved_view)
rules.add_perm(DELETE_SAVED_VIEW, rules.is_authenticated & (owns_saved_view | rules.is_superuser))
rules.add_perm(OPEN_SAVED_VIEW, rules.is_authenticated & (owns_saved_view | saved_view_is_shared))
