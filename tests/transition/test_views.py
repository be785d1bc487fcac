"""Transition pages: who may see and do what, and the create/edit/delete forms."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import Asset, Milestone, OutsourcedProcess, Programme, StaffMember

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def plan(project_lead, operations_manager):
    """A process led by `project_lead`, with one item of each kind."""
    process = OutsourcedProcessFactory(lead=project_lead, owner=operations_manager)
    return {
        "process": process,
        "programme": process.programme,
        "milestone": MilestoneFactory(process=process),
        "asset": AssetFactory(process=process),
        "staff": StaffMemberFactory(process=process),
        "readiness": ReadinessAssessmentFactory(process=process),
    }


def url_for(name: str, plan: dict) -> str:
    """The URL of page `name` for the objects of `plan`."""
    objects = {
        "programme": plan["programme"],
        "process": plan["process"],
        "milestone": plan["milestone"],
        "asset": plan["asset"],
        "staff": plan["staff"],
    }
    model, _, action = name.partition("_")
    if name == "readiness_create":
        return reverse("transition:readiness_create", args=[plan["process"].pk])
    if action in ("list", "board") or name in ("programme_create", "process_create"):
        return reverse(f"transition:{name}")
    if action == "create":
        return reverse(f"transition:{name}") + f"?process={plan['process'].pk}"
    if name == "programme_gantt":
        return reverse("transition:programme_gantt", args=[plan["programme"].pk])
    return reverse(f"transition:{name}", args=[objects[model].pk])


READ_PAGES = [
    "programme_list",
    "programme_detail",
    "programme_gantt",
    "programme_business_case",
    "process_list",
    "process_detail",
    "process_business_case",
    "process_business_case_xlsx",
    "process_board",
    "milestone_list",
    "milestone_detail",
    "asset_list",
    "asset_detail",
    "staff_list",
    "staff_detail",
]
MANAGER_PAGES = [
    "programme_create",
    "programme_update",
    "programme_delete",
    "process_create",
    "process_update",
    "process_delete",
    "process_business_case_update",
]
PLAN_PAGES = [
    "milestone_create",
    "milestone_update",
    "milestone_delete",
    "asset_create",
    "asset_update",
    "asset_delete",
    "staff_create",
    "staff_update",
    "staff_delete",
    "readiness_create",
]


@pytest.mark.parametrize("name", READ_PAGES + MANAGER_PAGES + PLAN_PAGES)
def test_every_page_sends_anonymous_visitors_to_the_login(client, plan, name):
    response = client.get(url_for(name, plan))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize("role", ["viewer", "project_lead", "operations_manager"])
def test_every_role_reads_every_page(client, request, plan, name, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url_for(name, plan)).status_code == 200


@pytest.mark.parametrize("name", MANAGER_PAGES)
@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("project_lead", 403), ("operations_manager", 200)]
)
def test_only_operations_managers_edit_programmes_and_processes(
    client, request, plan, name, role, status
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url_for(name, plan)).status_code == status


@pytest.mark.parametrize("name", PLAN_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer", 403), ("other_lead", 403), ("project_lead", 200), ("operations_manager", 200)],
)
def test_plans_are_edited_by_their_lead_and_operations_managers(
    client, request, plan, name, role, status
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url_for(name, plan)).status_code == status


def test_a_lead_without_processes_cannot_open_a_blank_plan_form(client, other_lead, plan):
    client.force_login(other_lead)

    assert client.get(reverse("transition:milestone_create")).status_code == 403


def test_a_viewer_posting_a_plan_item_is_refused(client, viewer, plan):
    client.force_login(viewer)

    response = client.post(
        reverse("transition:asset_create") + f"?process={plan['process'].pk}",
        {"process": plan["process"].pk, "name": "Forklift", "category": "equipment"},
    )

    assert response.status_code == 403
    assert not Asset.objects.filter(name="Forklift").exists()


def test_a_viewer_sees_no_edit_buttons(client, viewer, plan):
    client.force_login(viewer)

    page = client.get(url_for("process_detail", plan)).content.decode()

    assert reverse("transition:process_update", args=[plan["process"].pk]) not in page
    assert "Add milestone" not in page
    assert "Record assessment" not in page
    assert reverse("transition:milestone_complete", args=[plan["milestone"].pk]) not in page


def test_the_lead_is_offered_plan_edits_but_not_process_edits(client, project_lead, plan):
    client.force_login(project_lead)

    page = client.get(url_for("process_detail", plan)).content.decode()

    assert "Add milestone" in page
    assert "Record assessment" in page
    assert reverse("transition:process_update", args=[plan["process"].pk]) not in page


# Programmes


def test_an_operations_manager_creates_a_programme(client, operations_manager):
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:programme_create"),
        {
            "name": "Bring IT home",
            "description": "",
            "sponsor": operations_manager.pk,
            "start_date": "2026-01-01",
            "target_date": "2027-06-30",
            "budget": "500000",
        },
    )

    programme = Programme.objects.get(name="Bring IT home")
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    assert programme.budget == Decimal("500000")


def test_a_programme_ending_before_it_starts_is_refused_next_to_the_field(
    client, operations_manager
):
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:programme_create"),
        {
            "name": "Backwards",
            "start_date": "2027-01-01",
            "target_date": "2026-01-01",
            "budget": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["target_date"] == [
        "The target date cannot be before the start."
    ]


def test_deleting_a_programme_with_processes_is_refused_with_a_message(
    client, operations_manager, plan
):
    client.force_login(operations_manager)

    response = client.post(url_for("programme_delete", plan), follow=True)

    assert Programme.objects.filter(pk=plan["programme"].pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("cannot be deleted" in m and "outsourced processes" in m for m in messages)


def test_an_empty_programme_can_be_deleted(client, operations_manager):
    programme = ProgrammeFactory()
    client.force_login(operations_manager)

    response = client.post(reverse("transition:programme_delete", args=[programme.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("transition:programme_list")
    assert not Programme.objects.filter(pk=programme.pk).exists()


# Processes


def process_data(programme, contract, owner, **overrides):
    data = {
        "programme": programme.pk,
        "contract": contract.pk,
        "name": "Warehouse",
        "description": "",
        "category": "fulfilment",
        "criticality": "high",
        "owner": owner.pk,
        "lead": "",
        "annual_outsourced_cost": "100000",
        "projected_inhouse_annual_cost": "80000",
        "one_off_transition_cost": "50000",
        "target_in_house_date": "",
    }
    data.update(overrides)
    return data


def test_a_new_process_starts_outsourced(client, operations_manager):
    client.force_login(operations_manager)
    programme, contract = ProgrammeFactory(), ContractFactory()

    response = client.post(
        reverse("transition:process_create"), process_data(programme, contract, operations_manager)
    )

    process = OutsourcedProcess.objects.get(name="Warehouse")
    assert response["Location"] == process.get_absolute_url()
    assert process.state == OutsourcedProcess.State.OUTSOURCED


def test_a_process_owner_must_be_an_operations_manager(client, operations_manager, project_lead):
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:process_create"),
        process_data(ProgrammeFactory(), ContractFactory(), project_lead),
    )

    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not OutsourcedProcess.objects.filter(name="Warehouse").exists()


def test_a_negative_cost_is_refused_next_to_its_field(client, operations_manager):
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:process_create"),
        process_data(
            ProgrammeFactory(),
            ContractFactory(),
            operations_manager,
            annual_outsourced_cost="-5",
        ),
    )

    assert "annual_outsourced_cost" in response.context["form"].errors


def test_editing_a_process_never_changes_its_state(client, operations_manager, plan):
    process = plan["process"]
    client.force_login(operations_manager)

    client.post(
        url_for("process_update", plan),
        process_data(
            process.programme,
            process.contract,
            operations_manager,
            name="Renamed",
            lead=process.lead_id,
            state="in_house",
        ),
    )

    process.refresh_from_db()
    assert process.name == "Renamed"
    assert process.state == OutsourcedProcess.State.OUTSOURCED


# Plan items


def test_a_lead_adds_a_milestone_and_returns_to_the_workspace(client, project_lead, plan):
    client.force_login(project_lead)
    process = plan["process"]

    response = client.post(
        reverse("transition:milestone_create") + f"?process={process.pk}",
        {
            "process": process.pk,
            "title": "Parallel run",
            "kind": "parallel_run",
            "due_date": "2027-02-01",
            "status": "planned",
            "depends_on": [plan["milestone"].pk],
        },
    )

    milestone = Milestone.objects.get(title="Parallel run")
    assert response["Location"] == process.get_absolute_url() + "#milestones"
    assert list(milestone.depends_on.all()) == [plan["milestone"]]


def test_a_milestone_cannot_depend_on_one_of_another_process(client, operations_manager, plan):
    client.force_login(operations_manager)
    foreign = MilestoneFactory()

    response = client.post(
        reverse("transition:milestone_update", args=[plan["milestone"].pk]),
        {
            "title": plan["milestone"].title,
            "kind": "planning",
            "due_date": "2027-03-31",
            "status": "planned",
            "depends_on": [foreign.pk],
        },
    )

    assert response.status_code == 200
    assert "depends_on" in response.context["form"].errors


def test_a_dependency_cycle_is_refused_on_the_field(client, operations_manager, plan):
    first = plan["milestone"]
    second = MilestoneFactory(process=plan["process"])
    second.depends_on.add(first)
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:milestone_update", args=[first.pk]),
        {
            "title": first.title,
            "kind": "planning",
            "due_date": "2027-03-31",
            "status": "planned",
            "depends_on": [second.pk],
        },
    )

    assert response.status_code == 200
    assert any("cycle" in e for e in response.context["form"].errors["depends_on"])
    assert not first.depends_on.exists()


def test_a_lead_cannot_add_an_asset_to_a_process_they_do_not_lead(client, project_lead, plan):
    other = OutsourcedProcessFactory()
    client.force_login(project_lead)

    response = client.post(
        reverse("transition:asset_create"),
        {
            "process": other.pk,
            "name": "Forklift",
            "category": "equipment",
            "transfer_method": "buy_out",
            "book_value": "100",
            "status": "to_transfer",
        },
    )

    assert response.status_code == 403
    assert not Asset.objects.filter(name="Forklift").exists()


def test_an_asset_marked_transferred_records_today(client, project_lead, plan):
    asset = plan["asset"]
    client.force_login(project_lead)

    client.post(
        reverse("transition:asset_update", args=[asset.pk]),
        {
            "name": asset.name,
            "tag": "",
            "category": "equipment",
            "transfer_method": "buy_out",
            "book_value": "100",
            "status": "transferred",
            "transferred_on": "",
        },
    )

    asset.refresh_from_db()
    assert asset.status == Asset.Status.TRANSFERRED
    assert asset.transferred_on == TODAY


def test_staff_records_save_through_the_form(client, project_lead, plan):
    client.force_login(project_lead)

    response = client.post(
        reverse("transition:staff_create") + f"?process={plan['process'].pk}",
        {
            "process": plan["process"].pk,
            "name": "Ann Example",
            "role": "Planner",
            "route": "tupe",
            "fte": "0.8",
            "annual_cost": "40000",
            "status": "identified",
            "planned_start": "2027-03-01",
        },
    )

    member = StaffMember.objects.get(name="Ann Example")
    assert response["Location"] == plan["process"].get_absolute_url() + "#staff"
    assert member.eli_due_date == date(2027, 2, 1)


def test_an_fte_above_the_maximum_is_refused_next_to_the_field(client, project_lead, plan):
    client.force_login(project_lead)

    response = client.post(
        reverse("transition:staff_create"),
        {
            "process": plan["process"].pk,
            "name": "Too busy",
            "role": "Planner",
            "route": "new_hire",
            "fte": "3",
            "annual_cost": "1",
            "status": "identified",
        },
    )

    assert "fte" in response.context["form"].errors


def test_deleting_a_plan_item_returns_to_the_workspace(client, project_lead, plan):
    client.force_login(project_lead)

    response = client.post(reverse("transition:staff_delete", args=[plan["staff"].pk]))

    assert response["Location"] == plan["process"].get_absolute_url() + "#staff"
    assert not StaffMember.objects.filter(pk=plan["staff"].pk).exists()


# Lists


def test_the_process_list_filters_by_state_and_searches_by_provider(client, viewer):
    wanted = OutsourcedProcessFactory(name="Payroll", state=OutsourcedProcess.State.EXIT_NOTICE)
    OutsourcedProcessFactory(name="Fleet")
    client.force_login(viewer)

    by_state = client.get(reverse("transition:process_list"), {"state": "exit_notice"})
    by_provider = client.get(
        reverse("transition:process_list"), {"q": wanted.contract.provider.name}
    )

    assert list(by_state.context["object_list"]) == [wanted]
    assert list(by_provider.context["object_list"]) == [wanted]


def test_the_milestone_list_filters_by_due_range_and_open(client, viewer):
    early = MilestoneFactory(due_date=date(2026, 12, 1))
    MilestoneFactory(due_date=date(2027, 6, 1))
    MilestoneFactory(due_date=date(2026, 12, 2), status="done", completed_on=TODAY)
    client.force_login(viewer)

    response = client.get(
        reverse("transition:milestone_list"), {"due_before": "2026-12-31", "open": "true"}
    )

    assert list(response.context["object_list"]) == [early]


@pytest.mark.parametrize(
    ("name", "unset"),
    [
        ("transition:process_list", ["Any programme", "Any state", "Any lead"]),
        ("transition:milestone_list", ["Any process", "Any status", "Any owner"]),
        ("transition:asset_list", ["Any programme", "Any transfer method"]),
        ("transition:staff_list", ["Any process", "Any route"]),
        ("transition:programme_list", ["Any sponsor"]),
    ],
)
def test_unset_list_filters_say_any_rather_than_dashes(client, viewer, name, unset):
    client.force_login(viewer)

    page = client.get(reverse(name)).content.decode()

    for label in unset:
        assert f">{label}</option>" in page
    assert "---------" not in page


def test_the_process_list_sorts_by_saving(client, viewer):
    small = OutsourcedProcessFactory(projected_inhouse_annual_cost=Decimal("490000"))
    large = OutsourcedProcessFactory(projected_inhouse_annual_cost=Decimal("100000"))
    client.force_login(viewer)

    response = client.get(reverse("transition:process_list"), {"sort": "-saving"})

    assert list(response.context["object_list"]) == [large, small]


@pytest.mark.parametrize(
    "name", ["programme_list", "process_list", "milestone_list", "asset_list", "staff_list"]
)
def test_lists_export_the_filtered_rows_as_csv(client, viewer, plan, name):
    OutsourcedProcessFactory(name="Not this one")
    client.force_login(viewer)

    only_plan = (
        {"q": plan["programme"].name}
        if name == "programme_list"
        else {"programme": plan["programme"].pk}
    )

    response = client.get(reverse(f"transition:{name}"), {"export": "csv", **only_plan})

    body = response.getvalue().decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "Not this one" not in body
    assert len(body.strip().splitlines()) == 2  # the header and the one matching row


def test_lists_export_xlsx(client, viewer, plan):
    client.force_login(viewer)

    response = client.get(reverse("transition:asset_list"), {"export": "xlsx"})

    assert response.getvalue()[:2] == b"PK"  # a zip container, as every .xlsx is
