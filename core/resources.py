"""The base of every list's resource: natural keys, set-based loading, bulk writes with history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .signals import announce_deadlines_changed
from .widgets import (
    BooleanWidget,
    ChoiceWidget,
    DecimalWidget,
    IntegerWidget,
    IsoDateWidget,
    NaturalKeyWidget,
    text,
)


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Finds the existing row of each imported row from one query over the whole table."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {resource.instance_key(obj): obj for obj in resource.get_import_queryset()}

    def get_instance(self, row):
        return self.instances.get(self.resource.row_key(row))


class NaturalKeyResource(resources.ModelResource):
    """Base of every list's resource: natural keys, bulk writes, history, duplicate checks."""

    # Columns that identify a row; an import updates the row with the same key.
    key_columns: tuple[str, ...] = ()
    # Exported for reading, ignored on import (the workflow or the date engine owns them).
    computed_columns: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    class Meta:
        abstract = True
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True
        clean_model_instances = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.actor = None
        self.seen_keys: dict[tuple, int] = {}

    # Columns

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if django_field.choices:
            field.widget = ChoiceWidget(django_field.choices, allow_blank=True)
        elif isinstance(django_field, models.DecimalField):
            field.widget = DecimalWidget()
        elif isinstance(django_field, models.IntegerField):
            field.widget = IntegerWidget()
        elif isinstance(django_field, models.BooleanField):
            field.widget = BooleanWidget()
        elif isinstance(django_field, models.DateField):
            field.widget = IsoDateWidget()
        return field

    def column_names(self) -> list[str]:
        """Every column of an export, in order: what an import accepts."""
        return self.get_export_headers()

    def import_columns(self) -> list[str]:
        return [f.column_name for f in self.get_import_fields() if not f.readonly] + [
            column for column in self.key_columns if column not in self.computed_columns
        ]

    def required_columns(self) -> list[str]:
        """Columns a file must have: the natural key and every field without a default."""
        required = list(self.key_columns)
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name in required:
                continue
            try:
                model_field = self._meta.model._meta.get_field(field.attribute.split("__")[0])
            except Exception:  # noqa: S112 - a column that is not a model field is optional
                continue
            if not model_field.blank and not model_field.has_default():
                required.append(field.column_name)
        return required

    def column_errors(self, headers) -> list[str]:
        """Unknown and missing columns of a file, as messages for people."""
        headers = list(headers or [])
        known = self.column_names()
        errors = []
        unknown = [h for h in headers if h not in known]
        if unknown:
            errors.append(
                ngettext(
                    "Unknown column: %(columns)s. The columns are: %(known)s.",
                    "Unknown columns: %(columns)s. The columns are: %(known)s.",
                    len(unknown),
                )
                % {"columns": ", ".join(unknown), "known": ", ".join(known)}
            )
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            errors.append(
                ngettext(
                    "Missing column: %(columns)s.", "Missing columns: %(columns)s.", len(missing)
                )
                % {"columns": ", ".join(missing)}
            )
        return errors

    def column_of(self, attribute: str) -> str:
        """The column a model field's error belongs to, for messages naming row and column."""
        for field in self.fields.values():
            if field.attribute == attribute or field.column_name == attribute:
                return field.column_name
        return ""

    # Export

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.select_related).prefetch_related(
            *self.prefetch_related
        )

    # Import

    def get_import_queryset(self):
        return self.get_queryset().select_related(*self.select_related)

    def instance_key(self, instance) -> tuple:
        raise NotImplementedError

    def row_key(self, row) -> tuple:
        return tuple(text(row.get(column)) for column in self.key_columns)

    def before_import(self, dataset, **kwargs):
        # The browser checks columns before importing; the admin import arrives here directly.
        errors = self.column_errors(dataset.headers)
        if errors:
            raise ValueError(" ".join(errors))
        self.actor = kwargs.get("user")
        self.seen_keys = {}
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                field.widget.reset()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Inside the import's transaction: a preview or a failed import rolls back, and the
        # re-planning it announced is dropped with it (core/signals.py).
        announce_deadlines_changed(self._meta.model)

    def before_import_row(self, row, row_number=None, **kwargs):
        key = self.row_key(row)
        first = self.seen_keys.setdefault(key, row_number)
        if first != row_number:
            raise ValidationError(
                {
                    self.key_columns[-1]: _(
                        "Duplicate: data row %(first)s has the same %(columns)s."
                    )
                    % {"first": first, "columns": " + ".join(self.key_columns)}
                }
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Uniqueness is settled set-based (one row per natural key, matched to the existing
        # row), and CheckConstraints mirror clean(); checking either per row would cost a
        # query per row.
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | set(getattr(instance, "_get_protected_fsm_fields", set)())
        try:
            self.clean_instance(instance, exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean_instance(self, instance, exclude):
        instance.full_clean(
            exclude=exclude | self.resolved_relations(instance),
            validate_unique=False,
            validate_constraints=False,
        )

    @staticmethod
    def resolved_relations(instance) -> set[str]:
        """Foreign keys set from objects just read from the database: known to exist.

        Field validation would otherwise query each related row once per imported row.
        """
        return {
            f.name
            for f in instance._meta.concrete_fields
            if f.is_relation and getattr(instance, f.attname) is not None
        }

    def get_bulk_update_fields(self):
        return [
            field.attribute
            for field in self.get_import_fields()
            if field.attribute
            and not field.readonly
            and "__" not in field.attribute
            and field.column_name not in self.get_import_id_fields()
        ]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not hasattr(self._meta.model, "history"):
            return super().bulk_create(
                using_transactions, dry_run, raise_errors, batch_size, result
            )
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.actor,
                    default_change_reason="import",
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()
        return None

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not hasattr(self._meta.model, "history"):
            return super().bulk_update(
                using_transactions, dry_run, raise_errors, batch_size, result
            )
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.actor,
                    default_change_reason="import",
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()
        return None
