"""The base of every list's resource: natural keys, set-based loading, bulk writes with history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .changes import FieldChange, field_display
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

# Rows an export reads per fetch, and per query of what a chunk of rows needs besides.
EXPORT_CHUNK_ROWS = 2000


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
    # Columns an export reads for a chunk of rows at once (`export_chunk_values`).
    chunk_columns: tuple[str, ...] = ()
    # Read for each chunk of exported rows (`prepare_export_chunk`).
    prefetch_related: tuple = ()

    class Meta:
        abstract = True
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True
        # A row equal to the stored one is skipped: not written, no history entry; the
        # comparison is `skip_row`'s own, without import-export's deep copies (skip_diff).
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.actor = None
        self.seen_keys: dict[tuple, int] = {}
        # What each changed row changes, by data row number: the preview lists it.
        self.row_changes: dict[int, list[FieldChange]] = {}
        self.stored_values: dict[str, Any] | None = None
        self.pending_changes: list[FieldChange] = []
        self._tracked_fields: list[models.Field] | None = None
        self._related_by_pk: dict[str, dict[Any, Any]] = {}

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

    # Export: one pass over the rows, a chunk at a time (docs/import-export.md)

    def filter_export(self, queryset, **kwargs):
        # The columns' own joins replace the list page's: a page shows more than a file does.
        return (
            queryset.select_related(None)
            .select_related(*self.select_related)
            .prefetch_related(None)
        )

    def iter_queryset(self, queryset):
        # Not the parent's: with prefetch_related it pages with a Paginator that re-runs the
        # whole list query per 100 rows. One query streamed in chunks (a server-side cursor
        # on PostgreSQL), and `prepare_export_chunk` reads what each chunk's rows need.
        if not isinstance(queryset, models.QuerySet):
            yield from queryset
            return
        chunk: list = []
        for instance in queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS):
            chunk.append(instance)
            if len(chunk) == EXPORT_CHUNK_ROWS:
                self.prepare_export_chunk(chunk)
                yield from chunk
                chunk = []
        if chunk:
            self.prepare_export_chunk(chunk)
            yield from chunk

    def prepare_export_chunk(self, instances: list) -> None:
        """Read what the rows of one chunk show beyond their own joins, in one query each."""
        prefetch_related_objects(instances, *self.prefetch_related)

    def export_headers_and_rows(self, queryset) -> tuple[list[str], Iterator[list]]:
        """The export's column names and its rows, produced as they are read: what a
        streamed or background export writes (tablib's Dataset would hold every row).

        When every column is a database value (or one of `chunk_columns`), rows are read as
        tuples (`values_list`), not model instances: the same cells, several times faster.
        """
        fields = self.get_export_fields()
        headers = self.get_export_headers()
        plan = self._values_plan(fields)
        if plan is not None:
            try:
                paths = [path for path, _render in plan if path is not None]
                values = queryset.values_list("pk", *paths)
            except FieldError:  # a column that is a property, not a field
                plan = None
        if plan is None:
            queryset = self.filter_export(queryset)
            rows = (
                [self.export_field(field, instance) for field in fields]
                for instance in self.iter_queryset(queryset)
            )
            return headers, rows
        return headers, self._value_rows(values, plan)

    def _values_plan(self, fields) -> list[tuple[str | None, Any]] | None:
        """Per column, its `values_list` path and how to render it (None: a chunk column)."""
        plan: list[tuple[str | None, Any]] = []
        for field in fields:
            name = self.get_field_name(field)
            if name in self.chunk_columns:
                plan.append((None, name))
                continue
            if not field.attribute or callable(getattr(self, f"dehydrate_{name}", None)):
                return None
            if isinstance(field.widget, NaturalKeyWidget):
                plan.append((f"{field.attribute}__{field.widget.field}", text))
            else:
                plan.append((field.attribute, field.widget.render))
        return plan

    def _value_rows(self, values, plan) -> Iterator[list]:
        chunk: list[tuple] = []
        for row in values.iterator(chunk_size=EXPORT_CHUNK_ROWS):
            chunk.append(row)
            if len(chunk) == EXPORT_CHUNK_ROWS:
                yield from self._render_chunk(chunk, plan)
                chunk = []
        if chunk:
            yield from self._render_chunk(chunk, plan)

    def _render_chunk(self, chunk: list[tuple], plan) -> Iterator[list]:
        extra = self.export_chunk_values([row[0] for row in chunk]) if self.chunk_columns else {}
        for row in chunk:
            cells, position = [], 1
            for path, render in plan:
                if path is None:
                    cells.append(extra[render].get(row[0], ""))
                else:
                    cells.append(render(row[position]))
                    position += 1
            yield cells

    def export_chunk_values(self, pks: list[int]) -> dict[str, dict[int, object]]:
        """The `chunk_columns` of a chunk of rows: column → {pk: cell}, one query each."""
        raise NotImplementedError

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
        self.row_changes = {}
        self._tracked_fields = None
        self._related_by_pk = {}
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

    # Unchanged rows (docs/import-export.md)

    def tracked_fields(self) -> list[models.Field]:
        """The model fields an import writes: those compared to tell an unchanged row."""
        if self._tracked_fields is None:
            names = dict.fromkeys(self.get_bulk_update_fields())
            self._tracked_fields = [self._meta.model._meta.get_field(name) for name in names]
        return self._tracked_fields

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        self.pending_changes = []
        self.stored_values = (
            None
            if new
            else {
                field.attname: getattr(instance, field.attname) for field in self.tracked_fields()
            }
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        if self.stored_values is None:  # a new row
            return False
        self.pending_changes = self.changes_of(instance, row)
        return not self.pending_changes

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type == row_result.IMPORT_TYPE_UPDATE and self.pending_changes:
            self.row_changes[kwargs.get("row_number") or 0] = self.pending_changes

    def changes_of(self, instance, row) -> list[FieldChange]:
        """What importing `row` changes in the stored row, field by field, for people."""
        stored = self.stored_values or {}
        currency = getattr(instance, "currency", "")
        old_currency = stored.get("currency", currency)
        changes = []
        for field in self.tracked_fields():
            old, new = stored.get(field.attname), getattr(instance, field.attname)
            if old == new:
                continue
            if field.is_relation:
                old, new = self.related_object(field, old), getattr(instance, field.name)
            changes.append(
                FieldChange(
                    self.column_of(field.name) or field.name,
                    field_display(field, old, currency=old_currency),
                    field_display(field, new, currency=currency),
                )
            )
        return changes + self.extra_changes(instance, row)

    def extra_changes(self, instance, row) -> list[FieldChange]:
        """Changes of what a resource writes besides the row's fields (e.g. links)."""
        return []

    def related_object(self, field: models.Field, pk):
        """The object a foreign key held before the import: from the column's lookup, which
        has read the related table once already (one more query only without one)."""
        if pk is None:
            return None
        if field.name not in self._related_by_pk:
            self._related_by_pk[field.name] = {}
            for import_field in self.fields.values():
                widget = import_field.widget
                if import_field.attribute == field.name and isinstance(widget, NaturalKeyWidget):
                    if widget.cache is None:
                        widget.cache = widget.load()
                    self._related_by_pk[field.name] = {o.pk: o for o in widget.cache.values()}
        found = self._related_by_pk[field.name].get(pk)
        if found is None:
            found = field.related_model._default_manager.filter(pk=pk).first()
        return found or pk

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
                with transaction.atomic(savepoint=False):
                    values_bulk_update(
                        self._meta.model,
                        self.update_instances,
                        self.get_bulk_update_fields(),
                        batch_size=batch_size or self._meta.batch_size,
                    )
                    # No fields: simple_history then writes only the history rows.
                    bulk_update_with_history(
                        self.update_instances,
                        self._meta.model,
                        [],
                        batch_size=batch_size,
                        default_user=self.actor,
                        default_change_reason="import",
                    )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()
        return None


def values_bulk_update(model, instances, field_names: list[str], *, batch_size: int) -> None:
    """Write `field_names` of every instance, one UPDATE per batch.

    Django's `bulk_update` builds a CASE WHEN per field and row, which costs about 20 ms
    of Python per row with twenty fields (docs/import-export.md); on PostgreSQL the rows
    are joined from a VALUES list instead. Elsewhere (SQLite in tests) Django's is used.
    """
    if not instances or not field_names:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(instances, field_names, batch_size=batch_size)
        return
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in field_names]
    columns = [pk, *fields]
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in columns) + ")"
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in columns)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(instances), batch_size):
            batch = instances[start : start + batch_size]
            params = [
                field.get_db_prep_save(getattr(instance, field.attname), connection)
                for instance in batch
                for field in columns
            ]
            # Table and column names come from the model and are quoted; values are bound.
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))})"  # noqa: S608  # nosec B608
                f" AS v({names}) WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )
