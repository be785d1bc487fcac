"""`case_inputs_update`: operations managers only, the whole row validated, nothing written on
refusal, the row created on the first save (docs/business-case.md)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.transition.factories import OutsourcedProcessFactory
from transition.models import BusinessCaseInputs
from transition.services import case_inputs_update

pytestmark = pytest.mark.django_db


def test_the_first_save_creates_the_row_and_records_who(operations_manager):
    process = OutsourcedProcessFactory()

    inputs = case_inputs_update(
        actor=operations_manager, process=process, data={"tupe_cost": Decimal(8000)}
    )

    assert inputs.pk == process.pk
    assert process.case_inputs == inputs
    assert inputs.labour_cost_growth == Decimal(3)  # the default, untouched
    assert inputs.history.get().history_user == operations_manager


def test_a_later_save_changes_only_what_it_names(operations_manager):
    process = OutsourcedProcessFactory()
    BusinessCaseInputs.objects.create(process=process, tupe_cost=Decimal(8000))

    case_inputs_update(actor=operations_manager, process=process, data={"dual_running_months": 3})

    row = BusinessCaseInputs.objects.get()
    assert (row.tupe_cost, row.dual_running_months) == (Decimal(8000), 3)


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_others_are_refused_and_nothing_is_written(request, role):
    user = request.getfixturevalue(role)
    process = OutsourcedProcessFactory(lead=user if role == "project_lead" else None)

    with pytest.raises(PermissionDenied):
        case_inputs_update(actor=user, process=process, data={"tupe_cost": Decimal(1)})

    assert not BusinessCaseInputs.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("labour_cost_growth", Decimal(-1)),
        ("renegotiation_change", Decimal(-150)),
        ("dual_running_months", 99),
        ("go_live_month", 0),
        ("stranded_cost", Decimal(-1)),
    ],
)
def test_an_invalid_value_raises_by_field_and_writes_nothing(operations_manager, field, value):
    process = OutsourcedProcessFactory()

    with pytest.raises(ValidationError) as raised:
        case_inputs_update(actor=operations_manager, process=process, data={field: value})

    assert list(raised.value.message_dict) == [field]
    assert not BusinessCaseInputs.objects.exists()


def test_a_name_that_is_not_an_input_is_a_programming_error(operations_manager):
    process = OutsourcedProcessFactory()

    with pytest.raises(ValueError, match="horizon"):
        case_inputs_update(actor=operations_manager, process=process, data={"horizon": 3})
