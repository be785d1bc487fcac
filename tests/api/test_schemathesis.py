"""Property-based tests of every API operation against the OpenAPI schema (schemathesis).

Runs in-process against the WSGI app as an authenticated operations manager: at least 50
generated examples per operation, no server error, no status code the schema does not document
and no response that breaks the schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import token_create
from backsourcing.wsgi import application
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application  # requests go through the WSGI app in this process


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request signals that would close the database
    connection holding the test's transaction; Django's test client disconnects them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(operations_manager):
    return token_create(user=operations_manager, name="schemathesis")[1]


@pytest.fixture
def data(operations_manager, project_lead):
    """A little of everything, so that ids 1, 2, … often exist and detail paths are exercised."""
    for _n in range(2):
        ContractFactory(owner=operations_manager)
        process = OutsourcedProcessFactory(owner=operations_manager, lead=project_lead)
        MilestoneFactory(process=process)
        AssetFactory(process=process)
        StaffMemberFactory(process=process)
        ReadinessAssessmentFactory(process=process, assessed_by=operations_manager)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.usefixtures("data")
def test_api_never_errors_and_always_matches_its_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
