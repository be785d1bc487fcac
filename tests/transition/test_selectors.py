"""Shaped reads: annotations the RAG needs, milestones with predecessors, key dates, totals."""

from datetime import date
from decimal import Decimal

import pytest

from tests.clock import TODAY
from tests.factories import UserFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition import selectors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_process_list_annotates_the_next_open_milestone_and_asset_due(django_assert_num_queries):
    process = OutsourcedProcessFactory(state="transition")
    MilestoneFactory(process=process, due_date=date(2026, 11, 1), status="done", completed_on=TODAY)
    MilestoneFactory(process=process, due_date=date(2026, 12, 1))
    AssetFactory(process=process, transfer_due=date(2026, 12, 3))
    AssetFactory(process=process, transfer_due=date(2026, 11, 30), status="not_needed")
    ReadinessAssessmentFactory(process=process, assessed_on=date(2026, 1, 1), expertise=1)
    ReadinessAssessmentFactory(process=process, assessed_on=date(2026, 11, 1), expertise=3)

    with django_assert_num_queries(3):  # + the milestones the RAG's forecast reads
        [row] = selectors.process_list()
        assert row.next_milestone_due == date(2026, 12, 1)
        assert row.next_asset_due == date(2026, 12, 3)
        assert row.milestone_count == 2
        assert row.milestones_done == 1
        assert row.latest_readiness.assessed_on == date(2026, 11, 1)
        assert row.rag_on(TODAY) == "amber"  # due within 14 days, readiness amber


def test_process_milestones_attach_predecessors_in_one_query(django_assert_num_queries):
    process = OutsourcedProcessFactory()
    a = MilestoneFactory(process=process, due_date=date(2027, 1, 1))
    b = MilestoneFactory(process=process, due_date=date(2027, 2, 1))
    c = MilestoneFactory(process=process, due_date=date(2027, 3, 1))
    c.depends_on.add(a, b)

    with django_assert_num_queries(1):
        rows = selectors.process_milestones(process)
        predecessors = {m.pk: [p.pk for p in m.predecessors] for m in rows}

    assert [m.pk for m in rows] == [a.pk, b.pk, c.pk]
    assert predecessors == {a.pk: [], b.pk: [], c.pk: [a.pk, b.pk]}


def test_key_dates_before_notice_show_the_deadline_and_the_decision():
    process = OutsourcedProcessFactory()

    dates = {d.key: d.value for d in selectors.process_key_dates(process, TODAY)}

    assert dates["notice_deadline"] == date(2027, 9, 30)
    assert dates["decision_date"] == date(2027, 7, 2)
    assert dates["exit_date"] == date(2027, 12, 31)


def test_key_dates_after_notice_show_when_it_was_served():
    process = OutsourcedProcessFactory(
        state="exit_notice", notice_served_on=date(2026, 9, 1), exit_date=date(2026, 12, 31)
    )

    dates = {d.key: d.value for d in selectors.process_key_dates(process, TODAY)}

    assert dates["notice_served_on"] == date(2026, 9, 1)
    assert "notice_deadline" not in dates
    assert dates["exit_date"] == date(2026, 12, 31)


def test_money_figures_sum_known_figures_and_give_payback():
    processes = [
        OutsourcedProcessFactory(),
        OutsourcedProcessFactory(one_off_transition_cost=None),
    ]

    totals = selectors.money_figures(
        selectors.process_list().filter(pk__in=[p.pk for p in processes]), on=TODAY
    )

    assert totals.annual_saving.amount.amount == Decimal("240000")
    assert totals.one_off_transition_cost.amount.amount == Decimal("240000")
    assert totals.payback_months == Decimal("12.0")


def test_plan_progress_counts_settled_items():
    process = OutsourcedProcessFactory()
    MilestoneFactory(process=process, status="done", completed_on=TODAY)
    MilestoneFactory(process=process)
    AssetFactory(process=process, status="not_needed")
    StaffMemberFactory(process=process, status="declined")
    StaffMemberFactory(process=process, status="offered")
    loaded = selectors.process_workspace().get(pk=process.pk)

    progress = selectors.plan_progress(loaded, selectors.process_milestones(loaded))

    assert (progress.milestones_done, progress.assets_settled, progress.staff_settled) == (1, 1, 1)
    assert progress.percent == 60


def test_role_member_choices_split_people_by_role(operations_manager, project_lead, viewer):
    inactive = UserFactory(username="gone", role="Project leads", is_active=False)

    choices = selectors.role_member_choices()

    assert [pk for pk, _name in choices["Operations managers"]] == [operations_manager.pk]
    assert [pk for pk, _name in choices["Project leads"]] == [project_lead.pk]
    assert inactive.pk not in [pk for pk, _name in choices["Project leads"]]


def test_permitted_transitions_skip_the_guards_for_users_who_may_fire_nothing(
    viewer, django_assert_num_queries
):
    process = OutsourcedProcessFactory(state="transition")
    viewer.has_perm("transition.edit_process")  # warm the role and permission caches

    with django_assert_num_queries(0):
        assert selectors.permitted_transitions(process, viewer) == []


def test_editable_processes_are_all_for_managers_and_the_led_ones_for_leads(
    operations_manager, project_lead
):
    led = OutsourcedProcessFactory(lead=project_lead)
    other = OutsourcedProcessFactory()

    assert set(selectors.editable_processes(operations_manager)) == {led, other}
    assert list(selectors.editable_processes(project_lead)) == [led]
