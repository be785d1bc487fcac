"""Writes to a process's plan: milestones, assets, staff and readiness assessments.

Operations managers may edit any plan; a project lead only the plans of processes they lead.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeAlias

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.clock import local_today
from core.services import require_perm, safe_delete, validated_save
from core.signals import announce_deadlines_changed
from core.types import AuthUser, User

from ..models import Asset, Milestone, OutsourcedProcess, ReadinessAssessment, StaffMember

EDIT_PLAN = "transition.edit_plan"

# The rows of a process's plan that are edited one by one.
PlanItem: TypeAlias = Milestone | Asset | StaffMember | ReadinessAssessment


@transaction.atomic
def milestone_save(
    *,
    actor: User,
    milestone: Milestone | None = None,
    depends_on: Iterable[Milestone] | None = None,
    **fields: Any,
) -> Milestone:
    """Create or edit a milestone; dependencies stay in its process and never form a cycle."""
    milestone = milestone or Milestone()
    for name, value in fields.items():
        setattr(milestone, name, value)
    _require_perm_on_stored_process(actor, milestone)
    require_perm(actor, EDIT_PLAN, milestone.process if milestone.process_id else None)
    if depends_on is not None:
        errors = milestone.dependency_errors(list(depends_on))
        if errors:
            raise ValidationError({"depends_on": errors})
    if milestone.status == Milestone.Status.DONE and milestone.completed_on is None:
        milestone.completed_on = local_today()
    if milestone.status != Milestone.Status.DONE:
        milestone.completed_on = None
    validated_save(milestone, actor=actor, perm=EDIT_PLAN, perm_obj=milestone.process)
    if depends_on is not None:
        milestone.depends_on.set(depends_on)
        if milestone.status == Milestone.Status.DONE and milestone.pending_predecessors():
            milestone.full_clean()  # raises, naming the predecessors still open
    announce_deadlines_changed(Milestone)  # reminders follow the due date and status
    return milestone


def milestone_complete(
    *, milestone: Milestone, actor: User, completed_on: date | None = None
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
    asset = validated_save(asset, actor=actor, perm=EDIT_PLAN, perm_obj=_process(asset))
    announce_deadlines_changed(Asset)
    return asset


def staff_save(*, actor: User, member: StaffMember | None = None, **fields: Any) -> StaffMember:
    """Create or edit a staff record of a process."""
    member = member or StaffMember()
    for name, value in fields.items():
        setattr(member, name, value)
    _require_perm_on_stored_process(actor, member)
    member = validated_save(member, actor=actor, perm=EDIT_PLAN, perm_obj=_process(member))
    announce_deadlines_changed(StaffMember)
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
    safe_delete(item, actor=actor, perm=EDIT_PLAN, perm_obj=item.process)


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
