"""Serving a stored file: through Django's storage API (the filesystem or a bucket), streamed
by the app after its own permission check, never by handing out the storage's URL
(docs/operations.md, "Documents and object storage")."""

from __future__ import annotations

from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def stored_file_response(file: FieldFile, *, absent: str, missing: str) -> FileResponse:
    """`file` as a download named after it. Raises Http404 with `absent` when nothing is
    attached, and with `missing` when the storage no longer has it."""
    if not file:
        raise Http404(absent)
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404(missing) from error
    return FileResponse(handle, as_attachment=True, filename=PurePath(file.name or "").name)
