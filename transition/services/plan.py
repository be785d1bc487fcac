"""Writes to a process's plan: milestones, assets, staff and readiness assessments.

Operations managers may edit any plan; a project lead only the plans of processes they lead.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any, TypeAlias

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import local_today
from core.formats import short_date
from core.services import require_perm, safe_delete, validated_save
from core.signals import announce_deadlines_changed
from core.types import AuthUser, User

from ..models import Asset, Milestone, OutsourcedProcess, ReadinessAssessment, StaffMember
from ..schedule import checks
from ..schedule.model import Finding, Plan
from ..selectors.schedule import plan_asset, plan_milestone, plan_staff, process_plan

EDIT_PLAN = "transition.edit_plan"
OVERRIDE_FREEZE = "transition.override_freeze"

# The form field a blocking finding is shown on (docs/plan.md, "Schedule checks").
FINDING_FIELDS = {
    "inside_freeze": "due_date",
    "completed_in_future": "completed_on",
    "onboarded_before_start": "status",
}

# The rows of a process's plan that are edited one by one.
PlanItem: TypeAlias = Milestone | Asset | StaffMember | ReadinessAssessment


@transaction.atomic
def milestone_save(
    *,
    actor: AuthUser,
    milestone: Milestone | None = None,
    depends_on: Iterable[Milestone] | None = None,
    freeze_override_reason: str | None = None,
    **fields: Any,
) -> Milestone:
    """Create or edit a milestone; dependencies stay in its process and never form a cycle.

    The schedule checks judge the row as it would be saved: blocking findings (a go-live,
    cut-over or parallel run inside a change freeze, a completion in the future) are
    refused, naming the dates; the others are saved and left on `schedule_warnings`.
    An operations manager lets a milestone stay inside a freeze by giving
    `freeze_override_reason`; who and when is recorded, and kept if the dates move later.
    """
    milestone = milestone or Milestone()
    for name, value in fields.items():
        setattr(milestone, name, value)
    _require_perm_on_stored_process(actor, milestone)
    require_perm(actor, EDIT_PLAN, milestone.process if milestone.process_id else None)
    if depends_on is not None:
        depends_on = list(depends_on)
        errors = milestone.dependency_errors(depends_on)
        if errors:
            raise ValidationError({"depends_on": errors})
    if milestone.status == Milestone.Status.DONE and milestone.completed_on is None:
        milestone.completed_on = local_today()
    if milestone.status != Milestone.Status.DONE:
        milestone.completed_on = None
    freeze_override_record(milestone, actor=actor, reason=freeze_override_reason)
    milestone.schedule_warnings = milestone_schedule_check(milestone, depends_on)
    validated_save(milestone, actor=actor, perm=EDIT_PLAN, perm_obj=milestone.process)
    if depends_on is not None:
        milestone.depends_on.set(depends_on)
        if milestone.status == Milestone.Status.DONE and milestone.pending_predecessors():
            milestone.full_clean()  # raises, naming the predecessors still open
    announce_deadlines_changed(Milestone, [milestone.pk])  # reminders follow date and status
    return milestone


def freeze_override_record(milestone: Milestone, *, actor: AuthUser, reason: str | None) -> None:
    """Record on `milestone` (not saved) an operations manager's change-freeze override.

    A new reason records who gave it and when; none, or the reason already recorded, keeps
    what is recorded: the record of who allowed what is never cleared silently. The
    service, the admin form and nothing else write these fields.
    """
    reason = (reason or "").strip()
    if not reason or reason == milestone.freeze_override_reason:
        return
    if not actor.has_perm(OVERRIDE_FREEZE, milestone.process if milestone.process_id else None):
        message = _("Only an operations manager can override a change freeze.")
        raise ValidationError({"freeze_override_reason": message})
    milestone.freeze_override_reason = reason
    milestone.freeze_override_by = actor
    milestone.freeze_overridden_at = timezone.now()


def milestone_schedule_check(
    milestone: Milestone, depends_on: Iterable[Milestone] | None = None
) -> list[Finding]:
    """The schedule findings of the row as it would be saved: raise the blocking ones as a
    ValidationError on their field (nothing written), return the others.

    `depends_on` are the predecessors it would have (None: those stored). Pages, the API
    (through `milestone_save`) and the admin call this; imports call the two halves,
    `milestone_schedule_findings` and `refuse_blocking`, with the plans they read at once.
    """
    predecessors = None if depends_on is None else [row.pk for row in depends_on]
    return refuse_blocking(milestone_schedule_findings(milestone, predecessors))


def milestone_schedule_findings(
    milestone: Milestone,
    predecessors: Iterable[int] | None = None,
    *,
    plan: Plan | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Every schedule finding of the row as it would be saved, blocking ones included.

    `predecessors` are the pks it would depend on (None: those stored); `plan` is its
    process's plan as stored (read when not given). A milestone already saved inside a
    freeze (the freeze came later) is refused only when its dates or kind change: editing
    its owner or status must stay possible.
    """
    if not milestone.process_id or milestone.due_date is None:
        return []  # the model's own validation names the missing field
    if plan is None:
        plan = process_plan(milestone.process)
    stored = next((row for row in plan.milestones if row.key == milestone.pk), None)
    if predecessors is None:
        predecessors = stored.depends_on if stored else ()
    row = plan_milestone(milestone, predecessors)
    if row.key == 0:
        row = replace(row, key=-1)  # a new row joins the plan
    findings = checks.milestone_findings(plan, row, today or local_today())
    moved = stored is None or (stored.due, stored.start, stored.kind) != (
        row.due,
        row.start,
        row.kind,
    )
    return [
        finding
        for finding in findings
        if not finding.blocking or moved or finding.code != "inside_freeze"
    ]


def asset_schedule_check(asset: Asset) -> list[Finding]:
    """An asset's schedule findings as it would be saved: a transfer due after the exit date
    is flagged (none is refused today; a blocking one would raise)."""
    if not asset.process_id:
        return []
    plan = Plan(exit_date=asset.process.exit_date)
    return refuse_blocking(checks.asset_findings(plan, plan_asset(asset)))


def staff_schedule_check(member: StaffMember, today: date | None = None) -> list[Finding]:
    """A staff record's schedule findings as it would be saved: onboarded before the planned
    start is refused on `status`, and so is any change to a purged record."""
    if member.personal_data_purged_on is not None:
        # It stays as the purge left it (docs/operations.md, "Privacy: staff personal data
        # and audit history"); every write of a staff record (page, API, import) asks here.
        raise ValidationError(
            _("Personal data of this record was purged on %(day)s; it can no longer be changed.")
            % {"day": short_date(member.personal_data_purged_on)}
        )
    return refuse_blocking(checks.staff_findings(plan_staff(member), today or local_today()))


def refuse_blocking(findings: list[Finding]) -> list[Finding]:
    """Raise the blocking findings as one ValidationError, each on its field
    (`FINDING_FIELDS`); return the others, which are saved and flagged."""
    errors: dict[str, list[str]] = {}
    for finding in findings:
        if finding.blocking:
            field = FINDING_FIELDS.get(finding.code, "__all__")
            errors.setdefault(field, []).append(finding.message)
    if errors:
        raise ValidationError(errors)
    return [finding for finding in findings if not finding.blocking]


def milestone_complete(
    *, milestone: Milestone, actor: AuthUser, completed_on: date | None = None
) -> Milestone:
    """Mark a milestone done, refused while any milestone it depends on is not done."""
    completed_on = completed_on or local_today()
    if completed_on > local_today():
        raise ValidationError({"completed_on": _("A milestone cannot be completed in the future.")})
    return milestone_save(
        actor=actor, milestone=milestone, status=Milestone.Status.DONE, completed_on=completed_on
    )


def asset_save(*, actor: User, asset: Asset | None = None, **fields: Any) -> Asset:
    """Create or edit an asset; a transferred asset records when."""
    asset = asset or Asset()
    for name, value in fields.items():
        setattr(asset, name, value)
    _require_perm_on_stored_process(actor, asset)
    if asset.status != Asset.Status.TRANSFERRED:
        asset.transferred_on = None
    elif asset.transferred_on is None:
        asset.transferred_on = local_today()
    # A transfer due after the exit date is saved and flagged (schedule checks).
    warnings = asset_schedule_check(asset)
    asset = validated_save(asset, actor=actor, perm=EDIT_PLAN, perm_obj=_process(asset))
    asset.schedule_warnings = warnings
    announce_deadlines_changed(Asset, [asset.pk])
    return asset


def staff_save(*, actor: User, member: StaffMember | None = None, **fields: Any) -> StaffMember:
    """Create or edit a staff record of a process."""
    member = member or StaffMember()
    for name, value in fields.items():
        setattr(member, name, value)
    _require_perm_on_stored_process(actor, member)
    # Onboarded before the planned start is refused (schedule checks), nothing written.
    warnings = staff_schedule_check(member)
    member = validated_save(member, actor=actor, perm=EDIT_PLAN, perm_obj=_process(member))
    member.schedule_warnings = warnings
    announce_deadlines_changed(StaffMember, [member.pk])
    return member


def readiness_record(
    *, actor: AuthUser, process: OutsourcedProcess, **scores: Any
) -> ReadinessAssessment:
    """Record a new readiness assessment by `actor`; the latest one counts."""
    scores.setdefault("assessed_on", local_today())
    return validated_save(
        ReadinessAssessment(process=process, assessed_by=actor),
        actor=actor,
        perm=EDIT_PLAN,
        perm_obj=process,
        **scores,
    )


def plan_item_delete(*, item: PlanItem, actor: User) -> None:
    """Delete a milestone, asset, staff record or readiness assessment of a process."""
    pk = item.pk
    safe_delete(item, actor=actor, perm=EDIT_PLAN, perm_obj=item.process)
    announce_deadlines_changed(type(item), [pk])  # its planned reminders are dropped


def _require_perm_on_stored_process(actor: User, item: Milestone | Asset | StaffMember) -> None:
    # The save checks the process the item goes to; moving it away from a process needs the
    # right on that one too, or a lead could take items from processes they do not lead.
    # Read from the database: a bound form may already have changed `item.process`.
    if item.pk is None:
        return
    stored = type(item).objects.filter(pk=item.pk).values_list("process_id", flat=True).first()
    if stored is not None and stored != item.process_id:
        require_perm(actor, EDIT_PLAN, OutsourcedProcess.objects.get(pk=stored))


def _process(item: Asset | StaffMember) -> OutsourcedProcess | None:
    return item.process if item.process_id else None
