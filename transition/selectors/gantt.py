"""The programme timeline: milestone bars with their dependencies and contract-date markers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..models import Milestone, OutsourcedProcess
from .querysets import TimelineProcess


@dataclass(frozen=True)
class TimelineRow:
    """One line of the Gantt's table fallback (and of its JSON)."""

    process: OutsourcedProcess
    kind: str  # "milestone" or a marker: "notice", "decision", "exit"
    label: str
    start: date
    end: date
    status: str = ""
    url: str = ""
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    tasks: list[dict]
    processes: list[TimelineProcess]


MARKER_LABELS = {
    "notice": "Notice deadline",
    "served": "Notice served",
    "decision": "Decision date",
    "exit": "Exit date",
    "exit_if_served": "Exit date if served today",
}


def _markers(process: OutsourcedProcess, on: date) -> list[tuple[str, date]]:
    """Notice deadline (or the day notice was served), decision date and exit date."""
    contract = process.contract
    markers = []
    if process.notice_served_on:
        markers.append(("served", process.notice_served_on))
    elif process.state == OutsourcedProcess.State.OUTSOURCED:
        deadline = contract.next_notice_deadline(on)
        decision = contract.decision_date(on)
        if decision:
            markers.append(("decision", decision))
        if deadline:
            markers.append(("notice", deadline))
    if process.exit_date:
        markers.append(("exit", process.exit_date))
    elif process.state == OutsourcedProcess.State.OUTSOURCED and not contract.is_expired(on):
        markers.append(("exit_if_served", contract.exit_date_if_served(on)))
    return markers


def programme_gantt(processes: Iterable[TimelineProcess], on: date) -> Timeline:
    """Gantt tasks (frappe-gantt shape) of some processes of a programme (one page of
    `programme_timeline()`, or one process): per process a summary bar, its milestones with
    finish-to-start dependencies, and its contract dates as one-day markers."""
    processes = list(processes)
    rows: list[TimelineRow] = []
    tasks: list[dict] = []
    for process in processes:
        process_rows = []
        for milestone in process.milestone_rows:
            overdue = milestone.status != Milestone.Status.DONE and milestone.due_date < on
            process_rows.append(
                TimelineRow(
                    process=process,
                    kind="milestone",
                    label=milestone.title,
                    start=min(milestone.start_date or milestone.due_date, milestone.due_date),
                    end=milestone.due_date,
                    status="overdue" if overdue else milestone.status,
                    url=milestone.get_absolute_url(),
                    depends_on=tuple(f"m{d.pk}" for d in milestone.depends_on.all()),
                )
            )
        ids = [f"m{m.pk}" for m in process.milestone_rows]
        for kind, day in _markers(process, on):
            process_rows.append(
                TimelineRow(
                    process=process,
                    kind=kind,
                    label=MARKER_LABELS[kind],
                    start=day,
                    end=day,
                    url=process.get_absolute_url(),
                )
            )
            ids.append(f"p{process.pk}-{kind}")
        if not process_rows:
            continue
        done = sum(m.status == Milestone.Status.DONE for m in process.milestone_rows)
        tasks.append(
            {
                "id": f"p{process.pk}",
                "name": process.name,
                "start": min(r.start for r in process_rows).isoformat(),
                "end": max(r.end for r in process_rows).isoformat(),
                "progress": round(100 * done / len(process.milestone_rows))
                if process.milestone_rows
                else 0,
                "dependencies": [],
                "custom_class": "gantt-process",
                "kind": "process",
                "url": process.get_absolute_url(),
                "detail": process.get_state_display(),
            }
        )
        for row, task_id in zip(process_rows, ids, strict=True):
            tasks.append(
                {
                    "id": task_id,
                    "name": row.label,
                    "start": row.start.isoformat(),
                    "end": row.end.isoformat(),
                    "progress": 100 if row.status == Milestone.Status.DONE else 0,
                    "dependencies": list(row.depends_on),
                    "custom_class": f"gantt-{row.status or Milestone.Status.PLANNED}"
                    if row.kind == "milestone"
                    else f"gantt-marker-{row.kind.replace('_', '-')}",
                    "kind": row.kind,
                    "url": row.url,
                    "detail": process.name,
                }
            )
        rows.extend(sorted(process_rows, key=lambda r: (r.start, r.kind != "milestone")))
    return Timeline(rows=rows, tasks=tasks, processes=processes)
