"""Imported plan rows pass the same schedule checks as the pages: a refused row is a row
error naming its row, column and dates, and nothing of the file is written; a flagged row
is imported and listed as a warning in the result (docs/plan.md, "Schedule checks")."""

from datetime import date

import pytest
from django.contrib.messages import WARNING, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.models import ImportBatch
from imports.services import import_rows, read_sheet
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import Asset, ChangeFreeze, Milestone, StaffMember

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # 24 Nov 2026

EXIT = date(2027, 3, 31)
MILESTONES = "programme,process,title,kind,due_date,status,completed_on\n"


@pytest.fixture
def process():
    return OutsourcedProcessFactory(name="Desk", exit_date=EXIT)


@pytest.fixture
def freeze(process):
    return ChangeFreeze.objects.create(
        programme=process.programme,
        name="Peak trading",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
    )


def line(process, *cells) -> str:
    return ",".join([process.programme.name, process.name, *cells]) + "\n"


def run(actor, kind, content, dry_run=False):
    sheet = read_sheet(content.encode(), f"{kind}.csv")
    return import_rows(actor=actor, kind=kind, sheet=sheet, dry_run=dry_run)


@pytest.mark.usefixtures("freeze")
def test_a_go_live_inside_a_freeze_is_a_row_error_and_the_file_writes_nothing(
    operations_manager, process
):
    content = (
        MILESTONES
        + line(process, "Plan", "planning", "2026-12-10", "planned", "")
        + line(process, "Switch over", "go_live", "2026-12-15", "planned", "")
    )

    report = run(operations_manager, "milestones", content)

    assert not report.ok
    [error] = report.errors
    assert (error.row, error.column) == (3, "due_date")
    assert "15 Dec 2026" in error.message
    assert "Peak trading" in error.message
    assert "1 Dec 2026 to 31 Dec 2026" in error.message
    assert "An import cannot override a change freeze" in error.message
    assert "milestone's page" in error.message
    assert str(error).startswith("Row 3, column “due_date”:")
    assert not Milestone.objects.exists()  # not even the good row


def test_a_parallel_run_overlapping_a_freeze_is_refused(operations_manager, process, freeze):
    content = "programme,process,title,kind,start_date,due_date\n" + line(
        process, "Run both", "parallel_run", "2026-11-25", "2026-12-02"
    )

    report = run(operations_manager, "milestones", content)

    assert [(e.row, e.column) for e in report.errors] == [(2, "due_date")]
    assert not Milestone.objects.exists()


def test_a_completion_in_the_future_is_a_row_error_naming_the_dates(operations_manager, process):
    content = MILESTONES + line(process, "Plan", "planning", "2026-12-10", "done", "2026-11-30")

    report = run(operations_manager, "milestones", content)

    [error] = report.errors
    assert (error.row, error.column) == (2, "completed_on")
    assert "30 Nov 2026" in error.message
    assert "24 Nov 2026" in error.message
    assert not Milestone.objects.exists()


def test_an_update_moving_a_go_live_into_a_freeze_changes_nothing(
    operations_manager, process, freeze
):
    stored = MilestoneFactory(
        process=process, title="Switch over", kind="go_live", due_date=date(2027, 1, 20)
    )

    report = run(
        operations_manager,
        "milestones",
        MILESTONES + line(process, "Switch over", "go_live", "2026-12-20", "planned", ""),
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "due_date")]
    stored.refresh_from_db()
    assert stored.due_date == date(2027, 1, 20)


def test_a_milestone_an_operations_manager_let_into_a_freeze_imports_with_a_warning(
    operations_manager, process, freeze
):
    MilestoneFactory(
        process=process,
        title="Switch over",
        kind="go_live",
        due_date=date(2026, 12, 15),
        freeze_override_reason="Agreed with the board",
        freeze_override_by=operations_manager,
    )

    report = run(
        operations_manager,
        "milestones",
        MILESTONES + line(process, "Switch over", "go_live", "2026-12-16", "planned", ""),
    )

    assert report.ok, [str(e) for e in report.errors]
    assert [w.row for w in report.warnings] == [2]
    assert "an operations manager allowed it" in report.warnings[0].message
    assert Milestone.objects.get().due_date == date(2026, 12, 16)


def test_a_go_live_after_the_exit_date_is_imported_and_listed_as_a_warning(
    operations_manager, process
):
    content = (
        MILESTONES
        + line(process, "Plan", "planning", "2027-01-10", "planned", "")
        + line(process, "Switch over", "go_live", "2027-04-15", "planned", "")
    )

    report = run(operations_manager, "milestones", content)

    assert (report.ok, report.created) == (True, 2)
    assert {warning.row for warning in report.warnings} == {3}
    [warning] = [w for w in report.warnings if "exit date" in w.message]
    assert "is due 15 Apr 2027, after the provider's exit date 31 Mar 2027" in warning.message
    assert str(warning).startswith("Row 3: ")
    assert Milestone.objects.filter(title="Switch over").exists()


def test_a_successor_before_a_stored_predecessor_named_in_the_file_is_flagged(
    operations_manager, process
):
    MilestoneFactory(process=process, title="Train", due_date=date(2027, 2, 1))
    content = (
        "programme,process,title,due_date,depends_on\n"
        + line(process, "Train", "2027-02-01", "")
        + line(process, "Go", "2027-01-20", "Train")
    )

    report = run(operations_manager, "milestones", content)

    assert report.ok, [str(e) for e in report.errors]
    assert [w.row for w in report.warnings] == [3]
    assert "1 Feb 2027" in report.warnings[0].message


def test_staff_onboarded_before_their_planned_start_is_a_row_error(operations_manager, process):
    content = (
        "programme,process,name,role,route,status,planned_start\n"
        + line(process, "Ann Smith", "Analyst", "tupe", "accepted", "2027-01-04")
        + line(process, "Bob Jones", "Analyst", "tupe", "onboarded", "2027-01-04")
    )

    report = run(operations_manager, "staff", content)

    [error] = report.errors
    assert (error.row, error.column) == (3, "status")
    assert "4 Jan 2027" in error.message
    assert "24 Nov 2026" in error.message
    assert not StaffMember.objects.exists()


def test_an_update_onboarding_someone_too_early_changes_nothing(operations_manager, process):
    person = StaffMemberFactory(process=process, name="Bob Jones", planned_start=date(2027, 1, 4))
    content = "programme,process,name,role,route,status\n" + line(
        process, "Bob Jones", "Analyst", "tupe", "onboarded"
    )

    report = run(operations_manager, "staff", content)

    assert [(e.row, e.column) for e in report.errors] == [(2, "status")]
    person.refresh_from_db()
    assert person.status != StaffMember.Status.ONBOARDED


def test_an_asset_due_after_the_exit_date_is_imported_with_a_warning(operations_manager, process):
    content = "programme,process,name,tag,category,transfer_method,transfer_due\n" + line(
        process, "Forklift", "FL-1", "equipment", "buy_out", "2027-05-01"
    )

    report = run(operations_manager, "assets", content)

    assert (report.ok, report.created) == (True, 1)
    assert [w.row for w in report.warnings] == [2]
    assert "1 May 2027" in report.warnings[0].message
    assert Asset.objects.exists()


def test_the_schedule_checks_read_the_plans_once_per_file(operations_manager, process):
    other = OutsourcedProcessFactory(programme=process.programme, name="Fulfilment")

    def queries(rows: int) -> int:
        content = MILESTONES + "".join(
            line(target, f"Step {n}", "planning", "2027-01-10", "planned", "")
            for n in range(rows)
            for target in (process, other)
        )
        with CaptureQueriesContext(connection) as captured:
            report = run(operations_manager, "milestones", content, dry_run=True)
        assert report.ok, [str(e) for e in report.errors]
        return len(captured)

    queries(1)  # the first import of a test reads what every later one finds cached
    assert queries(2) == queries(20)


@pytest.mark.usefixtures("freeze")
def test_the_browser_import_shows_refusals_and_warnings(client, operations_manager, process):
    client.force_login(operations_manager)

    def upload(content: str):
        upload = SimpleUploadedFile("milestones.csv", content.encode())
        return client.post("/import/", {"kind": "milestones", "file": upload}, follow=True)

    refused = upload(MILESTONES + line(process, "Go", "go_live", "2026-12-15", "planned", ""))
    html = refused.content.decode()
    assert "<td>2</td><td><code>due_date</code></td>" in html
    assert "An import cannot override a change freeze" in html

    flagged = upload(MILESTONES + line(process, "Go", "go_live", "2027-04-15", "planned", ""))
    html = flagged.content.decode()
    assert "These rows will be saved with schedule warnings:" in html
    assert "Row 2: " in html
    assert "15 Apr 2027" in html

    batch = ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEWED).latest("pk")
    confirmed = client.post(f"/import/{batch.pk}/confirm/")
    [warning] = [m.message for m in get_messages(confirmed.wsgi_request) if m.level == WARNING]
    assert warning.startswith("Saved with schedule warnings: Row 2: ")
    assert "15 Apr 2027" in warning
    assert "31 Mar 2027" in warning
    assert Milestone.objects.get().title == "Go"
