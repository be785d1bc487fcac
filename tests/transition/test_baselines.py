"""Baselines: saving a copy of the plan, and the variance of the current plan against it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
)
from transition.models import Baseline, BaselineMilestone, Milestone
from transition.selectors.baselines import (
    baseline_dates,
    baseline_variance,
    baselines_of_process,
    baselines_of_programme,
)
from transition.services.baselines import baseline_delete, baseline_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(project_lead):
    process = OutsourcedProcessFactory(name="Fulfilment", lead=project_lead)
    MilestoneFactory(
        process=process, title="Plan", start_date=date(2027, 1, 4), due_date=date(2027, 1, 29)
    )
    MilestoneFactory(process=process, title="Go-live", due_date=date(2027, 3, 31))
    return process


# Saving


def test_a_baseline_copies_every_milestone_of_its_process(process, project_lead):
    OutsourcedProcessFactory(programme=process.programme)  # another process: not copied
    MilestoneFactory(title="Elsewhere")

    baseline = baseline_save(actor=project_lead, process=process, name="  Approved plan ")

    assert baseline.name == "Approved plan"
    assert baseline.created_by == project_lead
    entries = {e.title: e for e in baseline.entries.all()}
    assert set(entries) == {"Plan", "Go-live"}
    plan = entries["Plan"]
    assert (plan.start_date, plan.due_date) == (date(2027, 1, 4), date(2027, 1, 29))
    assert plan.process_name == "Fulfilment"
    assert plan.kind == Milestone.Kind.PLANNING
    assert plan.milestone == Milestone.objects.get(title="Plan")


def test_a_programme_baseline_copies_the_milestones_of_all_its_processes(
    process, operations_manager
):
    sibling = OutsourcedProcessFactory(programme=process.programme, name="Payroll")
    MilestoneFactory(process=sibling, title="Payroll cut-over")
    MilestoneFactory(title="Other programme")

    baseline = baseline_save(
        actor=operations_manager, programme=process.programme, name="Board approval"
    )

    assert sorted(baseline.entries.values_list("title", flat=True)) == [
        "Go-live",
        "Payroll cut-over",
        "Plan",
    ]
    assert baseline.subject == process.programme


def test_the_copy_is_one_insert(process, operations_manager, django_assert_num_queries):
    for _ in range(20):
        MilestoneFactory(process=process)
    # Savepoints around it all and around the insert (a racing duplicate rolls back to it),
    # the actor's groups, the duplicate check, the insert, the milestones, one bulk insert.
    with django_assert_num_queries(9):
        baseline_save(actor=operations_manager, process=process, name="Twenty-two")
    assert BaselineMilestone.objects.count() == 22


def test_a_name_is_unique_within_its_process_and_says_which(process, project_lead):
    baseline_save(actor=project_lead, process=process, name="Approved plan")

    with pytest.raises(ValidationError) as error:
        baseline_save(actor=project_lead, process=process, name="approved PLAN ")

    message = error.value.message_dict["name"][0]
    assert "“approved PLAN”" in message
    assert "Fulfilment" in message
    assert Baseline.objects.count() == 1
    assert BaselineMilestone.objects.count() == 2


def test_the_same_name_is_fine_on_another_process_or_the_programme(process, operations_manager):
    other = OutsourcedProcessFactory(programme=process.programme)
    baseline_save(actor=operations_manager, process=process, name="Approved plan")

    baseline_save(actor=operations_manager, process=other, name="Approved plan")
    baseline_save(actor=operations_manager, programme=process.programme, name="Approved plan")

    assert Baseline.objects.filter(name="Approved plan").count() == 3


def test_programme_names_are_unique_within_the_programme(process, operations_manager):
    baseline_save(actor=operations_manager, programme=process.programme, name="Q1")

    with pytest.raises(ValidationError, match="already has a baseline called “Q1”"):
        baseline_save(actor=operations_manager, programme=process.programme, name="Q1")
    assert Baseline.objects.count() == 1


@pytest.mark.parametrize("name", ["", "   "])
def test_a_name_is_required(process, operations_manager, name):
    with pytest.raises(ValidationError) as error:
        baseline_save(actor=operations_manager, process=process, name=name)

    assert error.value.message_dict == {"name": ["Give the baseline a name."]}
    assert not Baseline.objects.exists()


def test_a_name_with_a_control_character_is_refused(process, operations_manager):
    with pytest.raises(ValidationError) as error:
        baseline_save(actor=operations_manager, process=process, name="Plan\x07")

    assert "U+0007" in error.value.message_dict["name"][0]
    assert not Baseline.objects.exists()


@pytest.mark.parametrize("both", [True, False])
def test_a_baseline_is_of_a_process_or_a_programme_not_both_nor_neither(
    process, operations_manager, both
):
    subjects = {"process": process, "programme": process.programme} if both else {}

    with pytest.raises(ValidationError) as error:
        baseline_save(actor=operations_manager, name="Plan", **subjects)

    assert "either a process or a programme" in error.value.messages[0]
    assert not Baseline.objects.exists()


def test_nothing_is_written_when_the_copy_fails(process, operations_manager, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BaselineMilestone.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        baseline_save(actor=operations_manager, process=process, name="Half")
    assert not Baseline.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("operations_manager", True),
        ("project_lead", True),
        ("other_lead", False),
        ("viewer", False),
    ],
)
def test_who_may_save_a_process_baseline(process, request, who, allowed):
    actor = request.getfixturevalue(who)
    if allowed:
        assert baseline_save(actor=actor, process=process, name="Mine").pk
    else:
        with pytest.raises(PermissionDenied):
            baseline_save(actor=actor, process=process, name="Mine")
        assert not Baseline.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("operations_manager", True), ("project_lead", False), ("viewer", False)],
)
def test_only_operations_managers_save_a_programme_baseline(process, request, who, allowed):
    actor = request.getfixturevalue(who)
    if allowed:
        assert baseline_save(actor=actor, programme=process.programme, name="Q1").pk
    else:
        with pytest.raises(PermissionDenied):
            baseline_save(actor=actor, programme=process.programme, name="Q1")


def test_the_creator_or_an_operations_manager_deletes(
    process, project_lead, other_lead, operations_manager
):
    mine = baseline_save(actor=project_lead, process=process, name="Mine")
    theirs = baseline_save(actor=operations_manager, process=process, name="Theirs")

    with pytest.raises(PermissionDenied):
        baseline_delete(actor=other_lead, baseline=mine)
    with pytest.raises(PermissionDenied):
        baseline_delete(actor=project_lead, baseline=theirs)
    baseline_delete(actor=project_lead, baseline=mine)
    baseline_delete(actor=operations_manager, baseline=theirs)

    assert not Baseline.objects.exists()
    assert not BaselineMilestone.objects.exists()
    assert process.milestones.count() == 2  # the plan is untouched


# Reading


def test_baseline_dates_map_each_milestone_to_its_baseline_dates(
    process, operations_manager, django_assert_num_queries
):
    baseline = baseline_save(actor=operations_manager, process=process, name="B")
    plan, go_live = process.milestones.order_by("due_date")
    go_live.delete()

    with django_assert_num_queries(1):
        dates = baseline_dates(baseline)

    assert dates == {plan.pk: (date(2027, 1, 4), date(2027, 1, 29))}


def test_pickers_list_a_subjects_baselines_newest_first_with_counts(process, operations_manager):
    first = baseline_save(actor=operations_manager, process=process, name="First")
    second = baseline_save(actor=operations_manager, process=process, name="Second")
    programme = baseline_save(actor=operations_manager, programme=process.programme, name="P")

    assert list(baselines_of_process(process)) == [second, first]
    assert [b.milestone_count for b in baselines_of_process(process)] == [2, 2]
    assert list(baselines_of_programme(process.programme)) == [programme]


# Variance


def test_variance_of_later_earlier_unchanged_added_and_removed(process, operations_manager):
    dropped = MilestoneFactory(process=process, title="Dropped", due_date=date(2027, 2, 1))
    baseline = baseline_save(actor=operations_manager, process=process, name="B")
    plan = Milestone.objects.get(title="Plan")
    go_live = Milestone.objects.get(title="Go-live")
    plan.due_date = date(2027, 2, 8)  # 10 days later
    plan.save()
    go_live.due_date = date(2027, 3, 24)  # 7 days earlier
    go_live.save()
    dropped.delete()
    new = MilestoneFactory(process=process, title="Hypercare", due_date=date(2027, 4, 30))

    variance = baseline_variance(baseline)

    by_title = {row.title: row for row in variance.rows}
    assert by_title["Plan"].status == "later"
    assert by_title["Plan"].variance_days == 10
    assert by_title["Plan"].baseline_due == date(2027, 1, 29)
    assert by_title["Plan"].current_due == date(2027, 2, 8)
    assert by_title["Plan"].start_variance_days == 0
    assert by_title["Go-live"].status == "earlier"
    assert by_title["Go-live"].variance_days == -7
    assert [row.milestone_id for row in variance.added] == [new.pk]
    assert [(row.title, row.removed_because) for row in variance.removed] == [
        ("Dropped", "deleted")
    ]
    summary = variance.summary
    assert (summary.later, summary.earlier, summary.unchanged) == (1, 1, 0)
    assert (summary.added, summary.removed, summary.total) == (1, 1, 4)
    assert (summary.max_slip_days, summary.max_slip_title) == (10, "Plan")
    assert summary.baseline_finish == date(2027, 3, 31)
    assert summary.current_finish == date(2027, 4, 30)
    assert summary.finish_variance_days == 30


def test_an_untouched_plan_is_all_unchanged(process, operations_manager):
    baseline = baseline_save(actor=operations_manager, process=process, name="B")

    variance = baseline_variance(baseline)

    assert [row.status for row in variance.rows] == ["unchanged", "unchanged"]
    assert [row.variance_days for row in variance.rows] == [0, 0]
    assert variance.summary.max_slip_days == 0
    assert variance.summary.max_slip_title == ""
    assert variance.added == variance.removed == []


def test_a_milestone_moved_to_another_process_is_removed_from_a_process_baseline(
    process, operations_manager
):
    other = OutsourcedProcessFactory(programme=process.programme, name="Payroll")
    process_baseline = baseline_save(actor=operations_manager, process=process, name="B")
    other_baseline = baseline_save(actor=operations_manager, process=other, name="B")
    programme_baseline = baseline_save(
        actor=operations_manager, programme=process.programme, name="B"
    )
    moved = Milestone.objects.get(title="Plan")
    moved.process = other
    moved.due_date = date(2027, 2, 5)
    moved.save()

    removed = baseline_variance(process_baseline).removed
    assert [(r.title, r.removed_because, r.moved_to) for r in removed] == [
        ("Plan", "moved", "Payroll")
    ]
    assert removed[0].milestone_id == moved.pk
    assert [row.title for row in baseline_variance(process_baseline).rows] == ["Go-live"]
    # In the other process it is new.
    assert [row.title for row in baseline_variance(other_baseline).added] == ["Plan"]
    # Within the programme it only moved: still compared, with its new process.
    by_title = {row.title: row for row in baseline_variance(programme_baseline).rows}
    assert by_title["Plan"].variance_days == 7
    assert by_title["Plan"].process_name == "Payroll"


def test_a_milestone_moved_out_of_the_programme_is_removed_from_its_baseline(
    process, operations_manager
):
    baseline = baseline_save(actor=operations_manager, programme=process.programme, name="B")
    elsewhere = OutsourcedProcessFactory(name="Elsewhere")
    Milestone.objects.filter(title="Plan").update(process=elsewhere)

    variance = baseline_variance(baseline)

    assert [(r.title, r.removed_because, r.moved_to) for r in variance.removed] == [
        ("Plan", "moved", "Elsewhere")
    ]
    assert variance.added == []


def test_overdue_is_judged_on_the_day_given(process, operations_manager):
    baseline = baseline_save(actor=operations_manager, process=process, name="B")
    Milestone.objects.filter(title="Go-live").update(
        status=Milestone.Status.DONE, completed_on=date(2027, 3, 1)
    )

    rows = {r.title: r for r in baseline_variance(baseline, on=date(2027, 6, 1)).rows}

    assert rows["Plan"].overdue is True
    assert rows["Go-live"].overdue is False
    assert rows["Go-live"].done is True
    assert not any(r.overdue for r in baseline_variance(baseline).rows)


def test_the_largest_slip_names_its_milestone(process, operations_manager):
    baseline = baseline_save(actor=operations_manager, process=process, name="B")
    Milestone.objects.filter(title="Plan").update(due_date=date(2027, 2, 3))  # +5
    Milestone.objects.filter(title="Go-live").update(due_date=date(2027, 4, 30))  # +30

    summary = baseline_variance(baseline).summary

    assert (summary.later, summary.max_slip_days, summary.max_slip_title) == (2, 30, "Go-live")


@pytest.mark.parametrize("size", [1, 30])
def test_variance_costs_two_queries_at_any_size(
    operations_manager, django_assert_num_queries, size
):
    programme = ProgrammeFactory()
    for _ in range(size):
        process = OutsourcedProcessFactory(programme=programme)
        MilestoneFactory(process=process)
        MilestoneFactory(process=process)
    baseline = baseline_save(actor=operations_manager, programme=programme, name="B")
    Milestone.objects.filter(process__programme=programme).first().delete()
    MilestoneFactory(process=process)

    with django_assert_num_queries(2):
        variance = baseline_variance(baseline, on=date(2027, 1, 1))

    assert variance.summary.total == 2 * size + 1
