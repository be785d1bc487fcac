"""Bulk actions on register lists (core/bulk.py, docs/bulk-actions.md): the services and rules
of single edits, all or nothing, only rows the list shows, a summary of what changed."""

import csv
import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from contracts.models import ServiceProvider
from core.bulk import MAX_ROWS
from raid.models import RaidItem
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember

pytestmark = pytest.mark.django_db

# A bulk POST: session, user, their groups, the selected rows, and the batch's savepoint and
# its release; then per row the single edit's own queries (milestone_save: the stored process,
# the process's plan for the schedule checks, the validation and the update, and the change
# it records for the reminders' plan) with the savepoints of its nested atomic blocks and of
# the row's own.
BASE = 6
PER_ROW = 20
MILESTONES = reverse("transition:milestone_list")


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def statuses(*milestones) -> list[str]:
    return [Milestone.objects.get(pk=m.pk).status for m in milestones]


# Summary, history, redirect


def test_marking_milestones_done_says_what_changed_and_what_was_already_done(
    client, operations_manager
):
    process = OutsourcedProcessFactory()
    first = MilestoneFactory(process=process, title="Sign-off")
    second = MilestoneFactory(process=process, title="Handover")
    done = MilestoneFactory(
        process=process, title="Kick-off", status="done", completed_on=date(2026, 1, 5)
    )
    client.force_login(operations_manager)

    response = client.post(
        f"{MILESTONES}?sort=title&page=1",
        {"action": "done", "ids": [first.pk, second.pk, done.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{MILESTONES}?sort=title&page=1"
    assert said(response) == [
        "2 milestones marked done: “Handover” and “Sign-off”; "
        "1 already done, unchanged: “Kick-off”."
    ]
    assert statuses(first, second, done) == ["done"] * 3


def test_a_bulk_edit_writes_history_as_the_single_edit_does(client, operations_manager):
    processes = OutsourcedProcessFactory.create_batch(2)
    client.force_login(operations_manager)

    client.post(
        reverse("transition:process_list"),
        {"action": "owner", "bulk-owner": operations_manager.pk, "ids": [p.pk for p in processes]},
    )

    for process in processes:
        latest = OutsourcedProcess.objects.get(pk=process.pk).history.latest()
        assert latest.owner_id == operations_manager.pk
        assert latest.history_user == operations_manager
        assert latest.history_type == "~"


def test_reassigning_processes_names_the_new_owner(client, operations_manager):
    other = UserFactory(username="omar", first_name="Omar", last_name="Ali")
    other.groups.add(*operations_manager.groups.all())
    processes = [OutsourcedProcessFactory(name=n, owner=operations_manager) for n in "AB"]
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:process_list"),
        {"action": "owner", "bulk-owner": other.pk, "ids": [p.pk for p in processes]},
    )

    assert said(response) == ["2 outsourced processes now owned by Omar Ali: “A” and “B”."]
    assert set(OutsourcedProcess.objects.values_list("owner", flat=True)) == {other.pk}
    assert OutsourcedProcess.objects.get(name="A").history.latest().history_user == (
        operations_manager
    )


def test_a_project_lead_is_set_on_processes(client, operations_manager, project_lead):
    processes = OutsourcedProcessFactory.create_batch(2)
    client.force_login(operations_manager)

    response = client.post(
        reverse("transition:process_list"),
        {"action": "lead", "bulk-lead": project_lead.pk, "ids": [p.pk for p in processes]},
    )

    assert response.status_code == 302
    assert set(OutsourcedProcess.objects.values_list("lead", flat=True)) == {project_lead.pk}


def test_asset_and_staff_statuses_change_through_their_services(client, operations_manager):
    asset = AssetFactory()
    member = StaffMemberFactory()
    client.force_login(operations_manager)

    client.post(
        reverse("transition:asset_list"),
        {"action": "status", "bulk-status": "transferred", "ids": [asset.pk]},
    )
    client.post(
        reverse("transition:staff_list"),
        {"action": "status", "bulk-status": "offered", "ids": [member.pk]},
    )

    asset.refresh_from_db()
    assert asset.status == Asset.Status.TRANSFERRED
    assert asset.transferred_on is not None  # the service's rule, as a single edit
    assert StaffMember.objects.get(pk=member.pk).status == StaffMember.Status.OFFERED


def test_contract_owners_are_reassigned(client, operations_manager):
    contracts = ContractFactory.create_batch(2)
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:contract_list"),
        {"action": "owner", "bulk-owner": operations_manager.pk, "ids": [c.pk for c in contracts]},
    )

    assert said(response)[0].startswith("2 contracts now owned by")
    for contract in contracts:
        contract.refresh_from_db()
        assert contract.owner == operations_manager


def test_a_project_lead_reassigns_raid_items_of_their_process_only(
    client, project_lead, other_lead
):
    theirs = RaidItemFactory(process=OutsourcedProcessFactory(lead=project_lead), title="Mine")
    others = RaidItemFactory(process=OutsourcedProcessFactory(lead=other_lead), title="Not mine")
    client.force_login(project_lead)
    url = reverse("raid:item_list")

    refused = client.post(
        url, {"action": "owner", "bulk-owner": project_lead.pk, "ids": [theirs.pk, others.pk]}
    )
    assert said(refused) == ["Reassign owner: nothing was changed. You may not change “Not mine”."]
    assert set(RaidItem.objects.values_list("owner", flat=True)) == {None}

    client.post(url, {"action": "owner", "bulk-owner": project_lead.pk, "ids": [theirs.pk]})
    assert RaidItem.objects.get(pk=theirs.pk).owner == project_lead


# All or nothing


def test_one_refused_row_changes_nothing_and_names_the_row(client, operations_manager):
    process = OutsourcedProcessFactory()
    waiting_for = MilestoneFactory(process=process, title="Contract signed")
    blocked = MilestoneFactory(process=process, title="Go-live")
    blocked.depends_on.add(waiting_for)
    free = MilestoneFactory(process=process, title="Training")
    client.force_login(operations_manager)

    response = client.post(MILESTONES, {"action": "done", "ids": [free.pk, blocked.pk]})

    [message] = said(response)
    assert message.startswith("Mark done: nothing was changed. “Go-live”: ")
    assert "Contract signed" in message
    assert statuses(free, blocked) == ["planned", "planned"]


def test_a_refused_delete_keeps_every_selected_row(client, operations_manager):
    in_use = ContractFactory().provider
    unused = ServiceProviderFactory(name="Unused")
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:provider_list"), {"action": "delete", "ids": [unused.pk, in_use.pk]}
    )

    [message] = said(response)
    assert message.startswith("Delete: nothing was changed.")
    assert f"“{in_use}”" in message
    assert ServiceProvider.objects.count() == 2


def test_deleting_rows_that_may_go(client, operations_manager):
    milestones = MilestoneFactory.create_batch(3)
    client.force_login(operations_manager)

    response = client.post(MILESTONES, {"action": "delete", "ids": [m.pk for m in milestones[:2]]})

    assert said(response)[0].startswith("2 milestones deleted: ")
    assert list(Milestone.objects.values_list("pk", flat=True)) == [milestones[2].pk]


# Permissions: as the single edit


def test_a_lead_cannot_edit_milestones_of_a_process_they_do_not_lead(
    client, project_lead, other_lead
):
    mine = MilestoneFactory(process=OutsourcedProcessFactory(lead=project_lead), title="Mine")
    theirs = MilestoneFactory(process=OutsourcedProcessFactory(lead=other_lead), title="Theirs")
    client.force_login(project_lead)

    response = client.post(MILESTONES, {"action": "done", "ids": [mine.pk, theirs.pk]})

    assert said(response) == ["Mark done: nothing was changed. You may not change “Theirs”."]
    assert statuses(mine, theirs) == ["planned", "planned"]


def test_a_project_lead_may_not_bulk_edit_processes(client, project_lead):
    process = OutsourcedProcessFactory(lead=project_lead)
    client.force_login(project_lead)

    response = client.post(
        reverse("transition:process_list"),
        {"action": "lead", "bulk-lead": project_lead.pk, "ids": [process.pk]},
    )

    assert response.status_code == 403
    assert client.get(reverse("transition:process_list")).context["bulk_actions"] == []


def test_a_viewer_sees_no_boxes_and_may_not_post(client, viewer):
    milestone = MilestoneFactory()
    client.force_login(viewer)

    page = client.get(MILESTONES)
    response = client.post(MILESTONES, {"action": "done", "ids": [milestone.pk]})

    assert 'name="ids"' not in page.text
    assert 'id="bulk-form"' not in page.text
    assert response.status_code == 403
    assert statuses(milestone) == ["planned"]


def test_the_toolbar_and_a_box_per_row_for_whoever_may_edit(client, operations_manager):
    milestone = MilestoneFactory(title="<b>Cut-over</b>")
    client.force_login(operations_manager)

    page = client.get(MILESTONES).text

    assert 'id="bulk-form"' in page
    assert f'name="ids" value="{milestone.pk}" form="bulk-form"' in page
    assert 'aria-label="Select &lt;b&gt;Cut-over&lt;/b&gt;"' in page
    assert "js/bulk-actions.js" in page


# Only the rows the list shows; a clear refusal of a bad selection


def test_rows_outside_the_filtered_list_are_refused(client, operations_manager):
    shown = MilestoneFactory(title="Alpha")
    hidden = MilestoneFactory(title="Beta")
    client.force_login(operations_manager)

    response = client.post(
        f"{MILESTONES}?q=Alpha", {"action": "done", "ids": [shown.pk, hidden.pk]}
    )

    assert response["Location"] == f"{MILESTONES}?q=Alpha"
    assert said(response) == [
        "1 selected row is not in this list (deleted meanwhile, or outside its filters); "
        "nothing was changed."
    ]
    assert statuses(shown, hidden) == ["planned", "planned"]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([], "Select at least one row first."),
        (["12", "x1"], "“x1” is not a row of this list."),
        (["-3"], "“-3” is not a row of this list."),
        (
            [str(n) for n in range(1, MAX_ROWS + 2)],
            "Select at most 500 rows at once (501 were selected).",
        ),
    ],
)
def test_a_bad_selection_is_refused_with_a_message(client, operations_manager, ids, message):
    client.force_login(operations_manager)

    response = client.post(MILESTONES, {"action": "done", "ids": ids})

    assert response.status_code == 302
    assert said(response) == [message]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "owner"}, "New owner: This field is required."),
        (
            {"action": "status", "bulk-status": "x"},
            "New status: Select a valid choice. x is not one of the available choices.",
        ),
        ({"action": "launch"}, "Choose one of the actions offered."),
    ],
)
def test_a_missing_or_unknown_parameter_names_the_field(client, operations_manager, data, message):
    milestone = MilestoneFactory()
    client.force_login(operations_manager)

    response = client.post(MILESTONES, {**data, "ids": [milestone.pk]})

    assert said(response) == [message]
    assert statuses(milestone) == ["planned"]


# Export the selection


def csv_titles(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return sorted(row[rows[0].index("title")] for row in rows[1:])


def test_the_selection_exports_through_the_list_export(client, viewer, operations_manager):
    picked = [MilestoneFactory(title=t) for t in ("One", "Two")]
    MilestoneFactory(title="Three")

    client.force_login(viewer)
    by_get = client.get(MILESTONES, {"export": "csv", "ids": [m.pk for m in picked]})
    client.force_login(operations_manager)
    by_post = client.post(
        f"{MILESTONES}?q=w", {"export": "csv", "action": "", "ids": [m.pk for m in picked]}
    )
    bad = client.get(MILESTONES, {"export": "csv", "ids": "one"})

    assert csv_titles(by_get) == ["One", "Two"]
    assert csv_titles(by_post) == ["Two"]  # the list's search still applies
    assert said(bad) == ["“one” is not a row of this list."]


# Query counts


@pytest.mark.parametrize("count", [2, 10])
def test_bulk_queries_grow_by_a_fixed_number_per_row(
    client, operations_manager, django_assert_num_queries, count
):
    process = OutsourcedProcessFactory()
    milestones = MilestoneFactory.create_batch(count, process=process)
    client.force_login(operations_manager)
    data = {"action": "status", "bulk-status": "blocked", "ids": [m.pk for m in milestones]}

    with django_assert_num_queries(BASE + PER_ROW * count):
        client.post(MILESTONES, data)

    assert statuses(*milestones) == ["blocked"] * count


# Every list with actions: the toolbar, one box per row, and its header box


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("transition:process_list", OutsourcedProcessFactory),
        ("transition:milestone_list", MilestoneFactory),
        ("transition:asset_list", AssetFactory),
        ("transition:staff_list", StaffMemberFactory),
        ("transition:programme_list", lambda: OutsourcedProcessFactory().programme),
        ("contracts:provider_list", ServiceProviderFactory),
        ("contracts:contract_list", ContractFactory),
        ("raid:item_list", RaidItemFactory),
    ],
)
def test_each_list_has_a_box_per_row_and_one_to_select_them_all(
    client, operations_manager, url, make
):
    rows = [make(), make()]
    client.force_login(operations_manager)

    page = client.get(reverse(url)).text

    assert page.count('id="bulk-form"') == 1
    assert page.count("data-bulk-all") == 1
    for row in rows:
        assert f'name="ids" value="{row.pk}" form="bulk-form"' in page
