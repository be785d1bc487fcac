"""Import columns naming people, checked by the same role rules as the forms and the API."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.types import AuthUser
from core.widgets import NaturalKeyWidget

from .selectors import (
    operations_managers,
    plan_owner_refusal,
    plan_owners,
    process_lead_refusal,
    process_owner_refusal,
    project_leads,
)


class RoleWidget(NaturalKeyWidget):
    """A column holding the username of someone the role rule `eligible` allows in the
    field `holds` of `model` (accounts/selectors.py); anyone else is refused in the words
    of `refusal`, naming the person.

    Who holds that field on a row of `model` now stays valid, as on the pages after a change
    of role, so a file exported earlier imports back. Read in two queries per import, not
    per row.
    """

    def __init__(
        self,
        model,
        holds: str,
        eligible: Callable[[], QuerySet],
        refusal: Callable[[AuthUser], str],
        **kwargs,
    ):
        super().__init__(get_user_model(), field="username", **kwargs)
        self.held_in = (model, holds)
        self.eligible_people = eligible
        self.refusal = refusal
        self.eligible: set[int] | None = None

    def reset(self):
        super().reset()
        self.eligible = None

    def clean(self, value, row=None, **kwargs):
        user = super().clean(value, row, **kwargs)
        if user is None:
            return None
        if self.eligible is None:
            model, holds = self.held_in
            holders = model._default_manager.exclude(**{holds: None}).values_list(
                f"{holds}_id", flat=True
            )
            self.eligible = set(self.eligible_people().values_list("pk", flat=True)) | set(holders)
        if user.pk not in self.eligible:
            raise ValueError(self.refusal(user))
        return user


def PlanOwnerWidget(model) -> RoleWidget:  # noqa: N802 - reads as the widget it builds
    """The `owner` column of milestones and RAID items."""
    return RoleWidget(model, "owner", plan_owners, plan_owner_refusal)


def ProcessOwnerWidget(model) -> RoleWidget:  # noqa: N802
    """The `owner` column of processes: an operations manager."""
    return RoleWidget(model, "owner", operations_managers, process_owner_refusal)


def ProcessLeadWidget(model) -> RoleWidget:  # noqa: N802
    """The `lead` column of processes: a project lead."""
    return RoleWidget(model, "lead", project_leads, process_lead_refusal)
