"""The admin offers import and export with the same resources, import to operations managers."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from contracts.models import Contract, ServiceProvider
from imports.resources import ContractResource, ServiceProviderResource, StaffMemberResource
from transition.models import StaffMember


@pytest.mark.parametrize(
    ("model", "resource"),
    [
        (ServiceProvider, ServiceProviderResource),
        (Contract, ContractResource),
        (StaffMember, StaffMemberResource),
    ],
)
def test_admins_use_the_natural_key_resources(model, resource):
    assert site._registry[model].resource_classes == [resource]


@pytest.mark.parametrize(("role", "allowed"), [("operations_manager", True), ("viewer", False)])
def test_admin_import_is_for_operations_managers(db, request, role, allowed):
    http_request = RequestFactory().get("/")
    http_request.user = request.getfixturevalue(role)

    assert site._registry[Contract].has_import_permission(http_request) is allowed


def test_an_admin_import_with_an_unknown_column_is_refused_whole(operations_manager):
    import tablib

    dataset = tablib.Dataset(["Acme", "DE", "?"], headers=["name", "country", "colour"])

    result = ServiceProviderResource().import_data(dataset, use_transactions=True)

    assert result.has_errors()
    assert "Unknown column: colour" in str(result.base_errors[0].error)
    assert not ServiceProvider.objects.exists()
