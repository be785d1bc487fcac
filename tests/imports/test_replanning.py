"""An import re-plans reminders as the services' writes do; a preview or a failure does not."""

from unittest import mock

import pytest

from imports import services
from tests.transition.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

HEADER = "programme,process,title,kind,due_date\n"


def _sheet(rows: str):
    content = (HEADER + rows).encode()
    return services.read_sheet(content, "milestones.csv")


@pytest.fixture
def milestone():
    return MilestoneFactory(title="Plan")


@pytest.fixture
def enqueue():
    with mock.patch("reminders.tasks.enqueue_sweep") as enqueue:
        yield enqueue


def _row(milestone, due: str) -> str:
    process = milestone.process
    return f"{process.programme.name},{process.name},Plan,planning,{due}\n"


def test_an_import_that_moves_a_due_date_replans_after_commit(
    operations_manager, milestone, enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.import_rows(
            actor=operations_manager,
            kind="milestones",
            sheet=_sheet(_row(milestone, "2027-05-31")),
            dry_run=False,
        )
    assert report.ok
    milestone.refresh_from_db()
    assert f"{milestone.due_date:%Y-%m-%d}" == "2027-05-31"
    enqueue.assert_called_once()


def test_a_preview_replans_nothing(
    operations_manager, milestone, enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_rows(
            actor=operations_manager,
            kind="milestones",
            sheet=_sheet(_row(milestone, "2027-05-31")),
            dry_run=True,
        )
    enqueue.assert_not_called()


def test_a_failed_import_replans_nothing(
    operations_manager, milestone, enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.import_rows(
            actor=operations_manager,
            kind="milestones",
            sheet=_sheet(_row(milestone, "2027-05-31") + _row(milestone, "not a date")),
            dry_run=False,
        )
    assert not report.ok
    enqueue.assert_not_called()
