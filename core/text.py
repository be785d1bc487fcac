"""What text we accept: no control characters in anything a person types (docs/security.md).

Decided once, at input: every model of ours validates its text fields in `clean_fields()`
(which forms, the admin, the API's services and imports all reach through `full_clean()`),
so a NUL byte or a bell character is refused with a message naming the field instead of
failing later in PostgreSQL (which cannot store NUL) or in an XLSX export (XML cannot carry
most C0 controls). Tab, line feed and carriage return are ordinary text. Search terms are
not stored, so they are cleaned rather than refused.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, LF and CR; DEL and the C1 controls; lone UTF-16 surrogates (JSON can
# carry them, UTF-8 cannot encode them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def first_control_character(value: str) -> str | None:
    """The first character of `value` that text may not contain, or None."""
    found = CONTROL_CHARACTERS.search(value)
    return found.group() if found else None


def validate_plain_text(value: object) -> None:
    """Refuse text holding a control character, naming it by its code point."""
    if not isinstance(value, str):
        return
    character = first_control_character(value)
    if character is not None:
        raise ValidationError(
            _(
                "Remove the control character U+%(code)04X from this text; it cannot be "
                "stored or exported."
            ),
            params={"code": ord(character)},
            code="control_character",
        )


def without_control_characters(value: str) -> str:
    """A search term with the characters no text may hold taken out."""
    return CONTROL_CHARACTERS.sub("", value)


class PlainTextModel(models.Model):
    """A model whose every text field refuses control characters (see the module doc)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            try:
                validate_plain_text(getattr(self, field.attname))
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
