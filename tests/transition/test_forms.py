"""Forms of the transition pages: sensible choices and messages next to the fields."""

import pytest

from tests.clock import TODAY
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.forms import AssetForm, MilestoneForm, ProcessForm, ReadinessForm, TransitionForm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_process_owners_are_operations_managers_and_leads_project_leads(
    operations_manager, project_lead, viewer
):
    form = ProcessForm(user=operations_manager)

    assert list(form.fields["owner"].queryset) == [operations_manager]
    assert list(form.fields["lead"].queryset) == [project_lead]


def test_a_process_keeps_a_lead_who_has_since_changed_role(operations_manager, viewer):
    process = OutsourcedProcessFactory(owner=operations_manager, lead=viewer)

    form = ProcessForm(instance=process, user=operations_manager)

    assert viewer in form.fields["lead"].queryset


def test_the_state_is_never_a_process_form_field(operations_manager):
    assert "state" not in ProcessForm(user=operations_manager).fields


def test_a_lead_plans_only_the_processes_they_lead(project_lead):
    led = OutsourcedProcessFactory(lead=project_lead)
    OutsourcedProcessFactory()

    form = MilestoneForm(user=project_lead)

    assert list(form.fields["process"].queryset) == [led]


def test_dependencies_are_offered_from_the_same_process_only(operations_manager):
    milestone = MilestoneFactory()
    sibling = MilestoneFactory(process=milestone.process)
    MilestoneFactory()

    form = MilestoneForm(instance=milestone, user=operations_manager)

    assert list(form.fields["depends_on"].queryset) == [sibling]
    assert form.fields["process"].disabled


def test_a_new_milestone_offers_the_milestones_of_the_chosen_process(operations_manager):
    sibling = MilestoneFactory()

    form = MilestoneForm(initial={"process": sibling.process}, user=operations_manager)

    assert list(form.fields["depends_on"].queryset) == [sibling]


def test_a_milestone_cannot_be_completed_in_the_future(operations_manager):
    process = OutsourcedProcessFactory()
    form = MilestoneForm(
        data={
            "process": process.pk,
            "title": "Go-live",
            "kind": "go_live",
            "due_date": "2027-01-01",
            "status": "done",
            "completed_on": "2026-12-01",
        },
        user=operations_manager,
    )

    assert form.errors["completed_on"] == ["A milestone cannot be completed in the future."]


def test_a_due_date_before_the_start_is_refused_on_the_due_date(operations_manager):
    process = OutsourcedProcessFactory()
    form = MilestoneForm(
        data={
            "process": process.pk,
            "title": "Backwards",
            "kind": "other",
            "start_date": "2027-02-01",
            "due_date": "2027-01-01",
            "status": "planned",
        },
        user=operations_manager,
    )

    assert form.errors["due_date"] == ["The due date cannot be before the start date."]


def test_an_asset_not_needed_cannot_be_transferred(operations_manager):
    process = OutsourcedProcessFactory()
    form = AssetForm(
        data={
            "process": process.pk,
            "name": "Old racking",
            "category": "equipment",
            "transfer_method": "not_needed",
            "book_value": "0",
            "status": "transferred",
        },
        user=operations_manager,
    )

    assert "status" in form.errors


def test_a_readiness_assessment_cannot_be_dated_in_the_future():
    form = ReadinessForm(
        data={
            "assessed_on": "2026-12-01",
            "expertise": 3,
            "workforce": 3,
            "infrastructure": 3,
            "systems_data": 3,
            "processes_controls": 3,
        }
    )

    assert form.errors["assessed_on"] == ["An assessment cannot be dated in the future."]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        (("served_on",), ["note", "served_on"]),
        (("reason",), ["note", "reason"]),
        (("in_house_on",), ["note", "in_house_on"]),
        ((), ["note"]),
    ],
)
def test_the_transition_form_asks_only_for_that_transitions_fields(params, fields):
    form = TransitionForm(params=params)

    assert list(form.fields) == fields


def test_transition_dates_default_to_today():
    form = TransitionForm(params=("served_on",))

    assert form.fields["served_on"].initial == TODAY
