"""The people a form may offer: active users, and the members of a role.

The rules live in accounts/selectors.py (one place); these names stay for the transition
app's callers.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts import selectors as people
from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS
from core.types import AuthUser


def users_in(group: str, *, also: int | None = None) -> QuerySet[AuthUser]:
    return people.role_members(group, also=also)


def operations_managers(*, also: int | None = None) -> QuerySet[AuthUser]:
    return people.operations_managers(also=also)


def project_leads(*, also: int | None = None) -> QuerySet[AuthUser]:
    return people.project_leads(also=also)


def role_member_choices() -> dict[str, list[tuple[int, str]]]:
    """(pk, name) choices of the active operations managers and project leads, in one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[OPERATIONS_MANAGERS, PROJECT_LEADS])
        .order_by(*people.PEOPLE_ORDER)
        .values_list("pk", "first_name", "last_name", "username", "groups__name")
    )
    choices: dict[str, list[tuple[int, str]]] = {}
    for pk, first, last, username, group in rows:
        choices.setdefault(group, []).append((pk, people.full_name(first, last, username)))
    return choices


def active_users() -> QuerySet[AuthUser]:
    return people.active_people()
