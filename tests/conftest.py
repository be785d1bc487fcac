"""Shared fixtures: role users, and skipping (or failing) tests whose services are absent."""

import importlib

import pytest
import time_machine

from tests import services
from tests.clock import TODAY
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _require_services(request):
    """Skip a test whose service is absent, or fail it when REQUIRE_SERVICES=1 (CI)."""
    for marker in services.MARKERS:
        if request.node.get_closest_marker(marker) is not None:
            services.require(marker)


@pytest.fixture(autouse=True)
def _role_groups_after_flush(request):
    """Transactional tests end with a flush that empties every table, and data migrations do
    not run again; put the role groups back as their migration made them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    importlib.import_module("accounts.migrations.0001_role_groups").create_role_groups(apps, None)


@pytest.fixture
def operations_manager(db):
    return UserFactory(username="olivia", role="Operations managers")


@pytest.fixture
def project_lead(db):
    return UserFactory(username="liam", role="Project leads")


@pytest.fixture
def other_lead(db):
    return UserFactory(username="lena", role="Project leads")


@pytest.fixture
def viewer(db):
    return UserFactory(username="vera", role="Viewers")


@pytest.fixture
def frozen_today():
    """Stop the clock at the start of tests.clock.TODAY."""
    with time_machine.travel(TODAY, tick=False):
        yield
