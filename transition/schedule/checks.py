"""The schedule checks: what is wrong with a plan, judged against the provider's dates.

Pure functions over a `Plan` and the day they judge on (docs/plan.md, "Schedule checks").
A finding is an error (red: the provider is gone before we are ready, or the row
contradicts itself) or a warning (a person may know better); blocking findings are refused
on save, the others are saved and flagged. A check whose reference date is unknown (no
exit date yet, no programme target...) is skipped rather than guessed.

Dependency cycles and dependencies across processes are refused by the model
(`Milestone.dependency_errors`); here a cycle in the input is only survived, not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.formats import short_date
from transition.schedule.model import (
    FREEZE_KINDS,
    HANDOVER_KINDS,
    Finding,
    Freeze,
    Plan,
    PlanAsset,
    PlanMilestone,
    PlanStaff,
    Severity,
)

# A go-live or cut-over marked done more than this many days before its due date (and with
# no start date to judge by) was most likely ticked by mistake: the example is a
# go-live due in March marked done today.
EARLY_HANDOVER_DAYS = 30

# The labels of transition.models.Milestone.Kind, without importing the ORM here (a test
# keeps the two in step). "Other" reads badly in a sentence, so it says "Milestone".
KIND_LABELS = {
    "planning": gettext_lazy("Planning"),
    "knowledge_transfer": gettext_lazy("Knowledge transfer"),
    "asset_transfer": gettext_lazy("Asset transfer"),
    "staff_transfer": gettext_lazy("Staff transfer"),
    "systems_data": gettext_lazy("Systems & data"),
    "parallel_run": gettext_lazy("Parallel run"),
    "cut_over": gettext_lazy("Cut-over"),
    "go_live": gettext_lazy("Go-live"),
}

_SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass(frozen=True)
class _Dated:
    """A finding with the day it is about, which orders the list and is not shown."""

    finding: Finding
    on: date | None


def plan_findings(plan: Plan, today: date) -> list[Finding]:
    """Every finding of the whole plan: each milestone's, the assets', the staff's and the
    process's own, errors first, then by date, then by code."""
    items: list[_Dated] = []
    for milestone in plan.milestones:
        items.extend(_milestone_items(plan, milestone, today))
    for asset in plan.assets:
        items.extend(_asset_items(plan, asset))
    for person in plan.staff:
        items.extend(_staff_items(person, today))
    items.extend(_process_items(plan))
    return _ordered(items)


def milestone_findings(plan: Plan, milestone: PlanMilestone, today: date) -> list[Finding]:
    """The findings about one milestone as it would be saved.

    The milestone replaces the row of the same key in the plan (a new one, with a key of 0
    or below, joins it). Besides its own findings, the list names each open successor that
    would then begin before it is due (`successor_before_predecessor`, keyed by the
    successor): saving a slip should say what it pushes.
    """
    plan = _with_milestone(plan, milestone)
    items = list(_milestone_items(plan, milestone, today))
    if milestone.key > 0:
        for successor in plan.milestones:
            if successor.key != milestone.key and milestone.key in successor.depends_on:
                items.extend(_order_items(successor, [milestone]))
    return _ordered(items)


def asset_findings(plan: Plan, asset: PlanAsset) -> list[Finding]:
    """The findings about one asset as it would be saved."""
    return _ordered(_asset_items(plan, asset))


def staff_findings(person: PlanStaff, today: date) -> list[Finding]:
    """The findings about one person's transfer as it would be saved."""
    return _ordered(_staff_items(person, today))


def process_findings(plan: Plan) -> list[Finding]:
    """The findings about the process itself (its completion)."""
    return _ordered(_process_items(plan))


def describe(milestone: PlanMilestone) -> str:
    """`Go-live “Switch over”`: a milestone named in a sentence, its kind first."""
    kind = KIND_LABELS.get(milestone.kind)
    if kind is None:
        return _("Milestone “%(title)s”") % {"title": milestone.title}
    return _("%(kind)s “%(title)s”") % {"kind": kind, "title": milestone.title}


def finish_of(milestone: PlanMilestone) -> date:
    """The day a milestone's work ends: when it was completed if done, else its due date."""
    if milestone.done and milestone.completed_on is not None:
        return milestone.completed_on
    return milestone.due


def _with_milestone(plan: Plan, milestone: PlanMilestone) -> Plan:
    rows = [row for row in plan.milestones if row.key != milestone.key]
    return replace(plan, milestones=(*rows, milestone))


def _ordered(items: Iterable[_Dated]) -> list[Finding]:
    def sort_key(item: _Dated) -> tuple[int, date, str, str, int]:
        finding = item.finding
        return (
            _SEVERITY_ORDER[finding.severity],
            item.on or date.max,
            finding.code,
            finding.subject,
            finding.key if finding.key is not None else 0,
        )

    return [item.finding for item in sorted(items, key=sort_key)]


def _milestone_items(plan: Plan, milestone: PlanMilestone, today: date) -> list[_Dated]:
    by_key = {row.key: row for row in plan.milestones}
    predecessors = [
        by_key[key]
        for key in dict.fromkeys(milestone.depends_on)
        if key in by_key and key != milestone.key
    ]
    items = _order_items(milestone, predecessors)
    items += _provider_items(plan, milestone)
    items += _programme_items(plan, milestone)
    items += _freeze_items(plan.freezes, milestone)
    items += _completion_items(milestone, today)
    return items


def _finding(
    code: str,
    severity: Severity,
    message: str,
    milestone: PlanMilestone,
    on: date | None,
    blocking: bool = False,
) -> _Dated:
    key = milestone.key if milestone.key > 0 else None
    return _Dated(Finding(code, severity, message, "milestone", key, blocking), on)


def _order_items(milestone: PlanMilestone, predecessors: Iterable[PlanMilestone]) -> list[_Dated]:
    """Finish-to-start: an open milestone begins on or after each predecessor finishes."""
    if milestone.done:
        return []
    items = []
    for predecessor in predecessors:
        finish = finish_of(predecessor)
        if milestone.begins < finish:
            if predecessor.done:
                text = _(
                    "%(successor)s begins %(begins)s, before %(predecessor)s was completed "
                    "on %(finish)s; it depends on it."
                )
            else:
                text = _(
                    "%(successor)s begins %(begins)s, before %(predecessor)s is due "
                    "%(finish)s; it depends on it."
                )
            message = text % {
                "successor": describe(milestone),
                "begins": short_date(milestone.begins),
                "predecessor": describe(predecessor),
                "finish": short_date(finish),
            }
            items.append(
                _finding(
                    "successor_before_predecessor", "warning", message, milestone, milestone.begins
                )
            )
    return items


def _provider_items(plan: Plan, milestone: PlanMilestone) -> list[_Dated]:
    """An open milestone due after the provider is gone: errors, saved and flagged."""
    if milestone.done:
        return []
    items = []
    if (
        plan.exit_date is not None
        and milestone.kind in HANDOVER_KINDS
        and milestone.due > plan.exit_date
    ):
        message = _("%(milestone)s is due %(due)s, after the provider's exit date %(exit)s.") % {
            "milestone": describe(milestone),
            "due": short_date(milestone.due),
            "exit": short_date(plan.exit_date),
        }
        items.append(_finding("handover_after_exit", "error", message, milestone, milestone.due))
    if plan.assistance_end is not None and milestone.due > plan.assistance_end:
        message = _(
            "%(milestone)s is due %(due)s, after the provider's termination assistance ends "
            "%(end)s."
        ) % {
            "milestone": describe(milestone),
            "due": short_date(milestone.due),
            "end": short_date(plan.assistance_end),
        }
        items.append(_finding("after_assistance_end", "error", message, milestone, milestone.due))
    return items


def _programme_items(plan: Plan, milestone: PlanMilestone) -> list[_Dated]:
    items = []
    if plan.programme_start is not None and milestone.begins < plan.programme_start:
        message = _("%(milestone)s begins %(begins)s, before the programme starts %(start)s.") % {
            "milestone": describe(milestone),
            "begins": short_date(milestone.begins),
            "start": short_date(plan.programme_start),
        }
        items.append(_finding("outside_programme", "warning", message, milestone, milestone.begins))
    if plan.programme_target is not None and milestone.due > plan.programme_target:
        message = _(
            "%(milestone)s is due %(due)s, after the programme's target date %(target)s."
        ) % {
            "milestone": describe(milestone),
            "due": short_date(milestone.due),
            "target": short_date(plan.programme_target),
        }
        items.append(_finding("outside_programme", "warning", message, milestone, milestone.due))
    return items


def overlapping_freezes(milestone: PlanMilestone, freezes: Iterable[Freeze]) -> list[Freeze]:
    """The freezes a go-live, cut-over or parallel run falls in, by start date.

    A go-live or cut-over is inside a freeze when its due day is; a parallel run when any of
    its days is. Other kinds, and done milestones, are never inside one.
    """
    if milestone.done or milestone.kind not in FREEZE_KINDS:
        return []
    if milestone.kind in HANDOVER_KINDS:
        first, last = milestone.due, milestone.due
    else:
        first, last = milestone.begins, milestone.due
    hits = [f for f in freezes if first <= f.ends_on and last >= f.starts_on]
    return sorted(hits, key=lambda f: (f.starts_on, f.key))


def _freeze_items(freezes: Iterable[Freeze], milestone: PlanMilestone) -> list[_Dated]:
    items = []
    for freeze in overlapping_freezes(milestone, freezes):
        values = {
            "milestone": describe(milestone),
            "begins": short_date(milestone.begins),
            "due": short_date(milestone.due),
            "freeze": freeze.name,
            "starts": short_date(freeze.starts_on),
            "ends": short_date(freeze.ends_on),
        }
        if milestone.kind in HANDOVER_KINDS or milestone.begins == milestone.due:
            when = _("%(milestone)s is due %(due)s") % values
        else:
            when = _("%(milestone)s runs %(begins)s to %(due)s") % values
        values["when"] = when
        if milestone.freeze_override:
            message = (
                _(
                    "%(when)s, inside the change freeze “%(freeze)s” (%(starts)s to %(ends)s); "
                    "an operations manager allowed it."
                )
                % values
            )
            items.append(
                _finding("freeze_overridden", "warning", message, milestone, milestone.due)
            )
        else:
            message = (
                _(
                    "%(when)s, inside the change freeze “%(freeze)s” (%(starts)s to %(ends)s). "
                    "Move it out of the freeze, or ask an operations manager to override it."
                )
                % values
            )
            items.append(
                _finding("inside_freeze", "error", message, milestone, milestone.due, blocking=True)
            )
    return items


def _completion_items(milestone: PlanMilestone, today: date) -> list[_Dated]:
    completed = milestone.completed_on
    if completed is None:
        return []
    items = []
    if completed > today:
        message = _(
            "%(milestone)s is marked completed on %(completed)s, which is after today "
            "(%(today)s). A completion date cannot be in the future."
        ) % {
            "milestone": describe(milestone),
            "completed": short_date(completed),
            "today": short_date(today),
        }
        items.append(
            _finding("completed_in_future", "error", message, milestone, completed, blocking=True)
        )
    if not milestone.done:
        return items
    if milestone.start is not None:
        if completed < milestone.start:
            message = _(
                "%(milestone)s was completed on %(completed)s, before its start date %(start)s."
            ) % {
                "milestone": describe(milestone),
                "completed": short_date(completed),
                "start": short_date(milestone.start),
            }
            items.append(_finding("completed_early", "warning", message, milestone, completed))
    elif milestone.kind in HANDOVER_KINDS:
        days = (milestone.due - completed).days
        if days > EARLY_HANDOVER_DAYS:
            message = ngettext(
                "%(milestone)s was completed on %(completed)s, %(days)d day before it is due "
                "%(due)s. Check it was not marked done by mistake.",
                "%(milestone)s was completed on %(completed)s, %(days)d days before it is due "
                "%(due)s. Check it was not marked done by mistake.",
                days,
            ) % {
                "milestone": describe(milestone),
                "completed": short_date(completed),
                "days": days,
                "due": short_date(milestone.due),
            }
            items.append(_finding("completed_early", "warning", message, milestone, completed))
    return items


def _asset_items(plan: Plan, asset: PlanAsset) -> list[_Dated]:
    if (
        not asset.open
        or asset.transfer_due is None
        or plan.exit_date is None
        or asset.transfer_due <= plan.exit_date
    ):
        return []
    message = _(
        "Asset “%(name)s” is due to transfer %(due)s, after the provider's exit date %(exit)s."
    ) % {
        "name": asset.name,
        "due": short_date(asset.transfer_due),
        "exit": short_date(plan.exit_date),
    }
    key = asset.key if asset.key > 0 else None
    finding = Finding("asset_after_exit", "error", message, "asset", key)
    return [_Dated(finding, asset.transfer_due)]


def _staff_items(person: PlanStaff, today: date) -> list[_Dated]:
    if not person.onboarded or person.planned_start is None or person.planned_start <= today:
        return []
    message = _(
        "%(name)s is marked onboarded, but their planned start %(start)s is after today "
        "(%(today)s). Set the planned start to the day they started, or keep the status "
        "before onboarded."
    ) % {
        "name": person.name,
        "start": short_date(person.planned_start),
        "today": short_date(today),
    }
    key = person.key if person.key > 0 else None
    finding = Finding("onboarded_before_start", "error", message, "staff", key, blocking=True)
    return [_Dated(finding, person.planned_start)]


def _process_items(plan: Plan) -> list[_Dated]:
    if (
        plan.in_house_on is None
        or plan.exit_date is None
        or plan.in_house_on >= plan.exit_date
        or plan.early_completion_reason.strip()
    ):
        return []
    message = _(
        "The process came in-house on %(in_house)s, before the provider's exit date %(exit)s. "
        "Record why it completed early."
    ) % {"in_house": short_date(plan.in_house_on), "exit": short_date(plan.exit_date)}
    finding = Finding("completed_before_exit", "warning", message, "process")
    return [_Dated(finding, plan.in_house_on)]
