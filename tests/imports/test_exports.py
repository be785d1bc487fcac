"""A list export past EXPORT_BACKGROUND_ROWS is built by a task, announced by a notification,
and downloadable by its owner only, until it expires."""

import csv
import io
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from imports import tasks
from imports.exports import export_build, export_purge
from imports.models import ExportFile
from reminders.models import Notification
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings, tmp_path):
    """Three milestones, a threshold of two rows, files under a temporary MEDIA_ROOT."""
    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    process = OutsourcedProcessFactory(name="Fulfilment")
    for title in ("=Alpha", "Beta", "Gamma"):
        MilestoneFactory(process=process, title=title)


@pytest.fixture
def enqueued(monkeypatch):
    """The export ids handed to the broker."""
    ids = []
    monkeypatch.setattr(tasks.build_export, "delay", ids.append)
    return ids


def request_export(client, user, django_capture_on_commit_callbacks, fmt="csv", **query):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(reverse("transition:milestone_list"), {"export": fmt, **query})


@pytest.mark.usefixtures("large")
def test_a_large_export_is_built_in_the_background_and_only_its_owner_downloads_it(
    client, operations_manager, enqueued, django_capture_on_commit_callbacks
):
    response = request_export(
        client, operations_manager, django_capture_on_commit_callbacks, q="a", sort="title"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("transition:milestone_list") + "?q=a&sort=title"
    export = ExportFile.objects.get()
    assert (export.owner, export.status, export.query) == (
        operations_manager,
        ExportFile.Status.PENDING,
        "q=a&sort=title",
    )
    assert enqueued == [export.pk]

    tasks.build_export(export.pk)  # what the worker runs

    export.refresh_from_db()
    assert (export.status, export.row_count) == (ExportFile.Status.READY, 3)
    notification = Notification.objects.get(user=operations_manager)
    assert notification.url == reverse("imports:export_download", args=[export.pk])
    assert "3 rows" in notification.body

    download = client.get(notification.url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="milestones-')
    rows = list(csv.reader(io.StringIO(download.getvalue().decode(), newline="")))
    # The owner's search and sort came along: "a" matches all three, sorted by title.
    assert [row[2] for row in rows[1:]] == ["'=Alpha", "Beta", "Gamma"]

    client.force_login(UserFactory(username="mallory", role="Operations managers"))
    assert client.get(notification.url).status_code == 404
    client.logout()
    assert client.get(notification.url).status_code == 302


@pytest.mark.usefixtures("large")
def test_the_background_export_keeps_the_owners_filter(
    client, operations_manager, enqueued, django_capture_on_commit_callbacks
):
    request_export(client, operations_manager, django_capture_on_commit_callbacks, fmt="xlsx")
    for title in ("Delta", "Vista"):  # more than the threshold either way
        MilestoneFactory(title=title)
    request_export(
        client, operations_manager, django_capture_on_commit_callbacks, fmt="xlsx", q="ta"
    )

    for export_id in enqueued:
        export_build(export_id=export_id)

    counts = dict(ExportFile.objects.values_list("query", "row_count"))
    # Rows as they are when the worker builds the file: all five, and "Beta", "Delta", "Vista".
    assert counts == {"": 5, "q=ta": 3}


@pytest.mark.usefixtures("large")
def test_a_task_run_twice_builds_the_file_once(
    client, operations_manager, enqueued, django_capture_on_commit_callbacks
):
    request_export(client, operations_manager, django_capture_on_commit_callbacks)

    export_build(export_id=enqueued[0])
    assert export_build(export_id=enqueued[0]) is None

    assert Notification.objects.filter(user=operations_manager).count() == 1


@pytest.mark.usefixtures("large")
def test_an_expired_export_is_not_served_and_is_purged(
    client, operations_manager, enqueued, django_capture_on_commit_callbacks
):
    request_export(client, operations_manager, django_capture_on_commit_callbacks)
    export = export_build(export_id=enqueued[0])
    path = export.file.path
    assert os.path.exists(path)
    ExportFile.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))

    assert client.get(export.get_absolute_url()).status_code == 404
    assert export_purge() == 1
    assert not ExportFile.objects.exists()
    assert not os.path.exists(path)


@pytest.mark.usefixtures("large")
def test_a_failed_build_tells_the_owner(
    client, operations_manager, enqueued, django_capture_on_commit_callbacks, monkeypatch
):
    request_export(client, operations_manager, django_capture_on_commit_callbacks)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("imports.exports.write_rows", broken)
    with pytest.raises(RuntimeError):
        tasks.build_export(enqueued[0])

    assert ExportFile.objects.get().status == ExportFile.Status.FAILED
    assert "failed" in Notification.objects.get(user=operations_manager).title


@pytest.mark.usefixtures("large")
def test_a_small_export_is_streamed_at_once(client, operations_manager, enqueued):
    client.force_login(operations_manager)

    response = client.get(reverse("transition:milestone_list"), {"export": "csv", "q": "Beta"})

    assert response.status_code == 200
    assert response.streaming
    assert enqueued == []
    assert not ExportFile.objects.exists()
