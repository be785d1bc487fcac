"""OpenAPI post-processing: document the error responses every operation can give.

drf-spectacular describes the success responses; this hook adds, where a view has not said
better, the errors DRF itself returns: 400 for bad input (a body or query parameters) and for
a delete refused because other rows depend on the object, 403 when not signed in or when the
role may not act (session authentication comes first, so DRF answers 403 rather than 401),
and 404 for an unknown id in the path or a page past the last.
"""

ERROR_DETAIL = "ErrorDetail"
FIELD_ERRORS = "FieldErrors"

COMPONENTS = {
    ERROR_DETAIL: {
        "type": "object",
        "description": "Why the request was refused, in words.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": (
            "Messages keyed by the input field or query parameter they concern; "
            "`non_field_errors` holds those about the request as a whole."
        ),
        "additionalProperties": {},
    },
}

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _response(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _query_parameters(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}


def _takes_input(method: str, operation: dict) -> bool:
    return method in WRITE_METHODS or bool(_query_parameters(operation))


def _requires_sign_in(operation: dict) -> bool:
    # drf-spectacular lists `{}` among the security requirements of an AllowAny view.
    return {} not in operation.get("security", [{}])


def document_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: fill in 400, 403 and 404 where they can happen."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if _takes_input(method, operation):
                responses.setdefault("400", _response("Invalid input.", FIELD_ERRORS))
            if _requires_sign_in(operation):
                responses.setdefault(
                    "403",
                    _response("Not signed in, or your role may not do this.", ERROR_DETAIL),
                )
            if "{" in path or "page" in _query_parameters(operation):
                responses.setdefault("404", _response("Not found.", ERROR_DETAIL))
    return result
