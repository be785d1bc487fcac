"""Shaped reads of the accounts app."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.types import AuthUser

from .models import ApiToken, Preferences
from .roles import OPERATIONS_MANAGERS, PROJECT_LEADS
from .tokens import password_fingerprint

PEOPLE_ORDER = ("first_name", "last_name", "username")


def tokens_for(*, user: AuthUser) -> QuerySet[ApiToken]:
    """The user's tokens issued under their current password, newest first.

    Expired tokens are included (the page marks them); those a password change revoked are
    not, as they can never authenticate again.
    """
    return ApiToken.objects.filter(
        user=user, password_fingerprint=password_fingerprint(user.password)
    ).order_by("-created", "-pk")


# People: how they are named, and who may hold which field (docs/domain.md, Roles)


def full_name(first_name: str, last_name: str, username: str) -> str:
    """A person as every page names them: full name, else username.

    The tables' `get_full_name|default:username`; selects and filters use the same words.
    """
    return f"{first_name} {last_name}".strip() or username


def person_name(user: AuthUser) -> str:
    return full_name(user.first_name, user.last_name, user.get_username())


def _people(condition: Q, *, also: int | None = None) -> QuerySet[AuthUser]:
    # `also`: the field's current holder stays choosable after a change of role. A user
    # row appears once: roles are matched in a subquery, not joined.
    if also is not None:
        condition |= Q(pk=also)
    return get_user_model().objects.filter(condition).order_by(*PEOPLE_ORDER)


def _in_groups(*groups: str) -> Q:
    members = get_user_model().objects.filter(groups__name__in=groups).values("pk")
    return Q(pk__in=members)


def active_people(*, also: int | None = None) -> QuerySet[AuthUser]:
    """Everyone who may still sign in."""
    return _people(Q(is_active=True), also=also)


def role_members(group: str, *, also: int | None = None) -> QuerySet[AuthUser]:
    """Active members of a role group."""
    return _people(Q(is_active=True) & _in_groups(group), also=also)


def operations_managers(*, also: int | None = None) -> QuerySet[AuthUser]:
    """Who may own a process: active operations managers."""
    return role_members(OPERATIONS_MANAGERS, also=also)


def project_leads(*, also: int | None = None) -> QuerySet[AuthUser]:
    """Who may lead a process's transition: active project leads."""
    return role_members(PROJECT_LEADS, also=also)


def plan_owners(*, also: int | None = None) -> QuerySet[AuthUser]:
    """Who may own a milestone or a RAID item: active operations managers, project leads
    and administrators. Never a viewer (who can change nothing) nor an inactive user."""
    roles = _in_groups(OPERATIONS_MANAGERS, PROJECT_LEADS) | Q(is_superuser=True)
    return _people(Q(is_active=True) & roles, also=also)


def plan_owner_refusal(user: AuthUser) -> str:
    """Why `user` cannot own a milestone or RAID item: the words of the API and the import."""
    return _(
        "%(name)s may not own it: an owner is an active operations manager, project lead "
        "or administrator, not a viewer."
    ) % {"name": person_name(user)}


def process_owner_refusal(user: AuthUser) -> str:
    return _("%(name)s may not own a process: its owner is an active operations manager.") % {
        "name": person_name(user)
    }


def process_lead_refusal(user: AuthUser) -> str:
    return _("%(name)s may not lead a process: its lead is an active project lead.") % {
        "name": person_name(user)
    }


# Preferences (docs/reminders.md, "Time zones")


def time_zone_name(*, user: AuthUser) -> str:
    """The zone the user chose, "" for the site's (also when they never chose)."""
    return Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""


def time_zones_in_use() -> set[str]:
    """The zones active people chose: where a reminder's day can begin before the site's."""
    return set(
        Preferences.objects.filter(user__is_active=True)
        .exclude(time_zone="")
        .values_list("time_zone", flat=True)
        .distinct()
    )
