"""Import/export columns of the transition plan: milestones, assets, staff.

Every imported row passes the schedule checks of the plan services (docs/plan.md,
"Schedule checks"): a refused row is a row error on its column, naming the dates, and the
file is imported whole or not at all; a flagged row is imported and listed in the result's
`row_warnings`. An import never overrides a change freeze.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from accounts.widgets import PlanOwnerWidget
from core.changes import EMPTY, FieldChange
from core.clock import local_today
from core.resources import NaturalKeyResource
from core.widgets import (
    DEPENDENCY_SEPARATOR,
    choice_or_text,
    text,
)

from ..models import Asset, Milestone, StaffMember
from ..models.plan import predecessors_pending_message
from ..schedule.model import Finding, Plan
from ..selectors.schedule import plans_for, process_plan
from ..services.plan import (
    asset_schedule_check,
    milestone_schedule_findings,
    refuse_blocking,
    staff_schedule_check,
)
from .register import ProcessWidget, process_key


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

    # Schedule checks (transition.services.plan), judged on the day the import runs.

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.today = local_today()
        # (data row number, column, message) of each row saved with a schedule warning.
        self.row_warnings: list[tuple[int, str, str]] = []
        self.row_number: int | None = None
        self.row = None

    def before_import_row(self, row, row_number=None, **kwargs):
        self.row_number, self.row = row_number, row
        super().before_import_row(row, row_number=row_number, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        # Only a row otherwise valid is judged: its dates and status are what it says.
        for finding in self.schedule_check(instance, self.row):  # raises the blocking ones
            self.row_warnings.append((self.row_number, "", finding.message))

    def schedule_check(self, instance, row) -> list[Finding]:
        """The row's non-blocking findings; raise a ValidationError for the blocking ones."""
        return []


class MilestoneResource(PlanItemResource):
    """Milestones, identified by programme + process + title.

    `depends_on` lists the titles of milestones of the same process, separated by ";".
    Dependencies are checked over the whole file and the database together (same process,
    no cycle, not done while a predecessor is open) and written after the rows.
    """

    key_columns = ("programme", "process", "title")
    select_related = ("process__programme", "owner")
    prefetch_related = ("depends_on",)
    chunk_columns = ("depends_on",)

    owner = fields.Field(attribute="owner", column_name="owner", widget=PlanOwnerWidget(Milestone))
    depends_on = fields.Field(column_name="depends_on", readonly=True)

    class Meta:
        model = Milestone
        fields = ("programme", *Milestone.INPUT_FIELDS)
        export_order = fields
        import_id_fields = ("programme", "process", "title")

    def instance_key(self, instance):
        return (*process_key(instance.process), instance.title)

    def export_chunk_values(self, pks):
        # The predecessors' titles of a chunk of rows in one narrow query.
        titles: dict[int, list[str]] = {pk: [] for pk in pks}
        links = Milestone.depends_on.through.objects.filter(from_milestone_id__in=pks)
        for milestone_id, title in links.values_list("from_milestone_id", "to_milestone__title"):
            titles[milestone_id].append(title)
        return {
            "depends_on": {
                pk: f"{DEPENDENCY_SEPARATOR} ".join(sorted(names)) for pk, names in titles.items()
            }
        }

    def dehydrate_depends_on(self, milestone):
        titles = sorted(m.title for m in milestone.depends_on.all())
        return f"{DEPENDENCY_SEPARATOR} ".join(titles)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.row_problems = {}
        self.dependencies = {}
        self.dataset = dataset
        self.plans: dict[int, Plan] | None = None
        self.stored_predecessors: dict[int, list[str]] | None = None
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

    def extra_changes(self, instance, row):
        # A row that changes only its predecessors is still written (after_import links it).
        if "depends_on" not in row:
            return []
        stored = self._stored_predecessors().get(instance.pk, [])
        wanted = sorted(set(self._titles(row.get("depends_on"))))
        if stored == wanted:
            return []
        joined = f"{DEPENDENCY_SEPARATOR} ".join
        return [FieldChange("depends_on", joined(stored) or EMPTY, joined(wanted) or EMPTY)]

    def _stored_predecessors(self) -> dict[int, list[str]]:
        """Each stored milestone's predecessors' titles, read once per import."""
        if self.stored_predecessors is None:
            titles: dict[int, set[str]] = {}
            links = Milestone.depends_on.through.objects.values_list(
                "from_milestone_id", "to_milestone__title"
            )
            for milestone_id, title in links:
                titles.setdefault(milestone_id, set()).add(title)
            self.stored_predecessors = {pk: sorted(names) for pk, names in titles.items()}
        return self.stored_predecessors

    def clean_instance(self, instance, exclude):
        # Milestone.clean() checks predecessors in the database, but the file may change
        # them: the dependency rules are checked over file and database in before_import.
        instance.clean_fields(exclude=exclude | self.resolved_relations(instance))
        detached = copy.copy(instance)
        detached.pk = None
        detached.clean()

    def schedule_check(self, instance, row) -> list[Finding]:
        # Judged as the milestone page judges it, against its process's plan as stored (rows
        # of the file that are new there are not in it yet), with the row's predecessors.
        if not instance.process_id:
            return []
        plan = self._plan_of(instance.process)
        predecessors = None
        if "depends_on" in row:
            keys = {milestone.title: milestone.key for milestone in plan.milestones}
            titles = self._titles(row.get("depends_on"))
            predecessors = [keys[title] for title in titles if title in keys]
        findings = milestone_schedule_findings(instance, predecessors, plan=plan, today=self.today)
        return refuse_blocking([_without_override(finding) for finding in findings])

    def _plan_of(self, process) -> Plan:
        """The stored plan of a process of the file: every process named is read at once."""
        if self.plans is None:
            named = self.fields["process"].widget.cache or {}
            keys = {
                (text(values.get("programme")), text(values.get("process")))
                for values in self.dataset.dict
            }
            self.plans = plans_for([named[key] for key in keys if key in named])
        if process.pk not in self.plans:
            self.plans[process.pk] = process_plan(process)
        return self.plans[process.pk]

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
            key = process_key(milestone.process)
            if key in process_keys:
                nodes[(key, milestone.title)] = (
                    milestone.status,
                    {m.title for m in milestone.depends_on.all()},
                )
        for key, title, values in file_rows.values():
            status = choice_or_text(values.get("status"), Milestone.Status.choices)
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
        return (*process_key(instance.process), instance.name, instance.tag)

    def schedule_check(self, instance, row) -> list[Finding]:
        return asset_schedule_check(instance)


class StaffMemberResource(PlanItemResource):
    """Staff records, identified by programme + process + name."""

    key_columns = ("programme", "process", "name")

    class Meta:
        model = StaffMember
        fields = ("programme", *StaffMember.INPUT_FIELDS)
        export_order = fields
        import_id_fields = ("programme", "process", "name")

    def instance_key(self, instance):
        return (*process_key(instance.process), instance.name)

    def schedule_check(self, instance, row) -> list[Finding]:
        return staff_schedule_check(instance, self.today)


def _without_override(finding: Finding) -> Finding:
    """A refusal for a change freeze says that an import cannot override it."""
    if finding.code != "inside_freeze":
        return finding
    note = _(
        "An import cannot override a change freeze: an operations manager gives the reason "
        "on the milestone's page."
    )
    return replace(finding, message=f"{finding.message} {note}")
