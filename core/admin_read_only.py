"""Records the admin shows but never adds, edits or deletes: a log, the legal record, what a
workflow writes (docs/admin.md)."""


class ReadOnlyAdminMixin:
    """No add, change or delete permission in the admin, whoever asks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
