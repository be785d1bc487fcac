"""Staff personal data: the subject-access export, the retention purge and its log
(docs/operations.md, "Privacy: staff personal data and audit history")."""

import json
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from backsourcing.celery import app as celery_app
from imports.services import import_rows, read_sheet
from tests.clock import TODAY
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory, StaffMemberFactory
from transition import tasks
from transition.models import OutsourcedProcess, StaffMember, StaffPurge
from transition.services import staff_save
from transition.services.privacy import staff_purge_expired

RETENTION = 730


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.STAFF_DATA_RETENTION_DAYS = RETENTION


def in_house_process(days_ago: int) -> OutsourcedProcess:
    process = OutsourcedProcessFactory()
    # The workflow's state field is protected; the test puts the process where it ended.
    OutsourcedProcess.objects.filter(pk=process.pk).update(
        state=OutsourcedProcess.State.IN_HOUSE, in_house_on=TODAY - timedelta(days=days_ago)
    )
    return OutsourcedProcess.objects.get(pk=process.pk)


def recorded_member(actor, process, **fields) -> StaffMember:
    """A staff record created, then given a raise, through the service: two history rows."""
    member = staff_save(
        actor=actor,
        process=process,
        name=fields.pop("name", "Ada Lovelace"),
        role="Payroll analyst",
        route=StaffMember.Route.TUPE,
        annual_cost=Decimal("45000.00"),
        training_needed="Needs a screen reader set up",
        status=StaffMember.Status.ONBOARDED,
        **fields,
    )
    return staff_save(actor=actor, member=member, annual_cost=Decimal("47500.00"))


@pytest.fixture
def due(operations_manager):
    """In-house one day past retention: its personal data must go."""
    return recorded_member(operations_manager, in_house_process(RETENTION + 1))


@pytest.fixture
def export_url():
    return lambda member: reverse("transition:staff_personal_data", args=[member.pk])


# The export


def test_export_has_every_personal_field_the_process_contract_and_who_changed_what(
    client, operations_manager, due, export_url
):
    client.force_login(operations_manager)
    response = client.get(export_url(due))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="staff-{due.pk}-personal-data.json"'
    )
    data = json.loads(response.content)
    person = data["staff_member"]
    assert person["name"] == "Ada Lovelace"
    assert person["annual_cost"] == "47500.00"
    assert person["training_needed"] == "Needs a screen reader set up"
    assert person["role"] == "Payroll analyst"
    assert data["process"]["name"] == due.process.name
    assert data["process"]["in_house_on"] == (TODAY - timedelta(days=RETENTION + 1)).isoformat()
    assert data["contract"]["reference"] == due.process.contract.reference
    created, raised = data["history"]
    assert created["type"] == "created"
    assert created["by"] == "olivia"
    assert {"field": "name", "old": None, "new": "Ada Lovelace"} in created["changes"]
    assert raised["type"] == "changed"
    assert raised["by"] == "olivia"
    assert raised["changes"] == [{"field": "annual_cost", "old": "45000.00", "new": "47500.00"}]


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_export_is_refused_to_viewers_and_even_the_process_lead(
    client, request, role, due, export_url
):
    user = request.getfixturevalue(role)
    OutsourcedProcess.objects.filter(pk=due.process_id).update(lead=user)
    client.force_login(user)
    assert client.get(export_url(due)).status_code == 403


def test_export_needs_a_sign_in(client, due, export_url):
    response = client.get(export_url(due))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_an_administrator_exports_too(client, due, export_url):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(export_url(due)).status_code == 200


def test_staff_page_links_the_export_only_for_those_allowed(
    client, operations_manager, viewer, due, export_url
):
    client.force_login(operations_manager)
    assert export_url(due) in client.get(due.get_absolute_url()).content.decode()
    client.force_login(viewer)
    assert export_url(due) not in client.get(due.get_absolute_url()).content.decode()


def test_admin_action_downloads_one_record_and_asks_for_exactly_one(admin_client, due):
    changelist = reverse("admin:transition_staffmember_changelist")
    response = admin_client.post(
        changelist, {"action": "export_personal_data", "_selected_action": [due.pk]}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["staff_member"]["name"] == "Ada Lovelace"
    other = StaffMemberFactory()
    response = admin_client.post(
        changelist,
        {"action": "export_personal_data", "_selected_action": [due.pk, other.pk]},
        follow=True,
    )
    assert "Select exactly one staff member to export." in response.content.decode()


# The purge


def test_purge_anonymises_personal_fields_keeps_programme_facts_and_deletes_history(
    operations_manager, due
):
    result = staff_purge_expired(today=TODAY)
    assert result.staff_ids == [due.pk]
    purged = StaffMember.objects.get(pk=due.pk)
    assert purged.name == f"Staff member {due.pk}"
    assert purged.annual_cost == Decimal(0)
    assert purged.training_needed == ""
    assert purged.training_completed_on is None
    assert purged.personal_data_purged_on == TODAY
    assert (purged.role, purged.route, purged.status, purged.fte) == (
        "Payroll analyst",
        StaffMember.Route.TUPE,
        StaffMember.Status.ONBOARDED,
        Decimal("1.00"),
    )
    assert not StaffMember.history.filter(id=due.pk).exists()


def test_purge_writes_a_log_row_and_a_log_line_without_personal_data(due, caplog):
    with caplog.at_level(logging.INFO, logger="transition.services.privacy"):
        staff_purge_expired(today=TODAY)
    log = StaffPurge.objects.get()
    assert (log.today, log.purged_count, log.staff_ids) == (TODAY, 1, [due.pk])
    assert log.cutoff == TODAY - timedelta(days=RETENTION)
    assert log.retention_days == RETENTION
    assert log.trigger == StaffPurge.Trigger.SCHEDULE
    stored = json.dumps([str(getattr(log, f.attname)) for f in StaffPurge._meta.fields])
    assert "Ada" not in stored
    assert "Lovelace" not in stored
    assert "Staff personal data purged: 1 record(s)" in caplog.text
    assert "Lovelace" not in caplog.text


def test_purge_scrubs_the_name_the_admin_change_log_kept(admin_user, due):
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[due], action_flag=CHANGE, change_message="[]"
    )
    staff_purge_expired(today=TODAY)
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(StaffMember))
    assert entry.object_repr == f"Staff member {due.pk}"


def test_records_inside_retention_or_not_in_house_are_kept(operations_manager, due):
    on_cutoff = recorded_member(operations_manager, in_house_process(RETENTION), name="Cut Off")
    inside = recorded_member(operations_manager, in_house_process(RETENTION - 1), name="Kept In")
    never_in_house = recorded_member(
        operations_manager, OutsourcedProcessFactory(), name="Still Out"
    )
    result = staff_purge_expired(today=TODAY)
    assert sorted(result.staff_ids) == sorted([due.pk, on_cutoff.pk])
    for kept in (inside, never_in_house):
        kept.refresh_from_db()
        assert kept.personal_data_purged_on is None
        assert kept.annual_cost == Decimal("47500.00")
        assert kept.history.count() == 2
    assert StaffMember.objects.get(pk=inside.pk).name == "Kept In"


def test_purge_is_idempotent(due):
    staff_purge_expired(today=TODAY)
    again = staff_purge_expired(today=TODAY + timedelta(days=1))
    assert again.staff_ids == []
    assert again.log.purged_count == 0
    purged = StaffMember.objects.get(pk=due.pk)
    assert purged.personal_data_purged_on == TODAY  # the first purge's day stays
    assert purged.name == f"Staff member {due.pk}"
    assert StaffPurge.objects.count() == 2


def test_dry_run_prints_count_and_ids_and_writes_nothing(due, capsys):
    call_command("purge_staff_data", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Would purge 1 staff record(s)" in out
    assert f"Ids: {due.pk}" in out
    assert StaffMember.objects.get(pk=due.pk).name == "Ada Lovelace"
    assert due.history.count() == 2
    assert not StaffPurge.objects.exists()


def test_command_purges_and_logs_the_command_as_the_trigger(due, capsys):
    call_command("purge_staff_data", "--today", TODAY.isoformat())
    assert "Purged 1 staff record(s)" in capsys.readouterr().out
    assert StaffPurge.objects.get().trigger == StaffPurge.Trigger.COMMAND
    assert StaffMember.objects.get(pk=due.pk).personal_data_purged_on == TODAY


def test_command_refuses_an_unreadable_day():
    with pytest.raises(CommandError, match="--today must be YYYY-MM-DD"):
        call_command("purge_staff_data", "--today", "24/11/2026")


def test_daily_task_purges_as_of_the_local_today(due):
    with time_machine.travel(TODAY, tick=False):
        assert tasks.staff_purge_expired() == 1
    assert StaffMember.objects.get(pk=due.pk).personal_data_purged_on == TODAY


def test_migration_seeds_the_daily_beat_task(db):
    task = PeriodicTask.objects.get(name="Staff personal data purge")
    assert task.task == "transition.staff_purge_expired"
    assert task.task in celery_app.tasks
    assert (task.crontab.hour, task.crontab.minute) == ("3", "30")
    assert task.enabled


# After the purge


def test_purged_record_cannot_be_exported_and_says_why(client, operations_manager, due, export_url):
    staff_purge_expired(today=TODAY)
    client.force_login(operations_manager)
    response = client.get(export_url(due), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == due.get_absolute_url()
    assert "there is nothing left to export" in page
    assert "Personal data purged on 24 Nov 2026" in page
    assert export_url(due) not in page


def test_purged_record_cannot_be_edited(operations_manager, due):
    staff_purge_expired(today=TODAY)
    purged = StaffMember.objects.get(pk=due.pk)
    with pytest.raises(ValidationError, match="purged on 24 Nov 2026"):
        staff_save(actor=operations_manager, member=purged, name="Ada Lovelace")


def test_purged_record_is_read_only_in_admin(admin_client, due):
    staff_purge_expired(today=TODAY)
    change = reverse("admin:transition_staffmember_change", args=[due.pk])
    response = admin_client.post(change, {"name": "Ada Lovelace"})
    assert response.status_code == 403
    assert StaffMember.objects.get(pk=due.pk).name == f"Staff member {due.pk}"


def test_purged_record_cannot_be_changed_through_the_api(operations_manager, due):
    staff_purge_expired(today=TODAY)
    api = APIClient()
    api.force_authenticate(operations_manager)
    response = api.patch(f"/api/v1/staff/{due.pk}/", {"name": "Ada Lovelace"}, format="json")
    assert response.status_code == 400
    assert "purged on 24 Nov 2026" in response.content.decode()
    assert StaffMember.objects.get(pk=due.pk).name == f"Staff member {due.pk}"


def test_purged_record_cannot_be_changed_by_an_import(operations_manager, due):
    staff_purge_expired(today=TODAY)
    process = due.process
    content = (
        "programme,process,name,role,route,annual_cost\n"
        f"{process.programme.name},{process.name},Staff member {due.pk},Analyst,tupe,50000\n"
    )
    sheet = read_sheet(content.encode(), "staff.csv")
    report = import_rows(actor=operations_manager, kind="staff", sheet=sheet, dry_run=False)
    assert [error.row for error in report.errors] == [2]
    assert "purged on 24 Nov 2026" in report.errors[0].message
    assert StaffMember.objects.get(pk=due.pk).annual_cost == Decimal(0)


def test_purge_deletes_the_notifications_that_named_the_person(operations_manager, due):
    from reminders.models import Notification, Reminder

    def notification_about(obj, title):
        reminder = Reminder.objects.create(
            kind="eli_due",
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            due_date=TODAY,
            offset_days=0,
            send_on=TODAY,
        )
        return Notification.objects.create(user=operations_manager, title=title, reminder=reminder)

    notification_about(due, "Employee liability information for Ada Lovelace is due today")
    kept = notification_about(StaffMemberFactory(), "Employee liability information for Bo")

    staff_purge_expired(today=TODAY)

    assert list(Notification.objects.all()) == [kept]
    assert Notification.objects.filter(title__contains="Ada Lovelace").count() == 0
