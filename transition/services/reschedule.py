"""Moving a milestone with its successors, as OpenProject schedules automatically, and undoing it.

`shift.cascade` (a pure rule) says which milestones follow a slip and to which dates; this
module previews that on the process's plan (what moves, what has slack, which schedule
findings the result would add) and applies every move through `milestone_save` in one
transaction, so the permission, the model's validation and the schedule checks are the
same as for one edit and nothing is half-written when one move is refused
(docs/plan.md, "Moving a milestone with its successors").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.clock import local_today
from core.formats import short_date
from core.services import require_perm
from core.types import AuthUser, User

from ..models import Milestone, OutsourcedProcess
from ..schedule.checks import plan_findings
from ..schedule.critical_path import dependency_graph
from ..schedule.model import Finding, Plan
from ..schedule.shift import cascade
from ..selectors.schedule import process_plan
from .plan import EDIT_PLAN, milestone_save

# The span a due date may be moved within: far-off years only come from typos, and a slip
# near year 9999 would overflow the date arithmetic (as the API's PlausibleDateField).
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


@dataclass(frozen=True)
class Move:
    """One milestone's dates before and after a move."""

    key: int
    title: str
    old_start: date | None
    old_due: date
    new_start: date | None
    new_due: date

    @property
    def days(self) -> int:
        """Days moved: positive later, negative earlier."""
        return (self.new_due - self.old_due).days


@dataclass(frozen=True)
class Stay:
    """A successor that keeps its dates: done, or beginning late enough (`slack_days` after
    the latest new due date of the moved milestones it waits for; negative when it is left
    beginning before one of them, with the successors left in place)."""

    key: int
    title: str
    start: date | None
    due: date
    done: bool
    slack_days: int | None


@dataclass(frozen=True)
class Reschedule:
    """What moving milestone `key` to `new_due` does to its process's plan.

    `moves` lists the moved milestone first, then its successors in dependency order;
    `findings` the schedule findings the plan would have afterwards that it has not now;
    `refused` the blocking ones about moved milestones, which refuse the whole move.
    """

    key: int
    title: str
    old_due: date
    new_due: date
    moves: tuple[Move, ...]
    stays: tuple[Stay, ...]
    findings: tuple[Finding, ...]
    refused: tuple[Finding, ...]

    @property
    def days(self) -> int:
        return (self.new_due - self.old_due).days

    @property
    def signature(self) -> str:
        """The moves in a few characters, so a confirmation applies what was previewed."""
        return ";".join(
            f"{move.key}:{_iso(move.new_start)}:{move.new_due.isoformat()}" for move in self.moves
        )


@dataclass(frozen=True)
class Undone:
    """What an undo put back (`restored`) and left because it changed since (`skipped`)."""

    restored: tuple[Move, ...]
    skipped: tuple[str, ...]  # one message per milestone left alone, naming its dates


def plan_reschedule(
    plan: Plan, key: int, new_due: date, today: date, *, with_successors: bool = True
) -> Reschedule:
    """The moves, the successors that stay and the new findings of moving milestone `key`
    of `plan` to `new_due` (with its open successors unless `with_successors` is false).
    Pure: no database, the day judged on is a parameter."""
    rows = {row.key: row for row in plan.milestones}
    moved = rows[key]
    changes = cascade(plan, key, new_due)
    if not with_successors:
        changes = {k: dates for k, dates in changes.items() if k == key}
    moves = tuple(
        Move(
            key=k,
            title=rows[k].title,
            old_start=rows[k].start,
            old_due=rows[k].due,
            new_start=start,
            new_due=due,
        )
        for k, (start, due) in changes.items()
    )
    after = replace(
        plan,
        milestones=tuple(
            replace(row, start=changes[row.key][0], due=changes[row.key][1])
            if row.key in changes
            else row
            for row in plan.milestones
        ),
    )
    before_findings = {_identity(finding) for finding in plan_findings(plan, today)}
    after_findings = plan_findings(after, today)
    refused = tuple(
        finding for finding in after_findings if finding.blocking and finding.key in changes
    )
    new = tuple(
        finding
        for finding in after_findings
        if _identity(finding) not in before_findings and finding not in refused
    )
    return Reschedule(
        key=key,
        title=moved.title,
        old_due=moved.due,
        new_due=new_due,
        moves=moves,
        stays=_stays(after, key, changes),
        findings=new,
        refused=refused,
    )


def milestone_reschedule_preview(
    *, actor: User, milestone: Milestone, new_due: date, with_successors: bool = True
) -> Reschedule:
    """What moving `milestone` to be due on `new_due` would do; nothing is written."""
    require_perm(actor, EDIT_PLAN, milestone.process)
    _check_movable(milestone, new_due)
    plan = process_plan(milestone.process)
    return plan_reschedule(
        plan, milestone.pk, new_due, local_today(), with_successors=with_successors
    )


@transaction.atomic
def milestone_reschedule(
    *,
    actor: AuthUser,
    milestone: Milestone,
    new_due: date,
    with_successors: bool = True,
    expected: str | None = None,
) -> Reschedule:
    """Move `milestone` to be due on `new_due`, and its open successors that must follow.

    All moves or none: each goes through `milestone_save` (permission, validation, schedule
    checks) in this one transaction. Refused, naming the dates, when the result would have
    a blocking finding (a go-live pushed into a change freeze), or when `expected` (the
    signature of a preview) no longer matches: the plan changed since it was shown.
    """
    require_perm(actor, EDIT_PLAN, milestone.process)
    # Lock the process's milestones: two moves at once must not interleave their saves.
    stored = {
        row.pk: row
        for row in Milestone.objects.select_for_update(of=("self",))
        .select_related("process", "process__programme", "process__contract")
        .filter(process_id=milestone.process_id)
    }
    if milestone.pk not in stored:
        raise ValidationError(_("This milestone no longer exists."))
    milestone = stored[milestone.pk]
    _check_movable(milestone, new_due)
    result = plan_reschedule(
        process_plan(milestone.process),
        milestone.pk,
        new_due,
        local_today(),
        with_successors=with_successors,
    )
    if result.refused:
        raise ValidationError(
            {"due_date": [finding.message for finding in result.refused]}, code="refused"
        )
    if expected is not None and expected != result.signature:
        raise ValidationError(
            _("The plan changed since the preview: check the moves below and confirm again."),
            code="stale",
        )
    for move in result.moves:
        milestone_save(
            actor=actor,
            milestone=stored[move.key],
            start_date=move.new_start,
            due_date=move.new_due,
        )
    return result


@transaction.atomic
def milestone_reschedule_undo(
    *, actor: AuthUser, process: OutsourcedProcess, moves: Sequence[Move]
) -> Undone:
    """Put back the dates a move gave, for the milestones still at those dates.

    A milestone edited, completed or deleted since is left as it is and named in `skipped`.
    The rest go back through `milestone_save` in one transaction: all or none.
    """
    require_perm(actor, EDIT_PLAN, process)
    stored = {
        row.pk: row
        for row in Milestone.objects.select_for_update(of=("self",))
        .select_related("process", "process__programme", "process__contract")
        .filter(process=process, pk__in=[move.key for move in moves])
    }
    restored: list[Move] = []
    skipped: list[str] = []
    for move in reversed(moves):
        row = stored.get(move.key)
        if row is None:
            skipped.append(_("“%(title)s” was deleted since the move.") % {"title": move.title})
        elif row.status == Milestone.Status.DONE:
            skipped.append(_("“%(title)s” is done since the move.") % {"title": row.title})
        elif (row.start_date, row.due_date) != (move.new_start, move.new_due):
            skipped.append(
                _("“%(title)s” changed since the move: it is now due %(due)s.")
                % {"title": row.title, "due": short_date(row.due_date)}
            )
        else:
            milestone_save(
                actor=actor, milestone=row, start_date=move.old_start, due_date=move.old_due
            )
            restored.append(replace(move, title=row.title))
    restored.reverse()
    skipped.reverse()
    return Undone(restored=tuple(restored), skipped=tuple(skipped))


def _check_movable(milestone: Milestone, new_due: date) -> None:
    if milestone.status == Milestone.Status.DONE:
        raise ValidationError(
            {
                "due_date": _(
                    "“%(title)s” is done (completed %(completed)s): a done milestone keeps "
                    "its dates."
                )
                % {
                    "title": milestone.title,
                    "completed": short_date(milestone.completed_on or milestone.due_date),
                }
            }
        )
    if not EARLIEST <= new_due <= LATEST:
        raise ValidationError(
            {
                "due_date": _("Enter a due date between %(earliest)s and %(latest)s.")
                % {"earliest": short_date(EARLIEST), "latest": short_date(LATEST)}
            }
        )
    # Successors move by the same number of days: keep them inside the span too.
    if milestone.due_date is not None and new_due > milestone.due_date:
        latest_due = Milestone.objects.filter(process_id=milestone.process_id).order_by(
            "-due_date"
        )[:1]
        last = next(iter(latest_due.values_list("due_date", flat=True)), milestone.due_date)
        if last + (new_due - milestone.due_date) > LATEST:
            raise ValidationError(
                {
                    "due_date": _("That would move milestones past %(latest)s.")
                    % {"latest": short_date(LATEST)}
                }
            )


def _stays(after: Plan, key: int, changes: dict[int, tuple[date | None, date]]) -> tuple[Stay, ...]:
    """The successors of `key` (direct or through others) that keep their dates."""
    graph = dependency_graph(after.milestones)
    rows = {row.key: row for row in after.milestones}
    reached: set[int] = set()
    frontier = [key]
    while frontier:
        for successor in graph.successors.get(frontier.pop(), ()):
            if successor not in reached:
                reached.add(successor)
                frontier.append(successor)
    stays = []
    for successor in graph.order:
        if successor not in reached or successor in changes:
            continue
        row = rows[successor]
        pushed_to = [rows[p].due for p in graph.predecessors[successor] if p in changes]
        stays.append(
            Stay(
                key=successor,
                title=row.title,
                start=row.start,
                due=row.due,
                done=row.done,
                slack_days=None
                if row.done or not pushed_to
                else (row.begins - max(pushed_to)).days,
            )
        )
    return tuple(stays)


def _identity(finding: Finding) -> tuple[str, str, int | None]:
    # Messages name the dates, which a move changes: a finding is "new" when its kind and
    # row were not already flagged.
    return (finding.code, finding.subject, finding.key)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def moves_from(rows: Iterable[Sequence[Any]]) -> list[Move]:
    """Moves back from their plain form (`undo_record()`), skipping anything malformed."""
    moves = []
    for row in rows:
        try:
            key, title, old_start, old_due, new_start, new_due = row
            moves.append(
                Move(
                    key=int(key),
                    title=str(title),
                    old_start=_day(old_start),
                    old_due=date.fromisoformat(old_due),
                    new_start=_day(new_start),
                    new_due=date.fromisoformat(new_due),
                )
            )
        except (TypeError, ValueError):
            continue
    return moves


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def undo_record(result: Reschedule) -> list[list[object]]:
    """The moves as JSON-able lists (pk, title, old start, old due, new start, new due),
    for keeping in the session until they are undone."""
    return [
        [
            move.key,
            move.title,
            _iso(move.old_start),
            move.old_due.isoformat(),
            _iso(move.new_start),
            move.new_due.isoformat(),
        ]
        for move in result.moves
    ]
