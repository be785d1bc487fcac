"""Every resource × role × method answers as on the pages (docs/domain.md, Roles)."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import ROLES
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from transition.models import Asset, Milestone, ReadinessAssessment, StaffMember

REGISTER = ("providers", "contracts", "programmes", "processes")
PLAN = ("milestones", "assets", "staff", "readiness-assessments")
# Who may write: the register and processes only operations managers; a plan also its lead.
WRITERS = {
    **{resource: {"operations_manager"} for resource in REGISTER},
    **{resource: {"operations_manager", "project_lead"} for resource in PLAN},
}


def create_payload(resource, process, operations_manager):
    return {
        "providers": {"name": "Newco", "country": "FR"},
        "contracts": {
            "provider": process.contract.provider_id,
            "reference": "C-NEW",
            "title": "New agreement",
            "owner": operations_manager.pk,
            "start_date": "2025-01-01",
            "end_date": "2027-12-31",
            "renewal": "none",
            "notice_period": 3,
            "notice_unit": "months",
            "annual_value": "1000.00",
            "currency": "EUR",
        },
        "programmes": {"name": "Next", "start_date": "2026-01-01", "target_date": "2027-01-01"},
        "processes": {
            "programme": process.programme_id,
            "contract": process.contract_id,
            "name": "Payroll",
            "category": "finance",
            "owner": operations_manager.pk,
        },
        "milestones": {"process": process.pk, "title": "Go-live", "due_date": "2027-05-01"},
        "assets": {
            "process": process.pk,
            "name": "Scanner",
            "category": "equipment",
            "transfer_method": "buy_out",
        },
        "staff": {"process": process.pk, "name": "Bob", "role": "Clerk", "route": "new_hire"},
        "readiness-assessments": {
            "process": process.pk,
            "expertise": 3,
            "workforce": 4,
            "infrastructure": 4,
            "systems_data": 4,
            "processes_controls": 5,
        },
    }[resource]


PATCHES = {
    "providers": {"notes": "Renegotiated"},
    "contracts": {"title": "Renamed"},
    "programmes": {"description": "Phase two"},
    "processes": {"description": "Warehouse and returns"},
    "milestones": {"title": "Planning done"},
    "assets": {"tag": "FL-9"},
    "staff": {"role": "Team lead"},
}


def existing(resource, process):
    """An object of the resource that can be read, edited and deleted."""
    if resource == "providers":
        return ServiceProviderFactory(name="Spare provider")
    if resource == "contracts":
        return ContractFactory(provider=process.contract.provider, reference="C-SPARE")
    if resource == "programmes":
        return ProgrammeFactory(name="Spare programme")
    if resource == "processes":
        return OutsourcedProcessFactory(
            programme=process.programme, contract=process.contract, lead=process.lead
        )
    model = {
        "milestones": Milestone,
        "assets": Asset,
        "staff": StaffMember,
        "readiness-assessments": ReadinessAssessment,
    }[resource]
    return model.objects.get(process=process)


@pytest.fixture
def as_role(request, client_for):
    def make(role) -> APIClient:
        return client_for(request.getfixturevalue(role))

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", REGISTER + PLAN)
def test_everyone_reads_every_resource(as_role, process, resource, role):
    client = as_role(role)
    obj = existing(resource, process)

    assert client.get(f"/api/v1/{resource}/").status_code == 200
    assert client.get(f"/api/v1/{resource}/{obj.pk}/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", REGISTER + PLAN)
def test_create_is_allowed_only_to_writers(as_role, process, operations_manager, resource, role):
    payload = create_payload(resource, process, operations_manager)

    response = as_role(role).post(f"/api/v1/{resource}/", payload, format="json")

    expected = 201 if role in WRITERS[resource] else 403
    assert response.status_code == expected, response.data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", tuple(PATCHES))
def test_edit_is_allowed_only_to_writers(as_role, process, resource, role):
    obj = existing(resource, process)
    field, value = next(iter(PATCHES[resource].items()))

    response = as_role(role).patch(
        f"/api/v1/{resource}/{obj.pk}/", PATCHES[resource], format="json"
    )

    if role in WRITERS[resource]:
        assert response.status_code == 200, response.data
        obj.refresh_from_db()
        assert getattr(obj, field) == value
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", REGISTER + PLAN)
def test_delete_is_allowed_only_to_writers(as_role, process, resource, role):
    obj = existing(resource, process)

    response = as_role(role).delete(f"/api/v1/{resource}/{obj.pk}/")

    expected = 204 if role in WRITERS[resource] else 403
    assert response.status_code == expected
    assert type(obj).objects.filter(pk=obj.pk).exists() == (expected == 403)


@pytest.mark.parametrize("role", ROLES)
def test_readiness_assessments_are_never_edited(as_role, process, role):
    obj = existing("readiness-assessments", process)

    response = as_role(role).patch(
        f"/api/v1/readiness-assessments/{obj.pk}/", {"expertise": 1}, format="json"
    )

    # Roles that can never write a plan are refused first; plan writers learn there is no edit.
    assert response.status_code == (403 if role == "viewer" else 405)


@pytest.mark.parametrize("resource", PLAN)
def test_a_lead_cannot_add_to_a_plan_of_a_process_led_by_someone_else(
    client_for, process, project_lead, other_lead, operations_manager, resource
):
    process.lead = other_lead
    process.save()

    response = client_for(project_lead).post(
        f"/api/v1/{resource}/", create_payload(resource, process, operations_manager), format="json"
    )

    assert response.status_code == 403


def test_a_lead_cannot_move_a_plan_item_to_a_process_they_do_not_lead(
    client_for, process, project_lead
):
    elsewhere = OutsourcedProcessFactory(programme=process.programme, contract=process.contract)
    milestone = Milestone.objects.get(process=process)

    response = client_for(project_lead).patch(
        f"/api/v1/milestones/{milestone.pk}/", {"process": elsewhere.pk}, format="json"
    )

    assert response.status_code == 400
    assert Milestone.objects.get(pk=milestone.pk).process == process


@pytest.mark.parametrize("resource", REGISTER + PLAN + ("notifications",))
def test_anonymous_requests_are_refused(db, resource):
    assert APIClient().get(f"/api/v1/{resource}/").status_code in (401, 403)
