"""Baselines: save a named copy of a process's or a programme's plan, and delete one.

Saving a baseline of a process is editing its plan (operations managers, or the process's
project lead); a baseline of a programme spans processes led by different people, so it is
an operations manager's (docs/plan.md, "Baselines"). A baseline is deleted by an operations
manager or by whoever saved it.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.predicates import is_operations_manager
from core.services import require_perm
from core.types import AuthUser, User

from ..models import Baseline, BaselineMilestone, Milestone, OutsourcedProcess, Programme

EDIT_PLAN = "transition.edit_plan"
EDIT_PROGRAMME = "transition.edit_programme"

Subject = OutsourcedProcess | Programme


def save_permission(subject: Subject) -> str:
    """The permission (on `subject`) that saving a baseline of it needs."""
    return EDIT_PLAN if isinstance(subject, OutsourcedProcess) else EDIT_PROGRAMME


def may_save_baseline(user: User | None, subject: Subject) -> bool:
    """Whether `user` may save a baseline of this process or programme."""
    return bool(user is not None and user.has_perm(save_permission(subject), subject))


def may_delete_baseline(user: User | None, baseline: Baseline) -> bool:
    """Operations managers delete any baseline; everyone else only those they saved."""
    if user is None or not user.is_authenticated:
        return False
    return bool(is_operations_manager(user)) or (
        baseline.created_by_id is not None and baseline.created_by_id == user.pk
    )


@transaction.atomic
def baseline_save(
    *,
    actor: AuthUser,
    process: OutsourcedProcess | None = None,
    programme: Programme | None = None,
    name: str,
    note: str = "",
) -> Baseline:
    """Save the plan as it stands under a name unique within its process or programme:
    every milestone's dates copied in one insert, all or nothing."""
    if (process is None) == (programme is None):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Save a baseline of either a process or a programme.")}
        )
    subject: Subject = process if process is not None else programme  # type: ignore[assignment]
    require_perm(actor, save_permission(subject), subject)
    name = (name or "").strip()
    note = (note or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the baseline a name.")})
    baseline = Baseline(
        process=process, programme=programme, name=name, note=note, created_by=actor
    )
    # Case-insensitive, so "Approved" and "approved" are not two baselines; the database's
    # unique constraints catch two saves racing with the same name (below).
    if _siblings(subject).filter(name__iexact=name).exists():
        raise ValidationError({"name": duplicate_name_message(name, subject)})
    # The foreign keys are rows in hand, and the constraints were checked just above.
    baseline.full_clean(exclude=["process", "programme", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            baseline.save()
    except IntegrityError as error:
        raise ValidationError({"name": duplicate_name_message(name, subject)}) from error
    BaselineMilestone.objects.bulk_create(_entries(baseline, subject))
    return baseline


@transaction.atomic
def baseline_delete(*, actor: User, baseline: Baseline) -> None:
    """Delete a baseline and its copied dates (the plan itself is untouched)."""
    if not may_delete_baseline(actor, baseline):
        raise PermissionDenied(_("You do not have permission to do this."))
    baseline.delete()


def duplicate_name_message(name: str, subject: Subject) -> str:
    if isinstance(subject, OutsourcedProcess):
        message = _(
            "The process “%(subject)s” already has a baseline called “%(name)s”; "
            "choose another name."
        )
    else:
        message = _(
            "The programme “%(subject)s” already has a baseline called “%(name)s”; "
            "choose another name."
        )
    return message % {"subject": subject, "name": name}


def _siblings(subject: Subject) -> QuerySet[Baseline]:
    if isinstance(subject, Programme):
        return Baseline.objects.filter(programme=subject)
    return Baseline.objects.filter(process=subject)


def _entries(baseline: Baseline, subject: Subject) -> list[BaselineMilestone]:
    milestones = Milestone.objects.all()
    if isinstance(subject, Programme):
        milestones = milestones.filter(process__programme=subject)
    else:
        milestones = milestones.filter(process=subject)
    rows = milestones.order_by("due_date", "pk").values_list(
        "pk", "process_id", "process__name", "title", "kind", "start_date", "due_date"
    )
    return [
        BaselineMilestone(
            baseline=baseline,
            milestone_id=pk,
            process_id=process_id,
            process_name=process_name,
            title=title,
            kind=kind,
            start_date=start_date,
            due_date=due_date,
        )
        for pk, process_id, process_name, title, kind, start_date, due_date in rows
    ]
