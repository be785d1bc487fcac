"""Writes to a process's parallel-run scorecard: its KPIs and their actuals per period.

Operations managers edit any scorecard; a project lead only those of processes they lead.
An actual is recorded once per KPI and period: recording the same period again updates it
(the history keeps every value). A period must start on a Monday (weekly KPIs) or the 1st
(monthly) and lie in the window of the transition (transition.selectors.scorecard).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.clock import local_today
from core.services import require_perm, safe_delete, validated_save
from core.types import User

from ..models import Kpi, KpiActual, OutsourcedProcess
from ..selectors.scorecard import actual_problems, period_label

EDIT_SCORECARD = "transition.edit_scorecard"


def kpi_create(*, actor: User, process: OutsourcedProcess, **fields: Any) -> Kpi:
    """Add a KPI to a process's scorecard; its name is unique within the process."""
    return validated_save(
        Kpi(process=process), actor=actor, perm=EDIT_SCORECARD, perm_obj=process, **fields
    )


def kpi_update(*, kpi: Kpi, actor: User, **fields: Any) -> Kpi:
    """Edit a KPI; it stays on its process. A new period kind must fit the actuals kept."""
    fields.pop("process", None)
    period = fields.get("period", kpi.period)
    if kpi.pk and period != kpi.period:
        require_perm(actor, EDIT_SCORECARD, kpi.process)
        if kpi.actuals.exists():
            raise ValidationError(
                {
                    "period": _(
                        "“%(kpi)s” has actuals recorded per %(period)s: delete them before "
                        "changing how often it is measured."
                    )
                    % {"kpi": kpi.name, "period": kpi.get_period_display().lower()}
                }
            )
    return validated_save(kpi, actor=actor, perm=EDIT_SCORECARD, perm_obj=kpi.process, **fields)


def kpi_delete(*, kpi: Kpi, actor: User) -> None:
    """Delete a KPI with its actuals."""
    safe_delete(kpi, actor=actor, perm=EDIT_SCORECARD, perm_obj=kpi.process)


def check_actual(actual: KpiActual, today: date) -> None:
    """Refuse, naming the dates, a period that does not start a period of the KPI or lies
    outside the transition's window (pages, API, admin and import all ask this)."""
    problems = actual_problems(kpi=actual.kpi, period_start=actual.period_start, today=today)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def kpi_actual_save(*, actor: User, actual: KpiActual, **fields: Any) -> KpiActual:
    """Edit a stored actual (its value, note or period); it stays on its KPI."""
    fields.pop("kpi", None)
    require_perm(actor, EDIT_SCORECARD, actual.kpi.process)
    for name, value in fields.items():
        setattr(actual, name, value)
    check_actual(actual, local_today())
    clash = (
        KpiActual.objects.filter(kpi=actual.kpi, period_start=actual.period_start)
        .exclude(pk=actual.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"period_start": _already_recorded(actual)})
    return validated_save(actual, actor=actor, perm=EDIT_SCORECARD, perm_obj=actual.kpi.process)


@transaction.atomic
def kpi_actual_record(
    *, actor: User, kpi: Kpi, period_start: date, value: Decimal, note: str = ""
) -> KpiActual:
    """Record the value of `kpi` for the period starting `period_start`; a second value
    for the same period replaces the first (the history keeps both)."""
    require_perm(actor, EDIT_SCORECARD, kpi.process)
    actual = KpiActual.objects.select_for_update().filter(
        kpi=kpi, period_start=period_start
    ).first() or KpiActual(kpi=kpi, period_start=period_start)
    actual.kpi = kpi  # the caller's instance, with its process already read
    check_actual(actual, local_today())
    return validated_save(
        actual,
        actor=actor,
        perm=EDIT_SCORECARD,
        perm_obj=kpi.process,
        value=value,
        note=note or "",
    )


@transaction.atomic
def kpi_actuals_record_period(
    *,
    actor: User,
    process: OutsourcedProcess,
    period_start: date,
    values: Mapping[Kpi, tuple[Decimal, str]],
) -> list[KpiActual]:
    """Record one period's values of several KPIs of a process: all of them or none.

    A refusal names the KPI (ValidationError keyed by `kpi-<pk>`).
    """
    require_perm(actor, EDIT_SCORECARD, process)
    errors: dict[str, list[str]] = {}
    saved = []
    for kpi, (value, note) in values.items():
        if kpi.process_id != process.pk:
            raise ValidationError(_("“%(kpi)s” is not a KPI of this process.") % {"kpi": kpi})
        try:
            with transaction.atomic():
                saved.append(
                    kpi_actual_record(
                        actor=actor, kpi=kpi, period_start=period_start, value=value, note=note
                    )
                )
        except ValidationError as error:
            errors[f"kpi-{kpi.pk}"] = [f"{kpi.name}: {message}" for message in error.messages]
    if errors:
        raise ValidationError(errors)
    return saved


def kpi_actual_delete(*, actual: KpiActual, actor: User) -> None:
    safe_delete(actual, actor=actor, perm=EDIT_SCORECARD, perm_obj=actual.kpi.process)


def _already_recorded(actual: KpiActual) -> str:
    return _("“%(kpi)s” already has an actual for %(period)s: edit that one instead.") % {
        "kpi": actual.kpi.name,
        "period": period_label(actual.period_start, actual.kpi.period),
    }
