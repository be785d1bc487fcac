"""A stored file in a response: the address of the app's permission-checked download view.

DRF's FileField answers with the storage's own URL: under MEDIA_URL, which the app never
serves, or, with a bucket, a signed URL that anyone holding it may use until it expires,
past the app's permission check ("Documents and object storage" in docs/operations.md).
Uploads are read as DRF's FileField reads them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.urls import reverse
from rest_framework import serializers


class DownloadLinkFileField(serializers.FileField):
    """A file upload in requests; in responses the absolute URL of `view_name` with the
    arguments `args(instance)` name, or null when no file is stored."""

    def __init__(self, *, view_name: str, args: Callable[[Model], list], **kwargs):
        super().__init__(**kwargs)
        self.view_name = view_name
        self.url_args = args

    def to_representation(self, value):
        if not value:
            return None
        url = reverse(self.view_name, args=self.url_args(value.instance))
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
