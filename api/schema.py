"""OpenAPI post-processing: document the error responses every operation can give.

drf-spectacular describes the success responses; this hook adds, where a view has not said
better, the errors DRF itself returns: 400 for bad input (a body or query parameters) and for
a delete refused because other rows depend on the object, 403 when not signed in or when the
role may not act (session authentication comes first, so DRF answers 403 rather than 401),
and 404 for an unknown id in the path or a page past the last.

`ApiAutoSchema` states in the schema the validation the server applies (docs/api.md,
"Generated clients"), read from the serializer fields, their validators and the models'
check constraints, so it cannot drift from the rules: ISO 4217 and ISO 3166 codes as patterns,
the span of dates the API accepts, the bounds of decimal amounts, and which date may not
come before which.
"""

from django.db.models import CheckConstraint, F, Q
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from contracts.codes import (
    validate_country_code,
    validate_currency_code,
    validate_holiday_country_code,
)

from .serializers.common import EARLIEST, LATEST, PlausibleDateField

# A code validator → the pattern every valid code matches, and what it is.
CODE_PATTERNS = [
    (validate_currency_code, "^[A-Z]{3}$", "An ISO 4217 currency code, e.g. EUR."),
    (validate_country_code, "^[A-Z]{2}$", "An ISO 3166-1 alpha-2 country code, e.g. DE."),
    (
        validate_holiday_country_code,
        "^[A-Z]{2}$",
        "An ISO 3166-1 alpha-2 country code with a public-holiday calendar, e.g. DE.",
    ),
]
# The lookups of a check constraint that order two dates: field__gte=F(other) and so on.
ORDER_WORDS = {"gte": "on or after", "gt": "after", "lte": "on or before", "lt": "before"}


def _describe(schema: dict, sentence: str) -> None:
    """Add a sentence to the field's description (after its help text, if any)."""
    text = schema.get("description", "").strip()
    # A help text that only names the standard ("ISO 3166") gives way to the fuller sentence.
    schema["description"] = f"{text} {sentence}" if text and text not in sentence else sentence


def _comparisons(condition):
    """(field, lookup, other field) for every `field__lookup=F(other)` inside a Q."""
    for child in condition.children:
        if isinstance(child, Q):
            yield from _comparisons(child)
        elif isinstance(child[1], F) and "__" in child[0]:
            name, lookup = child[0].rsplit("__", 1)
            if lookup in ORDER_WORDS:
                yield name, lookup, child[1].name


def _date_order(field) -> list[str]:
    """What the model's check constraints say about this date against the others."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None:
        return []
    return [
        f"{ORDER_WORDS[lookup].capitalize()} `{other}` (when both are set)."
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
        for name, lookup, other in _comparisons(constraint.condition)
        if name == field.source
    ]


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the rules drf-spectacular does not read from a field."""

    def _insert_field_validators(self, field, schema):
        validators = getattr(field, "validators", [])
        for validator, pattern, sentence in CODE_PATTERNS:
            if validator in validators and schema.get("type") == "string":
                schema.setdefault("pattern", pattern)
                _describe(schema, sentence)
        if isinstance(field, PlausibleDateField) and not field.read_only:
            _describe(schema, f"Between {EARLIEST.isoformat()} and {LATEST.isoformat()}.")
        if isinstance(field, serializers.DateField) and not field.read_only:
            for sentence in _date_order(field):
                _describe(schema, sentence)
        if isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
            self._decimal_bounds(field, schema)
        super()._insert_field_validators(field, schema)

    @staticmethod
    def _decimal_bounds(field, schema: dict) -> None:
        """A decimal string has no minimum or maximum in OpenAPI: no minus sign in the
        pattern when it may not be negative, and the bounds in words."""
        low, high = field.min_value, field.max_value
        if low is not None and low >= 0 and schema.get("pattern", "").startswith("^-?"):
            schema["pattern"] = "^" + schema["pattern"][3:]
        if low is not None and high is not None:
            _describe(schema, f"From {low} to {high}.")
        elif low is not None:
            _describe(schema, f"At least {low}.")
        elif high is not None:
            _describe(schema, f"At most {high}.")


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
DIGITS = {"type": "string", "pattern": r"^\d+$"}


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


def whole_number_ids(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: an `{id}` in a path is an integer, not a string of digits.

    The routes match digits only (anything else is a JSON 404), which drf-spectacular reads
    as a string with a pattern; clients should take and send the integer ids bodies carry.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("schema") == DIGITS:
                    parameter["schema"] = {"type": "integer"}
    return result


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
