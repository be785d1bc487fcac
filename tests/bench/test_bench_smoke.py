"""The shipped benchmark at a tiny scale (docs/performance.md): `make_portfolio` builds a
consistent portfolio, and every benchmarked page costs the same queries at two scales.

No timings here: CI machines are too noisy; `bench/run.py` measures those."""

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import Client

from bench.pages import bench_user, count_queries, pages
from contracts.models import ExitNotice
from tests.clock import TODAY
from transition.demo.scale import PortfolioBuilder
from transition.models import Milestone, OutsourcedProcess, StaffMember

pytestmark = pytest.mark.django_db

SMALL, LARGER = 0.01, 0.02


def _build(scale: float) -> None:
    PortfolioBuilder(scale=scale, seed=13, password="not-secret", today=TODAY).build()


def _query_counts() -> dict[str, int]:
    client = Client()
    client.force_login(bench_user())
    counts = {}
    for page in pages():
        count_queries(client, page)  # first request fills per-process caches
        result = count_queries(client, page)
        assert result.status == 200, page
        counts[page.name] = result.queries
    return counts


def _at(scale: float) -> dict[str, int]:
    """Build at `scale`, count, and roll the portfolio back."""
    with transaction.atomic():
        _build(scale)
        counts = _query_counts()
        transaction.set_rollback(True)
    return counts


@time_machine.travel(TODAY, tick=False)
def test_every_benchmarked_page_costs_the_same_queries_at_two_scales():
    small, larger = _at(SMALL), _at(LARGER)
    assert larger == small


@time_machine.travel(TODAY, tick=False)
def test_planning_what_one_save_changed_costs_the_same_queries_at_two_scales():
    from bench.run import step_plan

    def planned_at(scale: float) -> dict[str, int]:
        with transaction.atomic():
            _build(scale)
            figures = step_plan()
            transaction.set_rollback(True)
        return {label: figure["queries"] for label, figure in figures.items()}

    small, larger = planned_at(SMALL), planned_at(LARGER)
    changes = [label for label in small if label.startswith("plan after")]
    assert changes
    assert {label: small[label] for label in changes} == {label: larger[label] for label in changes}


@time_machine.travel(TODAY, tick=False)
def test_generated_processes_carry_what_the_workflow_would_have_set():
    _build(SMALL)
    State = OutsourcedProcess.State
    assert OutsourcedProcess.objects.count() == 100
    assert Milestone.objects.count() == 1000
    for state in State.values:
        assert OutsourcedProcess.objects.filter(state=state).exists(), state
    outsourced = OutsourcedProcess.objects.filter(state=State.OUTSOURCED)
    assert not outsourced.filter(exit_notice__isnull=False).exists()
    moved = OutsourcedProcess.objects.exclude(state=State.OUTSOURCED)
    assert not moved.filter(exit_notice__isnull=True).exists()
    assert not moved.filter(lead__isnull=True).exists()
    assert ExitNotice.objects.count() == moved.count()
    assert not OutsourcedProcess.objects.filter(
        state=State.IN_HOUSE, in_house_on__isnull=True
    ).exists()
    assert not Milestone.objects.filter(
        process__state=State.IN_HOUSE, status__in=Milestone.objects.open().values("status")
    ).exists()
    # Finish-to-start within a process: a done milestone's predecessors are done.
    through = Milestone.depends_on.through
    assert through.objects.exists()
    assert not through.objects.exclude(from_milestone__process=F("to_milestone__process")).exists()
    assert (
        not through.objects.filter(from_milestone__status=Milestone.Status.DONE)
        .exclude(to_milestone__status=Milestone.Status.DONE)
        .exists()
    )
    assert Milestone.objects.filter(owner__username="calendar").count() == 200
    # Staff carry personal data and so a history: each record has its "created" row.
    assert StaffMember.objects.exists()
    assert StaffMember.history.filter(history_type="+").count() == StaffMember.objects.count()


@time_machine.travel(TODAY, tick=False)
def test_same_seed_same_portfolio():
    with transaction.atomic():
        _build(SMALL)
        first = list(Milestone.objects.order_by("pk").values_list("title", "due_date", "status"))
        transaction.set_rollback(True)
    _build(SMALL)
    assert (
        list(Milestone.objects.order_by("pk").values_list("title", "due_date", "status")) == first
    )


@pytest.mark.parametrize("scale", ["0", "-1", "5.5"])
def test_make_portfolio_refuses_a_scale_out_of_range(scale):
    with pytest.raises(CommandError, match="--scale must be above 0 and at most 5"):
        call_command("make_portfolio", "--scale", scale)


def test_make_portfolio_refuses_a_database_that_holds_one():
    call_command("make_portfolio", "--scale", "0.001", "--password", "x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds a generated portfolio"):
        call_command("make_portfolio", "--scale", "0.001", "--password", "x")
