"""Hooks that lower layers send and higher layers connect to (docs/architecture.md).

A write that may move a deadline (a contract's terms, a process's state, a milestone's
due date, an import) announces it here instead of importing the reminders app, which
sits above it; `RemindersConfig.ready()` connects the re-planning. The signal carries no
business rule: receivers decide what to do.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent by every write path (services and imports) whose change may move a deadline, with
# `ids`: the rows of `sender` written, or None when the writer cannot say (an import).
deadlines_changed = Signal()


def announce_deadlines_changed(sender: type, ids: Iterable[int | None] | None = None) -> None:
    """Tell whoever listens that deadlines may have moved: `sender` is the model written and
    `ids` its rows (None: any of them). Sent inside the writer's transaction, so what a
    receiver records there commits or rolls back with the change (docs/reminders.md,
    "Planning only what changed")."""
    deadlines_changed.send(
        sender=sender, ids=None if ids is None else sorted({pk for pk in ids if pk is not None})
    )


# Sent by the demo loader (transition/demo) once the demo programme exists, with
# `programme`, `users` (role key → user) and `today`; apps above transition add their own
# demo rows (raid/demo.py) in the same transaction.
demo_programme_created = Signal()


# Sent by a purge of personal data (transition's staff purge; docs/operations.md, "Privacy:
# staff personal data and audit history") inside its transaction, with `ids`, the purged rows
# of `sender` (the model). Apps above scrub what they copied of those people: reminders
# deletes the in-app notifications whose title named them.
personal_data_purged = Signal()
