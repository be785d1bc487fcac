"""Stored files in the admin link to the app's permission-checked download views.

Django's admin links a file to its storage URL: under MEDIA_URL, which the app never serves,
or, with a bucket, a signed URL that skips the app's permission check. The widget and the
link here point at the app's own view instead ("Documents and object storage" in
docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils.html import format_html
from django.utils.safestring import SafeString


def stored_file_link(file: FieldFile, url: str) -> SafeString | str:
    """An escaped link to `url` named after the stored file, or "" when there is none."""
    if not file:
        return ""
    return format_html('<a href="{}">{}</a>', url, PurePath(file.name or "").name)


class _LinkedFile:
    """A stored file as the admin's file input shows it: its name, and the app's link."""

    def __init__(self, file: FieldFile, url: str):
        self.file = file
        self.url = url

    def __str__(self) -> str:
        return PurePath(self.file.name or "").name


class DownloadLinkFileInput(AdminFileWidget):
    """The admin's file input, its current file linked to `link(instance)` (a download view
    of the app), never to the storage's own URL."""

    def __init__(self, link: Callable[[Model], str], attrs=None):
        super().__init__(attrs)
        self.link = link

    def is_initial(self, value) -> bool:
        # Django's test asks the storage for the file's URL; a saved row is what counts here.
        instance = getattr(value, "instance", None)
        return bool(value and getattr(value, "name", None) and instance and instance.pk)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _LinkedFile(value, self.link(value.instance))
        return context
