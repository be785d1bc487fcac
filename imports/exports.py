"""Large list exports built in the background: requested from a list, written by a Celery
task, announced by a notification, downloaded by their owner only (docs/import-export.md)."""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.spreadsheets import write_rows
from core.types import AuthUser
from core.views import RegisterListView
from reminders.models import Notification

from .models import ExportFile

logger = logging.getLogger(__name__)


def export_request(*, actor: AuthUser, view: RegisterListView, fmt: str) -> ExportFile:
    """Record an export of what `view` lists for `actor`, and hand it to a worker."""
    from .tasks import build_export

    query = view.request.GET.copy()
    query.pop("export", None)
    query.pop("page", None)
    export = ExportFile.objects.create(
        owner=actor,
        view=f"{type(view).__module__}.{type(view).__qualname__}",
        query=query.urlencode(),
        format=fmt,
        name=view.export_file_name(),
        expires_at=timezone.now() + timedelta(hours=settings.EXPORT_FILE_HOURS),
    )
    transaction.on_commit(lambda: _enqueue(build_export, export.pk))
    return export


def _enqueue(task, export_id: int) -> None:
    try:
        task.delay(export_id)
    except Exception:  # the broker is down: the row stays pending, the user is told so
        logger.exception("Could not enqueue export %s", export_id)
        ExportFile.objects.filter(pk=export_id).update(status=ExportFile.Status.FAILED)


def background_export(view: RegisterListView, fmt: str) -> HttpResponseRedirect:
    """The list's answer to a large export (connected in ImportsConfig.ready()): the file is
    prepared in the background, and the list says so."""
    export = export_request(actor=view.request.user, view=view, fmt=fmt)
    messages.info(
        view.request,
        _(
            "This export has more than %(limit)s rows, so it is being prepared in the "
            "background. You will get a notification with a download link for “%(name)s”."
        )
        % {"limit": f"{settings.EXPORT_BACKGROUND_ROWS:,}", "name": str(export)},
    )
    query = view.request.GET.copy()
    query.pop("export", None)
    return HttpResponseRedirect(f"{view.request.path}?{query.urlencode()}".rstrip("?"))


def export_build(*, export_id: int) -> ExportFile | None:
    """Write a requested export's file and notify its owner; at most once per request.

    The row is claimed under a lock, so a redelivered task finds it no longer pending and
    does nothing. The rows are rebuilt from the list view with the owner's permissions,
    filter, search and sort, and written a chunk at a time (core/resources.py), laid out
    as the streamed export (`RegisterListView.export_layout`).
    """
    export_purge()
    with transaction.atomic():
        export = (
            ExportFile.objects.select_for_update(skip_locked=True)
            .select_related("owner")
            .filter(pk=export_id, status=ExportFile.Status.PENDING)
            .first()
        )
        if export is None:
            return None
        view = _list_view(export)
        rows = view.export_queryset()
        resource = view.export_resource()
        headers, values = resource.export_headers_and_rows(rows)
        counted = _Counted(values)
        with tempfile.TemporaryFile() as target:
            # Laid out as the streamed export is: sheet title, typed cells, `?bom=1`.
            write_rows(target, export.format, headers, counted, **view.export_layout(resource))
            target.seek(0)
            export.file.save(f"{export.name}.{export.format}", File(target), save=False)
        export.status = ExportFile.Status.READY
        export.row_count = counted.count
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "row_count", "finished_at"])
        Notification.objects.create(
            user=export.owner,
            title=(_("Your export “%(name)s” is ready") % {"name": str(export)})[:200],
            body=_("%(rows)s rows. The link works until %(expires)s.")
            % {
                "rows": f"{export.row_count:,}",
                "expires": date_format(
                    timezone.localtime(export.expires_at), "SHORT_DATETIME_FORMAT"
                ),
            },
            url=export.get_absolute_url(),
        )
    return export


def export_fail(*, export_id: int) -> None:
    """Mark an export that could not be built, and tell its owner."""
    with transaction.atomic():
        export = (
            ExportFile.objects.select_for_update()
            .filter(pk=export_id, status=ExportFile.Status.PENDING)
            .first()
        )
        if export is None:
            return
        export.status = ExportFile.Status.FAILED
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "finished_at"])
        Notification.objects.create(
            user_id=export.owner_id,
            title=(_("Your export “%(name)s” failed") % {"name": str(export)})[:200],
            body=_("Try again with a narrower filter, or ask an administrator."),
        )


def export_purge() -> int:
    """Delete expired export files and their rows; returns how many."""
    expired = list(ExportFile.objects.filter(expires_at__lte=timezone.now()))
    for export in expired:
        if export.file:
            export.file.delete(save=False)
    ExportFile.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)


def _list_view(export: ExportFile) -> RegisterListView:
    view_class = import_string(export.view)
    if not (isinstance(view_class, type) and issubclass(view_class, RegisterListView)):
        raise ValueError(f"{export.view} is not a list view")
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(export.query)
    request.user = export.owner
    view = view_class()
    view.setup(request)
    return view


class _Counted:
    """The rows passed through, counted."""

    def __init__(self, rows):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row
