"""The programme timeline, drawn on the server: milestone bars grouped by process, on a
day → pixel scale, with the contract dates, change freezes, critical path and a baseline.

The page renders it as HTML and inline SVG (templates/transition/programme_gantt.html):
every x and width is computed here, so the template only places numbers, and every label
is placed where it is read whole (docs/plan.md, "Timeline").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from contracts.models import Deliverable
from core.formats import month_year, short_date

from ..models import (
    Baseline,
    BaselineMilestone,
    ChangeFreeze,
    Milestone,
    OutsourcedProcess,
    Programme,
)
from ..models.process import plan_milestone
from ..schedule.critical_path import analyse
from ..schedule.model import Analysis, Plan
from .querysets import TimelineProcess
from .schedule import assistance_end_of, freeze_of

MARKER_LABELS = {
    "notice": _("Notice deadline"),
    "served": _("Notice served"),
    "decision": _("Decision date"),
    "exit": _("Exit date"),
    "exit_if_served": _("Exit date if served today"),
    "assistance_end": _("End of assistance"),
}

# Geometry, in pixels. A label's width is estimated from its length: 12px sans-serif text
# averages under 7px a character, so 7.5 leaves room rather than cutting a label short.
ROW_HEIGHT = 30
BAR_Y = 6
BAR_HEIGHT = 16
BASELINE_Y = 24
BASELINE_HEIGHT = 4
LABEL_Y = 18
CHAR_PX = 7.5
LABEL_GAP = 4
LABEL_INSET = 6
MIN_BAR_PX = 6
HEADER_HEIGHT = 40
TARGET_WIDTH = 1400  # the width a plan is drawn at, unless that squeezes a day under MIN_DAY_PX
MIN_DAY_PX = 2.0
MAX_DAY_PX = 24.0
PADDING_DAYS = 14
WEEK_TICKS_FROM_DAY_PX = 4.0
LINK_GAP = 4  # the shortest run of a dependency arrow into the bar it points at
LINK_INSET = 2  # how far inside the end of a bar its dependency arrows leave it
LINK_REACH = 60  # how far past a lane's edge an arrow runs (a row is taller when its name wraps)


@dataclass(frozen=True)
class Scale:
    """Days from `start` to `end` (both shown), `day_px` pixels each."""

    start: date
    end: date
    day_px: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def width(self) -> int:
        return math.ceil(self.days * self.day_px)

    def x(self, day: date) -> float:
        """The left edge of `day`."""
        return round((day - self.start).days * self.day_px, 1)

    def span(self, first: date, last: date) -> Bar:
        """The bar from the start of `first` to the end of `last`, at least MIN_BAR_PX wide."""
        x = self.x(first)
        return Bar(x=x, width=round(max(MIN_BAR_PX, ((last - first).days + 1) * self.day_px), 1))


@dataclass(frozen=True)
class Bar:
    x: float
    width: float

    @property
    def end(self) -> float:
        return round(self.x + self.width, 1)


@dataclass(frozen=True)
class Label:
    """Where a bar's label is drawn: `place` is "inside", "right" or "left" of the bar;
    `x` and `anchor` are the SVG text's x and text-anchor."""

    x: float
    anchor: str
    place: str


@dataclass(frozen=True)
class Band:
    """A dated span drawn across the chart: a change freeze, or a month of the header."""

    label: str
    start: date
    end: date
    x: float
    width: float
    detail: str = ""


@dataclass(frozen=True)
class Marker:
    """A contract date of a process, drawn as a vertical line through its rows."""

    kind: str
    label: str
    day: date
    x: float


@dataclass(frozen=True)
class DeliverableMarker:
    """A termination-assistance deliverable of the process's notice, on its due date."""

    label: str
    status: str  # the status's label, or "Overdue"
    overdue: bool
    day: date
    x: float
    url: str


@dataclass
class TimelineRow:
    """One line of the chart and of its table: a milestone, a contract date ("notice",
    "served", "decision", "exit", "exit_if_served", "assistance_end") or, for a process
    without milestones, the one "empty" row that says so."""

    process: OutsourcedProcess
    kind: str
    label: str
    start: date | None = None
    end: date | None = None
    status: str = ""
    url: str = ""
    key: int | None = None
    depends_on: tuple[str, ...] = ()
    depends_on_keys: tuple[int, ...] = ()
    critical: bool = False
    slack_days: int | None = None
    baseline_start: date | None = None
    baseline_end: date | None = None
    in_baseline: bool = False
    bar: Bar | None = None
    baseline_bar: Bar | None = None
    text: Label | None = None
    links: str = ""  # the path data of the dependency arrows through this row's lane

    @property
    def variance_days(self) -> int | None:
        """Days the due date moved since the baseline (positive: later)."""
        if self.baseline_end is None or self.end is None:
            return None
        return (self.end - self.baseline_end).days

    @property
    def variance_abs(self) -> int | None:
        return None if self.variance_days is None else abs(self.variance_days)

    @property
    def span_label(self) -> str:
        if self.start is None or self.end is None:
            return ""
        if self.start == self.end:
            return short_date(self.end)
        return f"{short_date(self.start)} – {short_date(self.end)}"


@dataclass
class TimelineGroup:
    """A process and its rows: milestones (or the one "empty" row) and contract dates."""

    process: OutsourcedProcess
    rows: list[TimelineRow]
    markers: list[Marker]
    summary: Bar | None = None
    analysis: Analysis | None = None
    deliverables: list[DeliverableMarker] = field(default_factory=list)


@dataclass
class Timeline:
    rows: list[TimelineRow]  # every line of the table, process by process
    groups: list[TimelineGroup]
    processes: list[TimelineProcess]
    scale: Scale
    months: list[Band]
    weeks: list[float]
    freezes: list[Band]
    today: date
    today_x: float | None
    baseline: Baseline | None = None
    critical_count: int = 0
    geometry: dict = field(default_factory=dict)

    @property
    def width(self) -> int:
        return self.scale.width

    @property
    def has_rows(self) -> bool:
        return bool(self.groups)


def _markers(process: OutsourcedProcess, on: date) -> list[tuple[str, date]]:
    """Notice deadline (or the day notice was served), decision date, exit date and the end
    of the termination assistance after it."""
    contract = process.contract
    markers: list[tuple[str, date]] = []
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
        assistance_end = assistance_end_of(process)  # a date, given the exit date
        if assistance_end is not None:
            markers.append(("assistance_end", assistance_end))
    elif process.state == OutsourcedProcess.State.OUTSOURCED and not contract.is_expired(on):
        markers.append(("exit_if_served", contract.exit_date_if_served(on)))
    return markers


def place_label(text: str, bar: Bar, width: float) -> Label:
    """Inside the bar when the text fits in it, else right of it when the chart has room,
    else left of it when that has room, else right (the chart then grows to fit it)."""
    text_px = len(text) * CHAR_PX
    if text_px + 2 * LABEL_INSET <= bar.width:
        return Label(x=round(bar.x + bar.width / 2, 1), anchor="middle", place="inside")
    right = round(bar.end + LABEL_GAP, 1)
    if right + text_px <= width:
        return Label(x=right, anchor="start", place="right")
    left = round(bar.x - LABEL_GAP, 1)
    if left - text_px >= 0:
        return Label(x=left, anchor="end", place="left")
    return Label(x=right, anchor="start", place="right")


def label_end(text: str, label: Label) -> float:
    """The right edge of a placed label."""
    if label.place == "inside":
        return 0.0
    if label.anchor == "end":
        return label.x
    return label.x + len(text) * CHAR_PX


def _fmt(value: float) -> str:
    """A coordinate for path data: at most one decimal, no trailing ".0"."""
    return f"{round(value, 1):g}"


def draw_links(rows: Sequence[TimelineRow]) -> None:
    """The finish-to-start arrows between the milestones of one process, drawn lane by lane
    (each row is an SVG of its own). An arrow leaves the milestone waited for just inside
    its end, below its bar (above it when the one waiting is drawn higher), runs straight
    down (or up) through the rows between, and turns into the start of the milestone that
    waits, with an arrowhead; when that one starts before the channel, it turns back above
    (or below) its bar first. A link to a milestone of another process is not drawn.

    A row is taller than its lane when its name wraps; the lane then stretches and centres
    its drawing, so the segments that cross a lane's edge run LINK_REACH past it (the lane
    clips them) and meet those of the next row. Sets each row's `links` to the path data of
    the segments through its lane."""
    index = {row.key: (i, row.bar) for i, row in enumerate(rows) if row.bar is not None}
    segments: list[list[str]] = [[] for _row in rows]
    mid = _fmt(BAR_Y + BAR_HEIGHT / 2)
    top, bottom = -LINK_REACH, ROW_HEIGHT + LINK_REACH
    for j, row in enumerate(rows):
        if row.bar is None:
            continue
        for key in row.depends_on_keys:
            found = index.get(key)
            if found is None or found[0] == j:
                continue
            i, before = found
            x = max(before.x + 1, before.end - LINK_INSET)
            channel = _fmt(x)
            down = i < j
            if down:
                segments[i].append(f"M{channel} {BAR_Y + BAR_HEIGHT}V{bottom}")
            else:
                segments[i].append(f"M{channel} {BAR_Y}V{top}")
            for between in range(min(i, j) + 1, max(i, j)):
                segments[between].append(f"M{channel} {top}V{bottom}")
            end = row.bar.x
            enter = top if down else bottom
            if x + LINK_GAP <= end:
                path = f"M{channel} {enter}V{mid}"
            else:
                edge = _fmt(BAR_Y / 2 if down else (BASELINE_Y + BASELINE_HEIGHT + ROW_HEIGHT) / 2)
                path = f"M{channel} {enter}V{edge}H{_fmt(end - LINK_GAP)}V{mid}"
            segments[j].append(f"{path}H{_fmt(end)}m-4 -3l4 3l-4 3")
    for row, parts in zip(rows, segments, strict=True):
        row.links = "".join(parts)


def choose_scale(first: date, last: date) -> Scale:
    """A window from the month before `first` to the month after `last` (with PADDING_DAYS
    either side), so no bar starts or ends off the chart, at a readable number of px a day."""
    start = (first - timedelta(days=PADDING_DAYS)).replace(day=1)
    after = last + timedelta(days=PADDING_DAYS)
    end = _month_after(after) - timedelta(days=1)
    days = (end - start).days + 1
    day_px = min(MAX_DAY_PX, max(MIN_DAY_PX, TARGET_WIDTH / days))
    return Scale(start=start, end=end, day_px=round(day_px, 2))


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(scale: Scale) -> list[Band]:
    months: list[Band] = []
    first = scale.start.replace(day=1)
    while first <= scale.end:
        last = min(_month_after(first) - timedelta(days=1), scale.end)
        begins = max(first, scale.start)
        label = month_year(first) if first.month == 1 or not months else date_format(first, "M")
        bar = scale.span(begins, last)
        months.append(Band(label=label, start=begins, end=last, x=bar.x, width=bar.width))
        first = _month_after(first)
    return months


def _weeks(scale: Scale) -> list[float]:
    if scale.day_px < WEEK_TICKS_FROM_DAY_PX:
        return []
    monday = scale.start + timedelta(days=(7 - scale.start.weekday()) % 7)
    ticks = []
    while monday <= scale.end:
        ticks.append(scale.x(monday))
        monday += timedelta(days=7)
    return ticks


def gantt_freezes(programme: Programme) -> list[ChangeFreeze]:
    return list(ChangeFreeze.objects.filter(programme=programme).order_by("starts_on", "pk"))


def gantt_baselines(
    programme: Programme, processes: Sequence[OutsourcedProcess]
) -> QuerySet[Baseline]:
    """The baselines the page can compare with: the programme's, and those of the processes
    it draws, newest first."""
    return (
        Baseline.objects.filter(Q(programme=programme) | Q(process__in=[p.pk for p in processes]))
        .select_related("process")
        .order_by("-created_at", "-pk")
    )


def baseline_entries(
    baseline: Baseline, processes: Sequence[OutsourcedProcess]
) -> dict[int, tuple[date | None, date]]:
    """(start, due) in `baseline` of the live milestones of `processes`, by milestone pk."""
    rows = BaselineMilestone.objects.filter(
        baseline=baseline, milestone__process__in=[p.pk for p in processes]
    ).values_list("milestone_id", "start_date", "due_date")
    return {pk: (start, due) for pk, start, due in rows}


def critical_paths(
    processes: Sequence[TimelineProcess], freezes: Sequence[ChangeFreeze], on: date
) -> dict[int, Analysis]:
    """The critical path of each process drawn, by process pk (docs/plan.md).

    The plans are built from the rows the page already loaded: the critical path reads the
    milestones with their dependencies, the exit date and the end of assistance, never the
    assets or staff `plans_for()` would read as well, so the Gantt costs no query for it.
    """
    plan_freezes = tuple(freeze_of(row) for row in freezes)
    return {
        process.pk: analyse(
            Plan(
                milestones=tuple(
                    plan_milestone(row, [d.pk for d in row.depends_on.all()])
                    for row in process.milestone_rows
                ),
                freezes=plan_freezes,
                exit_date=process.exit_date,
                assistance_end=assistance_end_of(process),
            ),
            on,
        )
        for process in processes
    }


def deliverables_by_notice(processes: Sequence[OutsourcedProcess]) -> dict[int, list]:
    """The deliverables of the notices the processes drawn are under, by notice id: one
    query when any of them is under notice, none otherwise."""
    notices = {p.exit_notice_id for p in processes if p.exit_notice_id}
    if not notices:
        return {}
    rows = (
        Deliverable.objects.filter(exit_notice_id__in=notices)
        .only("pk", "exit_notice_id", "title", "status", "due_date")
        .order_by("due_date", "pk")
    )
    found: dict[int, list[Deliverable]] = {}
    for row in rows:
        found.setdefault(row.exit_notice_id, []).append(row)
    return found


def _deliverable_markers(rows: Sequence[Deliverable], on: date) -> list[DeliverableMarker]:
    markers = []
    for row in rows:
        overdue = row.is_open and row.due_date < on
        markers.append(
            DeliverableMarker(
                label=row.title,
                status=str(_("Overdue")) if overdue else row.get_status_display(),
                overdue=overdue,
                day=row.due_date,
                x=0.0,
                url=row.get_absolute_url(),
            )
        )
    return markers


def programme_gantt(
    processes: Iterable[TimelineProcess],
    on: date,
    *,
    freezes: Sequence[ChangeFreeze] = (),
    analyses: Mapping[int, Analysis] | None = None,
    baseline: Baseline | None = None,
    baseline_dates: Mapping[int, tuple[date | None, date]] | None = None,
) -> Timeline:
    """The timeline of some processes of a programme (one page of `programme_timeline()`, or
    one process): a group per process with a row per milestone (or one row saying it has
    none), its contract dates as markers, the freezes as bands, the critical milestones
    flagged and, with a baseline, each milestone's baseline dates."""
    processes = list(processes)
    analyses = analyses or {}
    baseline_dates = baseline_dates or {}
    # Dependencies are loaded as ids only; their titles come from the rows of the page.
    titles = {m.pk: m.title for process in processes for m in process.milestone_rows}
    owed = deliverables_by_notice(processes)
    groups: list[TimelineGroup] = []
    for process in processes:
        analysis = analyses.get(process.pk)
        timings = analysis.timings if analysis else {}
        rows = []
        for milestone in process.milestone_rows:
            overdue = milestone.status != Milestone.Status.DONE and milestone.due_date < on
            timing = timings.get(milestone.pk)
            planned = baseline_dates.get(milestone.pk)
            rows.append(
                TimelineRow(
                    process=process,
                    kind="milestone",
                    label=milestone.title,
                    start=min(milestone.start_date or milestone.due_date, milestone.due_date),
                    end=milestone.due_date,
                    status="overdue" if overdue else milestone.status,
                    url=milestone.get_absolute_url(),
                    key=milestone.pk,
                    depends_on=tuple(
                        titles.get(d.pk) or str(_("milestone %(pk)s") % {"pk": d.pk})
                        for d in milestone.depends_on.all()
                    ),
                    depends_on_keys=tuple(d.pk for d in milestone.depends_on.all()),
                    critical=bool(timing and timing.critical),
                    slack_days=timing.slack_days if timing else None,
                    baseline_start=(min(planned[0] or planned[1], planned[1]) if planned else None),
                    baseline_end=planned[1] if planned else None,
                    in_baseline=planned is not None,
                )
            )
        rows.sort(key=lambda row: (row.start, row.end, row.key))
        if not rows:
            rows.append(
                TimelineRow(process=process, kind="empty", label=str(_("No milestones planned")))
            )
        markers = [
            Marker(kind=kind, label=str(MARKER_LABELS[kind]), day=day, x=0.0)
            for kind, day in _markers(process, on)
        ]
        groups.append(
            TimelineGroup(
                process=process,
                rows=rows,
                markers=markers,
                analysis=analysis,
                deliverables=(
                    _deliverable_markers(owed.get(process.exit_notice_id, []), on)
                    if process.exit_notice_id is not None
                    else []
                ),
            )
        )

    days = [on]
    for group in groups:
        for row in group.rows:
            days += [d for d in (row.start, row.end, row.baseline_start, row.baseline_end) if d]
        days += [m.day for m in group.markers]
        days += [d.day for d in group.deliverables]
    scale = choose_scale(min(days), max(days))

    # Place the bars and their labels; a label that fits nowhere else widens the chart.
    reach = float(scale.width)
    for group in groups:
        dated = [(row, row.start, row.end) for row in group.rows if row.start and row.end]
        if dated:
            group.summary = scale.span(
                min(start for _row, start, _end in dated), max(end for _row, _start, end in dated)
            )
        for row, start, end in dated:
            row.bar = scale.span(start, end)
            # A baseline gives both dates (the start defaults to the due date).
            if row.baseline_start and row.baseline_end:
                row.baseline_bar = scale.span(row.baseline_start, row.baseline_end)
            row.text = place_label(row.label, row.bar, scale.width)
            reach = max(reach, label_end(row.label, row.text) + LABEL_GAP)
        group.markers = [
            Marker(kind=m.kind, label=m.label, day=m.day, x=scale.x(m.day)) for m in group.markers
        ]
        group.deliverables = [
            DeliverableMarker(**{**vars(d), "x": scale.x(d.day)}) for d in group.deliverables
        ]
        draw_links(group.rows)
    if reach > scale.width:
        extra = math.ceil((reach - scale.width) / scale.day_px)
        scale = Scale(start=scale.start, end=scale.end + timedelta(days=extra), day_px=scale.day_px)

    bands = []
    for freeze in freezes:
        if freeze.ends_on < scale.start or freeze.starts_on > scale.end:
            continue
        bar = scale.span(max(freeze.starts_on, scale.start), min(freeze.ends_on, scale.end))
        bands.append(
            Band(
                label=freeze.name,
                start=freeze.starts_on,
                end=freeze.ends_on,
                x=bar.x,
                width=bar.width,
                detail=freeze.reason,
            )
        )

    table: list[TimelineRow] = []
    for group in groups:
        table.extend(group.rows)
        table.extend(
            TimelineRow(
                process=group.process,
                kind=m.kind,
                label=m.label,
                start=m.day,
                end=m.day,
                url=group.process.get_absolute_url(),
            )
            for m in group.markers
        )
        table.extend(
            TimelineRow(
                process=group.process,
                kind="deliverable",
                label=d.label,
                start=d.day,
                end=d.day,
                status=d.status,
                url=d.url,
            )
            for d in group.deliverables
        )
    return Timeline(
        rows=table,
        groups=groups,
        processes=processes,
        scale=scale,
        months=_months(scale),
        weeks=_weeks(scale),
        freezes=bands,
        today=on,
        today_x=scale.x(on) if scale.start <= on <= scale.end else None,
        baseline=baseline,
        critical_count=sum(r.critical for g in groups for r in g.rows),
        geometry={
            "row": ROW_HEIGHT,
            "bar_y": BAR_Y,
            "bar_h": BAR_HEIGHT,
            "base_y": BASELINE_Y,
            "base_h": BASELINE_HEIGHT,
            "label_y": LABEL_Y,
            "header": HEADER_HEIGHT,
        },
    )
