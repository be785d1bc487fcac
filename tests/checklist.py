"""The rows data migrations write, put back after a transactional test's flush.

pytest-django runs transactional tests (the browser suite, the concurrency tests) after the
others; each ends by flushing every table, which also empties what data migrations wrote:
the default termination-assistance checklist (contracts/migrations/0009). Tests that serve
notice through the pages or load the demo after such a flush call this first.
"""

import importlib

from django.apps import apps

CHECKLIST_MIGRATION = "contracts.migrations.0009_default_deliverable_checklist"


def restore_default_checklist() -> None:
    importlib.import_module(CHECKLIST_MIGRATION).create_checklist(apps, None)
