"""The timeline stays under the page budget of issue 13 (docs/performance.md): at most 300 KB
of HTML for a page of 25 processes of 10 milestones each (the dataset-L average), with
dependencies, a baseline and a change freeze, drawn for someone who may plan."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
)
from transition.demo.scale import MILESTONE_STEPS
from transition.models import Baseline, BaselineMilestone, ChangeFreeze, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

BUDGET = 300 * 1024
PROCESSES = 25
STATES = ("outsourced", "exit_notice", "transition", "in_house")


def programme_of_25_processes_of_10_milestones():
    """Like a page of dataset L: 25 processes in every state, each a chain of the ten
    milestone steps the generator plans, four of them waiting for the one before."""
    programme = ProgrammeFactory(name="Programme 001: Meridian Logistics")
    for i in range(PROCESSES):
        state = STATES[i % len(STATES)]
        served = {}
        if state != "outsourced":
            served = {"notice_served_on": date(2026, 9, 1), "exit_date": date(2027, 6, 30)}
        process = OutsourcedProcessFactory(
            programme=programme, name=f"Warehouse fulfilment {i + 1:05d}", state=state, **served
        )
        base = date(2026, 10, 1) + timedelta(days=7 * i)
        chain = []
        for k, (title, kind) in enumerate(MILESTONE_STEPS):
            start = base + timedelta(days=15 * k)
            chain.append(
                MilestoneFactory(
                    process=process,
                    title=title,
                    kind=kind,
                    start_date=start,
                    due_date=start + timedelta(days=12),
                    status=Milestone.Status.IN_PROGRESS if k == 1 else Milestone.Status.PLANNED,
                )
            )
        for k in (1, 3, 5, 7):
            chain[k].depends_on.add(chain[k - 1])
    ChangeFreeze.objects.create(
        programme=programme,
        name="Year-end close",
        starts_on=date(2026, 12, 15),
        ends_on=date(2027, 1, 5),
    )
    baseline = Baseline.objects.create(programme=programme, name="Approved plan")
    BaselineMilestone.objects.bulk_create(
        BaselineMilestone(
            baseline=baseline,
            milestone=m,
            process=m.process,
            process_name=m.process.name,
            title=m.title,
            kind=m.kind,
            start_date=m.start_date,
            due_date=m.due_date - timedelta(days=3),
        )
        for m in Milestone.objects.filter(process__programme=programme).select_related("process")
    )
    return programme, baseline


def test_a_page_of_25_processes_of_10_milestones_stays_under_300_kb(client, operations_manager):
    programme, baseline = programme_of_25_processes_of_10_milestones()
    client.force_login(operations_manager)
    url = reverse("transition:programme_gantt", args=[programme.pk])

    for params in ({}, {"baseline": baseline.pk}):
        response = client.get(url, params)
        assert response.status_code == 200
        timeline = response.context["timeline"]
        assert len(timeline.groups) == PROCESSES
        bars = sum(1 for group in timeline.groups for row in group.rows if row.bar)
        assert bars == PROCESSES * len(MILESTONE_STEPS)  # everything drawn, nothing left out
        # A process's contract dates are drawn once through all its rows, not once a row.
        markers = sum(len(group.markers) for group in timeline.groups)
        assert markers >= 2 * PROCESSES
        drawn = response.content.count(b'<line class="gantt-marker gantt-marker-')
        assert drawn == markers + 4  # and the legend's four
        size = len(response.content)
        assert size <= BUDGET, f"{size / 1024:.0f} KB with {params or 'no baseline'}"
