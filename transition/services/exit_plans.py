"""Exit plans of a process (versioned), their rehearsals and the remediation found by them.

One draft at a time per process; approving it supersedes the version in force, which stays
readable. What an approval needs is decided here once (`approval_problems`): the minimum
EBA GL 15 (paragraphs 106–107) and DORA RTS 2024/1773 Art. 10 ask of a documented exit plan
(docs/exit-management.md, "Exit plans"). Operations managers write plans; operations
managers and the process's project lead record rehearsals and remediation actions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from contracts.dates import add_months
from core.clock import local_today
from core.formats import short_date
from core.services import require_perm, safe_delete
from core.signals import announce_deadlines_changed
from core.types import AuthUser, User

from ..models import ExitPlan, OutsourcedProcess, Rehearsal, RemediationAction

EDIT_EXIT_PLAN = "transition.edit_exit_plan"
RECORD_REHEARSAL = "transition.record_rehearsal"

# A plan is tested again a year after a rehearsal it passed unless the rehearsal says
# otherwise (DORA RTS 2024/1773 Art. 10: "tested periodically"; annual is the supervisors'
# norm); a plan that partly failed is retested within six months, one that failed within
# three, once its remediation is done (docs/exit-management.md, "Rehearsal log").
REHEARSAL_INTERVAL_MONTHS = 12
RETEST_MONTHS = {"pass": REHEARSAL_INTERVAL_MONTHS, "partial": 6, "fail": 3}

# What a draft copies from the version in force, and what its editors may change.
CONTENT_FIELDS = ExitPlan.CONTENT_FIELDS
# Fields an approval cannot do without, in the order the form shows them.
REQUIRED_FOR_APPROVAL = (
    "objectives",
    "triggers",
    "business_impact",
    "roles",
    "success_criteria",
    "substitutability",
    "reintegration",
)
REHEARSAL_FIELDS = (
    "held_on",
    "scenario",
    "participants",
    "outcome",
    "findings",
    "next_test_due",
)
ACTION_FIELDS = ("title", "owner", "due_date", "status", "closed_on", "note")


def review_months() -> int:
    return settings.EXIT_PLAN_REVIEW_MONTHS


# Plans ---------------------------------------------------------------------------------


@transaction.atomic
def exit_plan_draft_create(
    *, actor: AuthUser, process: OutsourcedProcess, **fields: Any
) -> ExitPlan:
    """Start the next version of a process's exit plan as a draft, copying the version in
    force (fields given override it); refused while another draft is open."""
    require_perm(actor, EDIT_EXIT_PLAN, process)
    # The process row is the lock that numbers versions: two drafts started together get
    # 2 and 3, or one is told the other exists, never the same number twice.
    process = OutsourcedProcess.objects.select_for_update().get(pk=process.pk)
    plans = ExitPlan.objects.filter(process=process)
    draft = plans.filter(status=ExitPlan.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "The process “%(process)s” already has a draft exit plan (version "
                    "%(version)d); edit that draft instead of starting another."
                )
                % {"process": process, "version": draft.version}
            }
        )
    content: dict[str, Any] = {}
    current = plans.approved().first()
    if current is not None:
        content = {name: getattr(current, name) for name in CONTENT_FIELDS}
        content["triggers"] = list(current.triggers)
    content.update(_content(fields))
    version = (plans.aggregate(top=Max("version"))["top"] or 0) + 1
    plan = ExitPlan(process=process, version=version, **content)
    return _save(plan, actor)


@transaction.atomic
def exit_plan_update(*, plan: ExitPlan, actor: User, **fields: Any) -> ExitPlan:
    """Edit a draft; an approved or superseded version is a record and is never edited."""
    require_perm(actor, EDIT_EXIT_PLAN, plan)
    plan = _locked(plan)
    if plan.status != ExitPlan.Status.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: _not_a_draft(plan)})
    for name, value in _content(fields).items():
        setattr(plan, name, value)
    return _save(plan, actor)


@transaction.atomic
def exit_plan_draft_delete(*, plan: ExitPlan, actor: User) -> None:
    """Discard a draft; approved and superseded versions stay as the plan's history."""
    require_perm(actor, EDIT_EXIT_PLAN, plan)
    plan = _locked(plan)
    if plan.status != ExitPlan.Status.DRAFT:
        raise ValidationError(_not_a_draft(plan))
    safe_delete(plan, actor=actor, perm=EDIT_EXIT_PLAN, perm_obj=plan)


def approval_problems(plan: ExitPlan) -> dict[str, str]:
    """Why `plan` cannot be approved as it stands, by field; empty when it can.

    The minimum of a documented exit plan: an owner, objectives, the triggers that set it off,
    a business-impact summary, roles, success criteria, how substitutable the provider is and
    how readily the function can be reintegrated, and the alternatives when the route is
    another provider.
    """
    problems: dict[str, str] = {}
    if plan.owner_id is None:
        problems["owner"] = _(
            "Name the owner of the exit plan: an exit plan approved with no owner is refused."
        )
    messages = {
        "objectives": _("State the objectives of the exit plan before approving it."),
        "triggers": _("Choose at least one exit trigger before approving the exit plan."),
        "business_impact": _("Summarise the business impact before approving the exit plan."),
        "roles": _("Name the roles in the exit before approving the exit plan."),
        "success_criteria": _("State the success criteria before approving the exit plan."),
        "substitutability": _(
            "Say how substitutable the provider is before approving the exit plan."
        ),
        "reintegration": _(
            "Say how readily the function can be reintegrated before approving the exit plan."
        ),
    }
    for name in REQUIRED_FOR_APPROVAL:
        value = getattr(plan, name)
        if not (value.strip() if isinstance(value, str) else value):
            problems[name] = messages[name]
    if plan.route == ExitPlan.Route.ALTERNATIVE_PROVIDER and not plan.alternatives.strip():
        problems["alternatives"] = _(
            "Name the alternative providers: the exit route is a transfer to another provider."
        )
    return problems


@transaction.atomic
def exit_plan_approve(
    *,
    plan: ExitPlan,
    actor: AuthUser,
    on: date | None = None,
    last_review_on: date | None = None,
    next_review_due: date | None = None,
) -> ExitPlan:
    """Approve a draft: it comes into force and the version in force before it is superseded
    (still readable). Reviewed on the approval day and due again EXIT_PLAN_REVIEW_MONTHS
    after it, unless the dates are given."""
    require_perm(actor, EDIT_EXIT_PLAN, plan)
    on = on or local_today()
    # Both approvals of one process queue on its row: the second finds the first's result.
    OutsourcedProcess.objects.select_for_update().filter(pk=plan.process_id).first()
    plan = _locked(plan)
    if plan.status != ExitPlan.Status.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: _not_a_draft(plan)})
    problems = approval_problems(plan)
    if problems:
        raise ValidationError(problems)
    last_review_on = last_review_on or on
    next_review_due = next_review_due or add_months(on, review_months())
    _check_review_dates(last_review_on, next_review_due)
    current = ExitPlan.objects.approved().filter(process_id=plan.process_id).first()
    if current is not None:
        current.status = ExitPlan.Status.SUPERSEDED
        current._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
        current.save(update_fields=["status", "updated_at"])
        announce_deadlines_changed(ExitPlan, [current.pk])  # no longer reminded of
    plan.status = ExitPlan.Status.APPROVED
    plan.approved_by = actor
    plan.approved_on = on
    plan.last_review_on = last_review_on
    plan.next_review_due = next_review_due
    try:
        return _save(plan, actor)
    except IntegrityError as error:  # the one-approved constraint, should a lock be bypassed
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Another version of this exit plan was approved meanwhile.")}
        ) from error


@transaction.atomic
def exit_plan_review(
    *,
    plan: ExitPlan,
    actor: User,
    reviewed_on: date | None = None,
    next_review_due: date | None = None,
) -> ExitPlan:
    """Record a review of the version in force without a new version: reviewed on the day
    given (today by default), due again EXIT_PLAN_REVIEW_MONTHS later unless a date is given."""
    require_perm(actor, EDIT_EXIT_PLAN, plan)
    plan = _locked(plan)
    if plan.status != ExitPlan.Status.APPROVED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Only the approved exit plan is reviewed; version %(version)d is %(status)s."
                )
                % {"version": plan.version, "status": plan.get_status_display().lower()}
            }
        )
    today = local_today()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ValidationError(
            {
                "last_review_on": _(
                    "A review dated in the future (%(date)s) cannot be recorded; "
                    "record it on the day it took place."
                )
                % {"date": short_date(reviewed_on)}
            }
        )
    next_review_due = next_review_due or add_months(reviewed_on, review_months())
    _check_review_dates(reviewed_on, next_review_due)
    plan.last_review_on = reviewed_on
    plan.next_review_due = next_review_due
    return _save(plan, actor)


# Rehearsals ----------------------------------------------------------------------------


@transaction.atomic
def rehearsal_create(
    *,
    actor: AuthUser,
    exit_plan: ExitPlan | None = None,
    process: OutsourcedProcess | None = None,
    **fields: Any,
) -> Rehearsal:
    """Record a test of an exit plan: the plan given, or the process's approved version.
    A rehearsal dated in the future is refused; the next test falls due
    REHEARSAL_INTERVAL_MONTHS after it unless a date is given."""
    if exit_plan is None:
        if process is None:
            raise ValidationError({"exit_plan": _("Choose the exit plan that was tested.")})
        exit_plan = ExitPlan.objects.approved().filter(process=process).first()
        if exit_plan is None:
            raise ValidationError(
                {
                    "exit_plan": _(
                        "The process “%(process)s” has no approved exit plan to test; "
                        "approve one first."
                    )
                    % {"process": process}
                }
            )
    elif process is not None and process.pk != exit_plan.process_id:
        raise ValidationError({"exit_plan": _("The exit plan tested belongs to another process.")})
    require_perm(actor, RECORD_REHEARSAL, exit_plan.process)
    rehearsal = Rehearsal(exit_plan=exit_plan, process_id=exit_plan.process_id, recorded_by=actor)
    return _save_rehearsal(rehearsal, actor, fields)


@transaction.atomic
def rehearsal_update(*, rehearsal: Rehearsal, actor: User, **fields: Any) -> Rehearsal:
    """Correct a rehearsal's record; it stays with the plan it tested."""
    require_perm(actor, RECORD_REHEARSAL, rehearsal.process)
    fields.pop("process", None)
    plan = fields.pop("exit_plan", None)
    if plan is not None and plan.pk != rehearsal.exit_plan_id:
        if plan.process_id != rehearsal.process_id:
            raise ValidationError(
                {"exit_plan": _("A rehearsal cannot move to another process's exit plan.")}
            )
        rehearsal.exit_plan = plan
    return _save_rehearsal(rehearsal, actor, fields)


def _save_rehearsal(rehearsal: Rehearsal, actor: User, fields: dict[str, Any]) -> Rehearsal:
    for name, value in fields.items():
        if name not in REHEARSAL_FIELDS:
            raise TypeError(f"rehearsal has no input field {name!r}")
        setattr(rehearsal, name, value)
    if isinstance(rehearsal.held_on, date):
        today = local_today()
        if rehearsal.held_on > today:
            raise ValidationError(
                {
                    "held_on": _(
                        "The rehearsal is dated %(date)s, in the future: a rehearsal dated in "
                        "the future cannot be recorded. Record it once it has been held."
                    )
                    % {"date": short_date(rehearsal.held_on)}
                }
            )
        if rehearsal.next_test_due is None:
            months = RETEST_MONTHS.get(rehearsal.outcome, REHEARSAL_INTERVAL_MONTHS)
            rehearsal.next_test_due = add_months(rehearsal.held_on, months)
        elif rehearsal.next_test_due <= rehearsal.held_on:
            raise ValidationError(
                {
                    "next_test_due": _(
                        "The next test is due %(due)s, not after the rehearsal held "
                        "%(held)s; give a later date."
                    )
                    % {
                        "due": short_date(rehearsal.next_test_due),
                        "held": short_date(rehearsal.held_on),
                    }
                }
            )
    rehearsal.full_clean(exclude=["exit_plan", "process", "recorded_by"])
    rehearsal._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    rehearsal.save()
    # the next test is due from the process's latest rehearsal
    announce_deadlines_changed(Rehearsal, [rehearsal.pk])
    return rehearsal


# Remediation actions -------------------------------------------------------------------


@transaction.atomic
def remediation_action_create(
    *, actor: AuthUser, rehearsal: Rehearsal, **fields: Any
) -> RemediationAction:
    """Add an action a rehearsal found, open until it is closed on a given day."""
    require_perm(actor, RECORD_REHEARSAL, rehearsal.process)
    return _save_action(RemediationAction(rehearsal=rehearsal), actor, fields)


@transaction.atomic
def remediation_action_update(
    *, action: RemediationAction, actor: User, **fields: Any
) -> RemediationAction:
    """Edit, close or reopen an action; it stays under its rehearsal."""
    require_perm(actor, RECORD_REHEARSAL, action.rehearsal.process)
    fields.pop("rehearsal", None)
    return _save_action(action, actor, fields)


@transaction.atomic
def remediation_action_close(
    *, action: RemediationAction, actor: User, closed_on: date | None, note: str | None = None
) -> RemediationAction:
    """Close an action on the day given (refused without one)."""
    fields: dict[str, Any] = {"status": RemediationAction.Status.CLOSED, "closed_on": closed_on}
    if note is not None:
        fields["note"] = note
    return remediation_action_update(action=action, actor=actor, **fields)


def _save_action(
    action: RemediationAction, actor: User, fields: dict[str, Any]
) -> RemediationAction:
    for name, value in fields.items():
        if name not in ACTION_FIELDS:
            raise TypeError(f"remediation action has no input field {name!r}")
        setattr(action, name, value)
    if action.status == RemediationAction.Status.CLOSED:
        if action.closed_on is None:
            raise ValidationError(
                {"closed_on": _("Give the day the remediation action was closed.")}
            )
        if action.closed_on > local_today():
            raise ValidationError(
                {
                    "closed_on": _(
                        "The action is closed on %(date)s, in the future; close it on or "
                        "before today."
                    )
                    % {"date": short_date(action.closed_on)}
                }
            )
    else:
        # Reopened: the old closing day no longer says anything.
        action.closed_on = None
    action.full_clean(exclude=["rehearsal"])
    action._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    action.save()
    announce_deadlines_changed(RemediationAction, [action.pk])
    return action


# Helpers -------------------------------------------------------------------------------


def _content(fields: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of a plan, refusing any other (a programming error, not input)."""
    fields = dict(fields)
    fields.pop("process", None)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"exit plan has no input fields {sorted(unknown)!r}")
    return fields


def _locked(plan: ExitPlan) -> ExitPlan:
    return ExitPlan.objects.select_for_update().select_related("process").get(pk=plan.pk)


def _not_a_draft(plan: ExitPlan) -> str:
    return _(
        "Version %(version)d of the exit plan is %(status)s and can no longer be changed; "
        "start a new draft."
    ) % {"version": plan.version, "status": plan.get_status_display().lower()}


def check_triggers(triggers: Any) -> list[str]:
    """The triggers as a list of allowed values, or a message naming the one not allowed."""
    allowed = ExitPlan.Trigger.values
    if not isinstance(triggers, list) or not all(isinstance(t, str) for t in triggers):
        raise ValidationError(
            {
                "triggers": _("Give the exit triggers as a list of: %(allowed)s.")
                % {"allowed": ", ".join(allowed)}
            }
        )
    for trigger in triggers:
        if trigger not in allowed:
            raise ValidationError(
                {
                    "triggers": _("“%(trigger)s” is not an exit trigger; choose from %(allowed)s.")
                    % {"trigger": trigger, "allowed": ", ".join(allowed)}
                }
            )
    # Stored in the order the choices list them, each once, so versions compare line by line.
    return [value for value in allowed if value in triggers]


def _check_review_dates(last: date, due: date) -> None:
    if due < last:
        raise ValidationError(
            {
                "next_review_due": _(
                    "The next review (%(due)s) cannot fall before the last review (%(last)s)."
                )
                % {"due": short_date(due), "last": short_date(last)}
            }
        )


def _save(plan: ExitPlan, actor: User) -> ExitPlan:
    plan.triggers = check_triggers(plan.triggers)
    if plan.last_review_on and plan.next_review_due:
        _check_review_dates(plan.last_review_on, plan.next_review_due)
    plan.full_clean(exclude=["process", "owner"], validate_constraints=False)
    plan._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    plan.save()
    # review and test reminders follow the dates and the status (docs/reminders.md)
    announce_deadlines_changed(ExitPlan, [plan.pk])
    return plan
