"""Import/export resources of every list, keyed by natural keys so an export imports back.

Rows refer to others by what people see: a provider by name, a contract by reference, a
programme by name, a process by its programme's name plus its own name, a user by username.
Imports are set-based: existing rows and every referenced object are loaded once per import
(not once per row), new rows are bulk-created and changed rows bulk-updated.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contracts.models import Contract, ServiceProvider
from transition.models import Asset, Milestone, OutsourcedProcess, Programme, StaffMember
from transition.models.plan import predecessors_pending_message

DEPENDENCY_SEPARATOR = ";"


def text(value) -> str:
    """A cell as trimmed text ("" for empty cells, whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Widgets: clear messages for bad cells, natural keys resolved from one query per import.


class IsoDateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD (spreadsheet date cells are accepted as they are)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        value = text(value)
        if not value:
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}
            ) from None


class NumberCleanMixin:
    """Turns the decimal module's errors into the ValueError import-export reports by column."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text(value)}) from None


class DecimalWidget(NumberCleanMixin, widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        result = super().clean(value, row=row, **kwargs)
        if result is not None and not result.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text(value)})
        return result

    def render(self, value, obj=None, **kwargs):
        # Plain digits with a dot: a localised thousands separator would not import back.
        if isinstance(value, Decimal) and not kwargs.get("force_native_type"):
            return str(value)
        return super().render(value, obj, **kwargs)


class IntegerWidget(NumberCleanMixin, widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and "." in value and value.strip().rstrip("0").endswith("."):
            value = value.strip().rstrip("0").rstrip(".")
        result = super().clean(value, row=row, **kwargs)
        if result is not None and text(value) and Decimal(text(value)) != result:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text(value)})
        return result

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, int) and not kwargs.get("force_native_type"):
            return str(value)
        return super().render(value, obj, **kwargs)


class BooleanWidget(widgets.BooleanWidget):
    """Accepts 1/0, true/false and yes/no; anything else is an error, not a silent False."""

    TRUE_TEXT = {"1", "true", "yes", "y"}
    FALSE_TEXT = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = text(value).lower()
        if word in self.TRUE_TEXT:
            return True
        if word in self.FALSE_TEXT or word == "":
            return False
        raise ValueError(_("“%(value)s” is not yes or no (use 1 or 0).") % {"value": text(value)})


class ChoiceWidget(widgets.CharWidget):
    """A choice by its stored value or its label, in any case; exported as the value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        word = text(value)
        if not word:
            return ""
        lookup = {}
        for key, label in self.choices:
            lookup[str(key).lower()] = key
            lookup[str(label).lower()] = key
        try:
            return lookup[word.lower()]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": word, "choices": ", ".join(str(key) for key, _label in self.choices)}
            ) from None


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related object's natural key, looked up in one query."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.cache = None

    def reset(self):
        self.cache = None

    def load(self) -> dict:
        return {text(getattr(obj, self.field)): obj for obj in self.model.objects.all()}

    def key(self, value, row) -> str | tuple:
        return text(value)

    def clean(self, value, row=None, **kwargs):
        key = self.key(value, row or {})
        if not key or key == ("", ""):
            return None
        if self.cache is None:
            self.cache = self.load()
        try:
            return self.cache[key]
        except KeyError:
            raise ValueError(self.missing_message(key)) from None

    def missing_message(self, key) -> str:
        return _("There is no %(model)s “%(value)s”.") % {
            "model": self.model._meta.verbose_name,
            "value": key,
        }

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return text(getattr(value, self.field))


class ProcessWidget(NaturalKeyWidget):
    """A process named by the row's `programme` column plus its own name in this column."""

    def __init__(self, **kwargs):
        super().__init__(OutsourcedProcess, field="name", **kwargs)

    def load(self) -> dict:
        return {
            (process.programme.name, process.name): process
            for process in OutsourcedProcess.objects.select_related("programme")
        }

    def key(self, value, row):
        return (text(row.get("programme")), text(value))

    def missing_message(self, key) -> str:
        programme, name = key
        if not programme:
            return _("Give the programme of process “%(name)s” in the programme column.") % {
                "name": name
            }
        return _("Programme “%(programme)s” has no process “%(name)s”.") % {
            "programme": programme,
            "name": name,
        }


def _choice_or_text(value, choices) -> str:
    try:
        return ChoiceWidget(choices).clean(value)
    except ValueError:
        return text(value)  # the row's own validation reports the bad choice


def user_widget():
    return NaturalKeyWidget(get_user_model(), field="username")


# Instance loading: every existing row of the model once, keyed by its natural key.


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


def _process_key(process) -> tuple[str, str]:
    return (process.programme.name, process.name)


class ServiceProviderResource(NaturalKeyResource):
    """Providers, identified by name."""

    key_columns = ("name",)

    class Meta:
        model = ServiceProvider
        fields = (
            "name",
            "legal_name",
            "country",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "notes",
        )
        export_order = fields
        import_id_fields = ("name",)

    def instance_key(self, instance):
        return (instance.name,)


class ContractResource(NaturalKeyResource):
    """Contracts, identified by reference; the provider by name, the owner by username."""

    key_columns = ("reference",)
    computed_columns = ("current_term_end", "next_notice_deadline", "status")
    select_related = ("provider", "owner")

    provider = fields.Field(
        attribute="provider",
        column_name="provider",
        widget=NaturalKeyWidget(ServiceProvider, field="name"),
    )
    owner = fields.Field(attribute="owner", column_name="owner", widget=user_widget())
    current_term_end = fields.Field(column_name="current_term_end", readonly=True)
    next_notice_deadline = fields.Field(column_name="next_notice_deadline", readonly=True)
    status = fields.Field(column_name="status", readonly=True)

    class Meta:
        model = Contract
        fields = (
            *Contract.INPUT_FIELDS,
            "current_term_end",
            "next_notice_deadline",
            "status",
        )
        export_order = fields
        import_id_fields = ("reference",)

    def instance_key(self, instance):
        return (instance.reference,)

    def dehydrate_current_term_end(self, contract):
        return contract.current_term_end().isoformat()

    def dehydrate_next_notice_deadline(self, contract):
        deadline = contract.next_notice_deadline()
        return deadline.isoformat() if deadline else ""

    def dehydrate_status(self, contract):
        return contract.status()


class ProgrammeResource(NaturalKeyResource):
    """Programmes, identified by name; the sponsor by username."""

    key_columns = ("name",)
    select_related = ("sponsor",)

    sponsor = fields.Field(attribute="sponsor", column_name="sponsor", widget=user_widget())

    class Meta:
        model = Programme
        fields = ("name", "description", "sponsor", "start_date", "target_date", "budget")
        export_order = fields
        import_id_fields = ("name",)

    def instance_key(self, instance):
        return (instance.name,)


class OutsourcedProcessResource(NaturalKeyResource):
    """Processes, identified by programme name + process name.

    The state and the dates the workflow records are exported but never imported: the
    state moves only through `apply_transition`.
    """

    key_columns = ("programme", "name")
    computed_columns = ("state", "notice_served_on", "exit_date", "in_house_on")
    select_related = ("programme", "contract", "owner", "lead")

    programme = fields.Field(
        attribute="programme",
        column_name="programme",
        widget=NaturalKeyWidget(Programme, field="name"),
    )
    contract = fields.Field(
        attribute="contract",
        column_name="contract",
        widget=NaturalKeyWidget(Contract, field="reference"),
    )
    owner = fields.Field(attribute="owner", column_name="owner", widget=user_widget())
    lead = fields.Field(attribute="lead", column_name="lead", widget=user_widget())
    state = fields.Field(attribute="state", column_name="state", readonly=True)
    notice_served_on = fields.Field(
        attribute="notice_served_on",
        column_name="notice_served_on",
        readonly=True,
        widget=IsoDateWidget(),
    )
    exit_date = fields.Field(
        attribute="exit_date", column_name="exit_date", readonly=True, widget=IsoDateWidget()
    )
    in_house_on = fields.Field(
        attribute="in_house_on", column_name="in_house_on", readonly=True, widget=IsoDateWidget()
    )

    class Meta:
        model = OutsourcedProcess
        fields = (
            *OutsourcedProcess.INPUT_FIELDS,
            "state",
            "notice_served_on",
            "exit_date",
            "in_house_on",
        )
        export_order = fields
        import_id_fields = ("programme", "name")

    def instance_key(self, instance):
        return _process_key(instance)


class PlanItemResource(NaturalKeyResource):
    """Base of a process's plan items: the process is named by `programme` + `process`."""

    select_related = ("process__programme",)

    programme = fields.Field(
        attribute="process__programme__name", column_name="programme", readonly=True
    )
    process = fields.Field(attribute="process", column_name="process", widget=ProcessWidget())

    class Meta:
        abstract = True

    def get_bulk_update_fields(self):
        return [name for name in super().get_bulk_update_fields() if name != "process"]


class MilestoneResource(PlanItemResource):
    """Milestones, identified by programme + process + title.

    `depends_on` lists the titles of milestones of the same process, separated by ";".
    Dependencies are checked over the whole file and the database together (same process,
    no cycle, not done while a predecessor is open) and written after the rows.
    """

    key_columns = ("programme", "process", "title")
    select_related = ("process__programme", "owner")
    prefetch_related = ("depends_on",)

    owner = fields.Field(attribute="owner", column_name="owner", widget=user_widget())
    depends_on = fields.Field(column_name="depends_on", readonly=True)

    class Meta:
        model = Milestone
        fields = ("programme", *Milestone.INPUT_FIELDS)
        export_order = fields
        import_id_fields = ("programme", "process", "title")

    def instance_key(self, instance):
        return (*_process_key(instance.process), instance.title)

    def dehydrate_depends_on(self, milestone):
        titles = sorted(m.title for m in milestone.depends_on.all())
        return f"{DEPENDENCY_SEPARATOR} ".join(titles)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.row_problems = {}
        self.dependencies = {}
        if "depends_on" in (dataset.headers or []):
            self.row_problems = self._dependency_problems(dataset)

    def before_import_row(self, row, row_number=None, **kwargs):
        super().before_import_row(row, row_number=row_number, **kwargs)
        problem = self.row_problems.get(row_number)
        if problem:
            raise ValidationError({"depends_on": problem})

    def after_save_instance(self, instance, row, **kwargs):
        if "depends_on" in row:
            self.dependencies[id(instance)] = (instance, self._titles(row.get("depends_on")))

    def clean_instance(self, instance, exclude):
        # Milestone.clean() checks predecessors in the database, but the file may change
        # them: the dependency rules are checked over file and database in before_import.
        instance.clean_fields(exclude=exclude | self.resolved_relations(instance))
        detached = copy.copy(instance)
        detached.pk = None
        detached.clean()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not self.dependencies or result.has_errors() or result.has_validation_errors():
            return
        items = list(self.dependencies.values())
        process_ids = {instance.process_id for instance, _titles in items}
        by_title = {
            (m.process_id, m.title): m.pk
            for m in Milestone.objects.filter(process_id__in=process_ids).only(
                "pk", "process_id", "title"
            )
        }
        through = Milestone.depends_on.through
        through.objects.filter(from_milestone_id__in=[i.pk for i, _t in items]).delete()
        through.objects.bulk_create(
            [
                through(
                    from_milestone_id=instance.pk,
                    to_milestone_id=by_title[(instance.process_id, title)],
                )
                for instance, titles in items
                for title in titles
            ],
            batch_size=self._meta.batch_size,
        )

    @staticmethod
    def _titles(value) -> list[str]:
        return [
            title for title in (t.strip() for t in text(value).split(DEPENDENCY_SEPARATOR)) if title
        ]

    def _dependency_problems(self, dataset) -> dict[int, str]:
        """Per data row, why its dependencies are invalid, over the file and the database."""
        file_rows = {}
        for number, values in enumerate(dataset.dict, 1):
            key = (text(values.get("programme")), text(values.get("process")))
            file_rows[number] = (key, text(values.get("title")), values)
        process_keys = {key for key, _title, _values in file_rows.values()}
        # What the database holds for these processes, overridden by what the file says.
        nodes = {}
        existing = (
            Milestone.objects.filter(
                process__programme__name__in={p for p, _n in process_keys},
                process__name__in={n for _p, n in process_keys},
            )
            .select_related("process__programme")
            .prefetch_related("depends_on")
        )
        for milestone in existing:
            key = _process_key(milestone.process)
            if key in process_keys:
                nodes[(key, milestone.title)] = (
                    milestone.status,
                    {m.title for m in milestone.depends_on.all()},
                )
        for key, title, values in file_rows.values():
            status = _choice_or_text(values.get("status"), Milestone.Status.choices)
            predecessors = set(self._titles(values.get("depends_on")))
            nodes[(key, title)] = (status or Milestone.Status.PLANNED, predecessors)
        problems = {}
        for number, (key, title, _values) in file_rows.items():
            status, predecessors = nodes[(key, title)]
            unknown = sorted(t for t in predecessors if (key, t) not in nodes)
            if unknown:
                problems[number] = _("No milestone %(titles)s in process “%(process)s”.") % {
                    "titles": ", ".join(f"“{t}”" for t in unknown),
                    "process": key[1],
                }
            elif title in predecessors:
                problems[number] = _("A milestone cannot depend on itself.")
            elif self._in_cycle(nodes, key, title):
                problems[number] = _("These dependencies form a cycle.")
            elif status == Milestone.Status.DONE:
                open_ = sorted(
                    t for t in predecessors if nodes[(key, t)][0] != Milestone.Status.DONE
                )
                if open_:
                    problems[number] = predecessors_pending_message(open_)
        return problems

    @staticmethod
    def _in_cycle(nodes, key, title) -> bool:
        seen, frontier = set(), list(nodes[(key, title)][1])
        while frontier:
            current = frontier.pop()
            if current == title:
                return True
            if current in seen or (key, current) not in nodes:
                continue
            seen.add(current)
            frontier.extend(nodes[(key, current)][1])
        return False


class AssetResource(PlanItemResource):
    """Assets, identified by programme + process + name + tag."""

    key_columns = ("programme", "process", "name", "tag")

    class Meta:
        model = Asset
        fields = ("programme", *Asset.INPUT_FIELDS)
        export_order = fields
        import_id_fields = ("programme", "process", "name", "tag")

    def instance_key(self, instance):
        return (*_process_key(instance.process), instance.name, instance.tag)


class StaffMemberResource(PlanItemResource):
    """Staff records, identified by programme + process + name."""

    key_columns = ("programme", "process", "name")

    class Meta:
        model = StaffMember
        fields = ("programme", *StaffMember.INPUT_FIELDS)
        export_order = fields
        import_id_fields = ("programme", "process", "name")

    def instance_key(self, instance):
        return (*_process_key(instance.process), instance.name)


# Import kinds offered in the browser and the admin, in the order they depend on each other.
RESOURCES = {
    "providers": ServiceProviderResource,
    "contracts": ContractResource,
    "programmes": ProgrammeResource,
    "processes": OutsourcedProcessResource,
    "milestones": MilestoneResource,
    "assets": AssetResource,
    "staff": StaffMemberResource,
}
