"""One status vocabulary: the query-set methods that say what is open, done and settled,
and the guards and RAG that read only what a selector loaded."""

from datetime import date

import pytest

from tests.clock import TODAY
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition import guards
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember
from transition.models.process import RagInputsNotLoaded
from transition.selectors import load_guard_inputs, with_rag_inputs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

DONE_ON = date(2026, 11, 1)


def names(queryset) -> set[str]:
    return {str(row) for row in queryset}


def test_milestones_are_open_until_done():
    for status in Milestone.Status.values:
        done = status == Milestone.Status.DONE
        MilestoneFactory(title=status, status=status, completed_on=DONE_ON if done else None)

    assert names(Milestone.objects.open()) == {"planned", "in_progress", "blocked"}
    assert names(Milestone.objects.done()) == {"done"}


def test_an_open_transfer_is_to_do_or_under_way_and_of_an_asset_still_needed():
    AssetFactory(name="to do", status=Asset.Status.TO_TRANSFER)
    AssetFactory(name="under way", status=Asset.Status.IN_PROGRESS)
    AssetFactory(name="moved", status=Asset.Status.TRANSFERRED, transferred_on=DONE_ON)
    AssetFactory(name="dropped", status=Asset.Status.NOT_NEEDED)
    AssetFactory(
        name="not needed, not yet marked",
        status=Asset.Status.TO_TRANSFER,
        transfer_method=Asset.TransferMethod.NOT_NEEDED,
    )

    assert names(Asset.objects.open()) == {"to do", "under way"}
    assert names(Asset.objects.unsettled()) == {"to do", "under way", "not needed, not yet marked"}


def test_staff_are_unsettled_until_onboarded_declined_or_withdrawn():
    for status in StaffMember.Status.values:
        StaffMemberFactory(name=status, status=status)

    assert names(StaffMember.objects.unsettled()) == {"identified", "offered", "accepted"}


def test_eli_is_pending_for_tupe_transfers_with_a_start_not_yet_onboarded():
    start = date(2027, 3, 1)
    StaffMemberFactory(name="owed", planned_start=start, status=StaffMember.Status.ACCEPTED)
    StaffMemberFactory(name="joined", planned_start=start, status=StaffMember.Status.ONBOARDED)
    StaffMemberFactory(name="no date", planned_start=None)
    StaffMemberFactory(name="hired", planned_start=start, route=StaffMember.Route.NEW_HIRE)

    assert names(StaffMember.objects.eli_pending()) == {"owed"}


def test_the_settled_constants_and_the_query_sets_agree():
    assert set(Asset.SETTLED_STATUSES) | set(Asset.OPEN_STATUSES) == set(Asset.Status.values)
    assert set(StaffMember.SETTLED_STATUSES).isdisjoint(StaffMember.ELI_PENDING_STATUSES)


def test_a_guard_refuses_to_query_for_inputs_nobody_loaded():
    process = OutsourcedProcessFactory(state=OutsourcedProcess.State.TRANSITION)
    fresh = OutsourcedProcess.objects.get(pk=process.pk)

    with pytest.raises(guards.GuardInputsNotLoaded, match="open_milestone_rows"):
        guards.milestones_done(fresh)


def test_loaded_guard_inputs_cost_one_query_each_for_many_processes(django_assert_num_queries):
    for _ in range(3):
        process = OutsourcedProcessFactory(state=OutsourcedProcess.State.TRANSITION)
        MilestoneFactory(process=process)
        AssetFactory(process=process)
        StaffMemberFactory(process=process)
    processes = list(OutsourcedProcess.objects.select_related("contract"))

    with django_assert_num_queries(3):  # open milestones, unsettled assets, unsettled staff
        load_guard_inputs(processes)
    with django_assert_num_queries(0):
        assert all(not guards.milestones_done(p) for p in processes)


def test_the_rag_refuses_to_query_for_inputs_nobody_loaded():
    process = OutsourcedProcessFactory()

    with pytest.raises(RagInputsNotLoaded, match="next_milestone_due"):
        OutsourcedProcess.objects.get(pk=process.pk).rag_on(TODAY)


def test_an_asset_not_needed_has_no_transfer_date_for_the_rag():
    process = OutsourcedProcessFactory()
    AssetFactory(
        process=process,
        transfer_due=date(2026, 12, 1),
        transfer_method=Asset.TransferMethod.NOT_NEEDED,
    )

    loaded = with_rag_inputs(OutsourcedProcess.objects.select_related("contract")).get()
    assert loaded.next_asset_due is None
    assert loaded.rag_on(TODAY) == OutsourcedProcess.Rag.GREEN
