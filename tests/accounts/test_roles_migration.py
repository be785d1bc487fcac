"""The role groups migration: three groups, view rights for all, full rights for operations."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS, ROLE_GROUPS, VIEWERS

pytestmark = pytest.mark.django_db

role_groups = importlib.import_module("accounts.migrations.0001_role_groups")

DOMAIN_MODELS = [
    ("contracts", "serviceprovider"),
    ("contracts", "contract"),
    ("contracts", "contractdocument"),
    ("transition", "programme"),
    ("transition", "outsourcedprocess"),
    ("transition", "processevent"),
    ("transition", "milestone"),
    ("transition", "asset"),
    ("transition", "staffmember"),
    ("transition", "readinessassessment"),
]


def codenames(group_name: str) -> set[tuple[str, str]]:
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def expected(actions) -> set[tuple[str, str]]:
    return {(app, f"{action}_{model}") for app, model in DOMAIN_MODELS for action in actions}


def test_the_three_role_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUPS)
    assert set(ROLE_GROUPS) == {"Operations managers", "Project leads", "Viewers"}


def test_every_domain_model_has_its_four_permissions():
    for app, model in DOMAIN_MODELS:
        assert apps.get_model(app, model)
        for action in ("view", "add", "change", "delete"):
            assert Permission.objects.filter(
                content_type__app_label=app, codename=f"{action}_{model}"
            ).exists()


def test_operations_managers_have_full_rights_on_every_domain_model():
    assert codenames(OPERATIONS_MANAGERS) == expected(["view", "add", "change", "delete"])


@pytest.mark.parametrize("group_name", [PROJECT_LEADS, VIEWERS])
def test_project_leads_and_viewers_may_only_view(group_name):
    # A lead's rights on the processes they lead come from object rules, not table rights.
    assert codenames(group_name) == expected(["view"])


def migration_apps():
    """The historical models the migration runs with (never the live app registry)."""
    loader = MigrationLoader(connection)
    return loader.project_state(("accounts", "0001_role_groups")).apps


def test_running_the_migration_again_changes_nothing():
    before = {name: codenames(name) for name in ROLE_GROUPS}
    role_groups.create_role_groups(migration_apps(), None)
    assert {name: codenames(name) for name in ROLE_GROUPS} == before
    assert Group.objects.filter(name__in=ROLE_GROUPS).count() == 3


def test_reversing_removes_only_the_role_groups():
    Group.objects.create(name="Auditors")
    role_groups.remove_role_groups(migration_apps(), None)
    assert list(Group.objects.values_list("name", flat=True)) == ["Auditors"]
