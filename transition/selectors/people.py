"""The people a form may offer: active users, and the members of a role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS
from core.types import AuthUser


def users_in(group: str, *, also: int | None = None) -> QuerySet[AuthUser]:
    """Active members of a role group (plus user `also`, e.g. the current holder of a field)."""
    condition = Q(is_active=True, groups__name=group)
    if also is not None:
        condition |= Q(pk=also)
    return (
        get_user_model()
        .objects.filter(condition)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def operations_managers(*, also: int | None = None) -> QuerySet[AuthUser]:
    return users_in(OPERATIONS_MANAGERS, also=also)


def project_leads(*, also: int | None = None) -> QuerySet[AuthUser]:
    return users_in(PROJECT_LEADS, also=also)


def role_member_choices() -> dict[str, list[tuple[int, str]]]:
    """(pk, name) choices of the active operations managers and project leads, in one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[OPERATIONS_MANAGERS, PROJECT_LEADS])
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username", "groups__name")
    )
    choices: dict[str, list[tuple[int, str]]] = {}
    for pk, first, last, username, group in rows:
        choices.setdefault(group, []).append((pk, f"{first} {last}".strip() or username))
    return choices


def active_users() -> QuerySet[AuthUser]:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )
