"""Who may own a milestone or RAID item, and how people are named in selects and filters:
one rule and one label (accounts/selectors.py, accounts/fields.py; issue 16 item 9)."""

import pytest

from accounts.selectors import person_name, plan_owners
from contracts.filters import ContractFilter
from contracts.models import Contract
from imports.services import import_rows, read_sheet
from raid.filters import RaidItemFilter
from raid.forms import RaidItemForm
from raid.models import RaidItem
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.filters import MilestoneFilter, ProcessFilter
from transition.forms import MilestoneForm
from transition.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(operations_manager, project_lead, viewer):
    named = {
        operations_manager: ("Olivia", "Owens"),
        project_lead: ("Liam", "Lane"),
        viewer: ("Vera", "Viewer"),
    }
    for user, (first, last) in named.items():
        user.first_name, user.last_name = first, last
        user.save()
    gone = UserFactory(username="gone", role="Project leads", is_active=False)
    admin = UserFactory(username="root", first_name="", last_name="", is_superuser=True)
    return {
        "ops": operations_manager,
        "lead": project_lead,
        "viewer": viewer,
        "gone": gone,
        "admin": admin,
    }


def labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_a_person_is_named_by_full_name_else_username(people):
    assert person_name(people["lead"]) == "Liam Lane"
    assert person_name(people["admin"]) == "root"


def test_plan_owners_are_active_managers_leads_and_administrators(people):
    assert set(plan_owners()) == {people["ops"], people["lead"], people["admin"]}
    assert people["viewer"] in plan_owners(also=people["viewer"].pk)


def test_the_milestone_owner_select_offers_no_viewer_nor_inactive_user(people, operations_manager):
    form = MilestoneForm(user=operations_manager)

    assert labels(form.fields["owner"]) == ["root", "Liam Lane", "Olivia Owens"]


def test_a_milestone_keeps_its_owner_after_a_change_of_role(people, operations_manager):
    milestone = MilestoneFactory(owner=people["viewer"])

    form = MilestoneForm(instance=milestone, user=operations_manager)

    assert "Vera Viewer" in labels(form.fields["owner"])


def test_the_raid_owner_select_offers_no_viewer(people, operations_manager):
    form = RaidItemForm(user=operations_manager)

    assert labels(form.fields["owner"]) == ["root", "Liam Lane", "Olivia Owens"]


def test_owner_filters_name_people_as_the_tables_do(people):
    ContractFactory(owner=people["ops"])
    process = OutsourcedProcessFactory(owner=people["ops"], lead=people["lead"])

    contract_filter = ContractFilter({}, queryset=Contract.objects.all())
    milestone_filter = MilestoneFilter({}, queryset=Milestone.objects.all())
    raid_filter = RaidItemFilter({}, queryset=RaidItem.objects.all())
    process_filter = ProcessFilter({}, queryset=process.__class__.objects.all())

    owners = Contract.objects.values_list("owner", flat=True)
    owning = UserFactory._meta.model.objects.filter(pk__in=owners).order_by(
        "first_name", "last_name"
    )
    assert labels(contract_filter.form.fields["owner"]) == [person_name(u) for u in owning]
    assert "Olivia Owens" in labels(contract_filter.form.fields["owner"])
    assert "Liam Lane" in labels(milestone_filter.form.fields["owner"])
    assert "Vera Viewer" in labels(raid_filter.form.fields["owner"])
    assert labels(process_filter.form.fields["owner"]) == ["Olivia Owens"]
    assert labels(process_filter.form.fields["lead"]) == ["Liam Lane"]


def test_the_api_refuses_a_viewer_as_milestone_owner(client, people):
    milestone = MilestoneFactory(owner=people["lead"])
    client.force_login(people["ops"])
    url = f"/api/v1/milestones/{milestone.pk}/"

    refused = client.patch(url, {"owner": people["viewer"].pk}, content_type="application/json")
    accepted = client.patch(url, {"owner": people["ops"].pk}, content_type="application/json")

    assert refused.status_code == 400
    assert "Vera Viewer may not own it" in refused.json()["owner"][0]
    assert accepted.status_code == 200
    milestone.refresh_from_db()
    assert milestone.owner == people["ops"]


def test_an_import_refuses_a_viewer_as_milestone_owner_naming_row_and_column(people):
    process = OutsourcedProcessFactory(name="Desk")
    content = (
        "programme,process,title,due_date,owner\n"
        f"{process.programme.name},Desk,Cut-over,2027-01-01,vera\n"
        f"{process.programme.name},Desk,Go-live,2027-02-01,liam\n"
    )
    sheet = read_sheet(content.encode(), "milestones.csv")

    report = import_rows(actor=people["ops"], kind="milestones", sheet=sheet, dry_run=False)

    assert [(e.row, e.column) for e in report.errors] == [(2, "owner")]
    assert "Vera Viewer may not own it" in report.errors[0].message
    assert not Milestone.objects.exists()


def test_the_api_refuses_a_process_lead_who_is_not_a_project_lead(client, people):
    process = OutsourcedProcessFactory(owner=people["ops"], lead=people["lead"])
    client.force_login(people["ops"])
    url = f"/api/v1/processes/{process.pk}/"

    refused = client.patch(url, {"lead": people["viewer"].pk}, content_type="application/json")
    kept = client.patch(url, {"lead": people["lead"].pk}, content_type="application/json")

    assert refused.status_code == 400
    assert "Vera Viewer may not lead a process" in refused.json()["lead"][0]
    assert kept.status_code == 200


def test_an_import_refuses_a_process_owner_who_is_not_an_operations_manager(people):
    contract = ContractFactory()
    process = OutsourcedProcessFactory(contract=contract, owner=people["ops"])
    content = (
        "programme,name,contract,category,owner,lead\n"
        f"{process.programme.name},New desk,{contract.reference},other,liam,liam\n"
    )
    sheet = read_sheet(content.encode(), "processes.csv")

    report = import_rows(actor=people["ops"], kind="processes", sheet=sheet, dry_run=True)

    assert [(e.row, e.column) for e in report.errors] == [(2, "owner")]
    assert "Liam Lane may not own a process" in report.errors[0].message
