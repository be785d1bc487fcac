"""Baseline pages: the list and save form per role, the comparison, its XLSX, delete."""

import io
from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
)
from transition.models import Baseline, Milestone
from transition.services.baselines import baseline_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def process(project_lead):
    process = OutsourcedProcessFactory(name="Fulfilment", lead=project_lead)
    MilestoneFactory(process=process, title="Plan", due_date=date(2027, 1, 29))
    MilestoneFactory(process=process, title="Go-live", due_date=date(2027, 3, 31))
    return process


@pytest.fixture
def baseline(process, project_lead):
    return baseline_save(actor=project_lead, process=process, name="Approved plan")


def list_url(process):
    return reverse("transition:process_baselines", args=[process.pk])


def content(response) -> str:
    return response.content.decode()


# The list and the save form


@pytest.mark.parametrize(
    ("who", "may_save"),
    [
        ("operations_manager", True),
        ("project_lead", True),
        ("other_lead", False),
        ("viewer", False),
    ],
)
def test_everyone_sees_a_process_baselines_and_those_who_plan_it_may_save(
    client, request, baseline, process, who, may_save
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(list_url(process))

    assert response.status_code == 200
    assert "Approved plan" in content(response)
    assert ("Save baseline</button>" in content(response)) is may_save


def test_saving_a_baseline_redirects_to_its_comparison(client, project_lead, process):
    client.force_login(project_lead)

    response = client.post(list_url(process), {"name": "Re-plan", "note": "Supplier late"})

    baseline = Baseline.objects.get()
    assert response.status_code == 302
    assert response["Location"] == baseline.get_absolute_url()
    assert (baseline.name, baseline.note, baseline.created_by) == (
        "Re-plan",
        "Supplier late",
        project_lead,
    )
    assert baseline.entries.count() == 2


def test_a_repeated_name_is_shown_on_the_form_and_nothing_is_written(
    client, project_lead, baseline, process
):
    client.force_login(project_lead)

    response = client.post(list_url(process), {"name": "Approved plan"})

    assert response.status_code == 400
    assert "already has a baseline called “Approved plan”" in content(response)
    assert Baseline.objects.count() == 1


def test_a_missing_name_is_shown_on_the_form(client, project_lead, process):
    client.force_login(project_lead)

    response = client.post(list_url(process), {"name": "  "})

    assert response.status_code == 400
    assert "Give the baseline a name." in content(response)
    assert not Baseline.objects.exists()


@pytest.mark.parametrize("who", ["other_lead", "viewer"])
def test_those_who_do_not_plan_the_process_cannot_save(client, request, process, who):
    client.force_login(request.getfixturevalue(who))

    assert client.post(list_url(process), {"name": "Mine"}).status_code == 403
    assert not Baseline.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("operations_manager", 302), ("project_lead", 403)])
def test_programme_baselines_are_saved_by_operations_managers(
    client, request, process, who, status
):
    client.force_login(request.getfixturevalue(who))
    url = reverse("transition:programme_baselines", args=[process.programme_id])

    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Board"}).status_code == status
    assert Baseline.objects.filter(programme=process.programme).exists() is (status == 302)


def test_the_lists_need_sign_in(client, process):
    response = client.get(list_url(process))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_process_and_programme_pages_link_to_their_baselines(
    client, operations_manager, process
):
    client.force_login(operations_manager)

    process_page = content(client.get(process.get_absolute_url()))
    programme_page = content(client.get(process.programme.get_absolute_url()))

    assert list_url(process) in process_page
    assert reverse("transition:programme_baselines", args=[process.programme_id]) in (
        programme_page
    )


# The comparison


def test_the_comparison_shows_variance_added_and_removed(client, viewer, baseline, process):
    Milestone.objects.filter(title="Plan").update(due_date=date(2027, 2, 8))
    Milestone.objects.filter(title="Go-live").delete()
    MilestoneFactory(process=process, title="Hypercare", due_date=date(2027, 4, 30))
    client.force_login(viewer)

    response = client.get(baseline.get_absolute_url())

    html = content(response)
    assert response.status_code == 200
    assert "+10 d" in html
    added = html.split('data-testid="variance-added"')[1].split("</ul>")[0]
    removed = html.split('data-testid="variance-removed"')[1].split("</ul>")[0]
    assert "Hypercare" in added
    assert "Go-live" in removed
    assert "(deleted)" in html
    assert "Delete</a>" not in html  # a viewer neither saved it nor manages operations


def test_only_slipped_keeps_the_later_milestones(client, viewer, baseline):
    Milestone.objects.filter(title="Plan").update(due_date=date(2027, 2, 8))
    client.force_login(viewer)

    every = content(client.get(baseline.get_absolute_url()))
    slipped = content(client.get(baseline.get_absolute_url() + "?slipped=1"))

    assert 'data-status="unchanged"' in every
    assert 'data-status="later"' in slipped
    assert 'data-status="unchanged"' not in slipped


def test_the_comparison_sorts_by_variance(client, viewer, baseline):
    Milestone.objects.filter(title="Plan").update(due_date=date(2027, 2, 8))  # +10
    client.force_login(viewer)

    ascending = content(client.get(baseline.get_absolute_url() + "?sort=variance"))
    descending = content(client.get(baseline.get_absolute_url() + "?sort=-variance"))

    assert ascending.index('data-status="unchanged"') < ascending.index('data-status="later"')
    assert descending.index('data-status="later"') < descending.index('data-status="unchanged"')


@pytest.mark.parametrize("size", [1, 20])
def test_the_comparison_runs_a_pinned_number_of_queries_whatever_the_plan(
    client, viewer, operations_manager, size
):
    programme = ProgrammeFactory()
    for _ in range(size):
        process = OutsourcedProcessFactory(programme=programme)
        MilestoneFactory(process=process)
        MilestoneFactory(process=process)
    baseline = baseline_save(actor=operations_manager, programme=programme, name="B")
    Milestone.objects.filter(process__programme=programme).first().delete()
    MilestoneFactory(process=process)
    client.force_login(viewer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(baseline.get_absolute_url())

    assert response.status_code == 200
    # Session, user, the baseline with its subject, entries, milestones, groups (rules),
    # the unread-notification badge.
    assert len(captured) == 7


@pytest.mark.parametrize("size", [1, 30])
def test_the_list_runs_a_pinned_number_of_queries_whatever_the_baselines(
    client, operations_manager, process, size
):
    for number in range(size):
        baseline_save(actor=operations_manager, process=process, name=f"B{number}")
    client.force_login(operations_manager)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(list_url(process))

    assert response.status_code == 200
    assert len(response.context["baselines"]) == min(size, 25)
    # Session, user, the process, groups (rules), the count, the page, the badge.
    assert len(captured) == 7


# The XLSX download


def test_the_download_holds_every_row_with_its_variance(client, viewer, baseline, process):
    Milestone.objects.filter(title="Plan").update(due_date=date(2027, 2, 8))
    Milestone.objects.filter(title="Go-live").delete()
    MilestoneFactory(process=process, title="=HYPERLINK(1)", due_date=date(2027, 4, 30))
    client.force_login(viewer)

    response = client.get(reverse("transition:baseline_variance_xlsx", args=[baseline.pk]))

    assert response.status_code == 200
    assert (
        f'filename="baseline-{baseline.pk}-variance-2026-11-24.xlsx"'
        in (response["Content-Disposition"])
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("process", "milestone", "kind", "change")
    plan, added, removed = rows[1:]
    assert plan[1] == "Plan"
    assert plan[3] == "Later"
    assert plan[5].date() == date(2027, 1, 29)
    assert plan[7].date() == date(2027, 2, 8)
    assert plan[8] == 10
    # Text that a spreadsheet would run is written with a protective quote, never a formula.
    assert (added[1], added[3]) == ("'=HYPERLINK(1)", "Added")
    assert added[8] is None
    assert (removed[1], removed[3], removed[9]) == ("Go-live", "Removed", "deleted")


def test_an_unknown_baseline_is_a_404(client, viewer):
    client.force_login(viewer)

    assert client.get(reverse("transition:baseline_variance_xlsx", args=[999])).status_code == 404
    assert client.get(reverse("transition:baseline_detail", args=[999])).status_code == 404


# Delete


@pytest.mark.parametrize(
    ("who", "status"),
    [("operations_manager", 302), ("project_lead", 302), ("other_lead", 403), ("viewer", 403)],
)
def test_the_creator_or_an_operations_manager_deletes(client, request, baseline, who, status):
    client.force_login(request.getfixturevalue(who))
    url = reverse("transition:baseline_delete", args=[baseline.pk])

    assert client.get(url).status_code == (200 if status == 302 else 403)
    response = client.post(url)

    assert response.status_code == status
    assert Baseline.objects.exists() is (status != 302)
    if status == 302:
        assert response["Location"] == list_url(baseline.process)


def test_the_baselines_card_costs_no_query(django_assert_num_queries):
    """The card on the process and programme pages only links: their pinned counts stand."""
    with django_assert_num_queries(0):
        html = render_to_string(
            "transition/partials/baselines_card.html",
            {"subject_url": "/processes/1/baselines/", "can_save": True},
        )

    assert 'href="/processes/1/baselines/"' in html
    assert "Save baseline" in html


# Admin


def test_the_admin_shows_a_baseline_and_its_milestones_read_only(admin_client, baseline):
    change = admin_client.get(reverse("admin:transition_baseline_change", args=[baseline.pk]))
    changelist = admin_client.get(reverse("admin:transition_baseline_changelist"))

    assert change.status_code == 200
    assert "Go-live" in content(change)
    assert 'name="name"' not in content(change)  # read-only
    assert "Approved plan" in content(changelist)
    assert admin_client.get(reverse("admin:transition_baseline_add")).status_code == 403
