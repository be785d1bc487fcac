"""A stored file served by the API, to a token or a session alike: the same permission
check as reading its record, the same stream as the pages (`core.files`)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema


def download_schema(what: str):
    """The schema of a download action: the file's bytes, or 404 naming what is missing."""
    return extend_schema(
        summary=f"Download the {what}",
        description=(
            f"The {what} as a file attachment, streamed after the same permission check as "
            f"reading the record. 404 when none is attached or the stored file is missing. "
            "Ask with `Accept: */*` or `application/json` (errors are JSON)."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
