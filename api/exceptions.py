"""Turn the services' Django exceptions into API responses: 400 with field messages, 403;
and the JSON answer for errors under /api/ that no API view answers (see backsourcing.urls)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError from services as a 400 naming fields.

    Every 400 body is an object keyed by field (`non_field_errors` for the request as a
    whole), also when a filter raised a bare message, so clients read one shape.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_as_detail(exc))
    elif isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        exc.detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.detail}
    return drf_exception_handler(exc, context)


def renamed_fields(
    error: DjangoValidationError, names: dict[str, str]
) -> exceptions.ValidationError:
    """A service's ValidationError for the API, its model field names as the request names them."""
    return exceptions.ValidationError(
        detail={names.get(field, field): messages for field, messages in _as_detail(error).items()}
    )


def _as_detail(error: DjangoValidationError):
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    }


def is_api_request(request) -> bool:
    """Whether a request is for the API (`/api/…`), whose every answer is JSON."""
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def error_response(request, status: int) -> JsonResponse:
    """The JSON answer, `{"detail": …}` as DRF writes it, for an error no API view answered:
    a path no URL matches (a non-numeric id, an unknown resource), and Django's 400, 403
    and 500 outside DRF's views. Needs neither the database nor the user.
    """
    if status == 404:
        detail = _(
            "Not found: nothing answers %(method)s %(path)s. Ids are whole numbers; "
            "the resources are listed at /api/v1/ and described at /api/schema/."
        ) % {"method": request.method, "path": request.path}
    else:
        detail = _ERROR_DETAILS.get(status, exceptions.APIException.default_detail)
    return JsonResponse({"detail": str(detail)}, status=status)


_ERROR_DETAILS = {
    400: exceptions.ParseError.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    500: exceptions.APIException.default_detail,
}
