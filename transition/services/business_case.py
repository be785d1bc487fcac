"""Writes to a process's business-case inputs (operations managers only; docs/business-case.md)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from core.services import require_perm, validated_save
from core.types import User

from ..models import BusinessCaseInputs, OutsourcedProcess

EDIT_PROCESS = "transition.edit_process"


@transaction.atomic
def case_inputs_update(
    *, actor: User | None, process: OutsourcedProcess, data: Mapping[str, Any]
) -> BusinessCaseInputs:
    """Validate and save the named inputs of `process`'s case, creating its row on first save.

    Fields left out keep their value (a PATCH); a process without a row starts from the model's
    defaults. Any invalid value raises ValidationError by field and nothing is written.
    """
    require_perm(actor, EDIT_PROCESS, process)
    unknown = set(data) - set(BusinessCaseInputs.INPUT_FIELDS)
    if unknown:
        raise ValueError(f"Not business-case inputs: {', '.join(sorted(unknown))}")
    # The process row is the lock: two first saves at once would both try to insert the row.
    OutsourcedProcess.objects.select_for_update().filter(pk=process.pk).exists()
    inputs = BusinessCaseInputs.objects.filter(process=process).first()
    if inputs is None:
        inputs = BusinessCaseInputs(process=process)
    inputs = validated_save(inputs, actor=actor, perm=EDIT_PROCESS, perm_obj=process, **data)
    # The process's cached reverse relation would still show the row as it was read.
    process.case_inputs = inputs
    return inputs
